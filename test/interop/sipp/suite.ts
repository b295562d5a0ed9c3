/**
 * The set-up every sipp interop file shares: a tshark capture of the file's port range around all
 * its tests (started in `before`, stopped in `after` with every process killed), the count of SIP
 * messages its runs put on the wire, and the last test that checks the capture against that count.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { Capture, type Exit, killAll, SCENARIOS } from '../harness.js';

/** The capture of one test file. */
export interface CapturedRuns {
  /** Adds `n` SIP messages a run should have put on the wire. */
  expect(n: number): void;
  /** Defines the test that stops the capture: nothing malformed, and every expected message in it. */
  itCapturedEveryMessage(): void;
}

/** Captures ports `from`-`to` around the calling file's tests (call at the top level of the file). */
export function captureRuns(from: number, to: number): CapturedRuns {
  const capture = new Capture(from, to);
  let expected = 0;
  before(async () => {
    await capture.start();
  });
  after(async () => {
    killAll();
    await capture.stop();
  });
  return {
    expect: (n) => {
      expected += n;
    },
    itCapturedEveryMessage: () =>
      it('tshark: no malformed SIP, and every message captured', async () => {
        await capture.stop();
        assert.equal(await capture.problems(), '');
        const messages = await capture.sipMessages();
        // Retransmissions (a loaded machine, a slow first start) are counted once.
        assert.equal(messages.distinct, expected, messages.lines.join('\n'));
        capture.remove();
      }),
  };
}

/** Asserts sipp ended with exit code 0 (every call of its scenario passed). */
export function sippOk(r: Exit): void {
  assert.equal(r.code, 0, `sipp exit ${r.code}: ${r.stderr}${r.stdout.slice(-1500)}`);
}

/** sipp arguments that run our scenario `name` (`-sf`), calling `service` (`-s`) when given. */
export function scenario(name: string, service?: string): string[] {
  return ['-sf', join(SCENARIOS, name), ...(service === undefined ? [] : ['-s', service])];
}
