/**
 * `tsvoip uac` (the stack's UA core as UAC) against sipp UAS: built-in `uas` and `branchs`, and our
 * scenarios for digest auth (sipp challenges), CANCEL, PRACK (RFC 3262) and re-INVITE.
 * Ports 15080-15089; tshark captures them all and must find nothing malformed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Exit, run, startSipp, stop, tsvoipArgs } from './harness.js';
import { captureRuns, scenario } from './sipp/suite.js';

const runs = captureRuns(15080, 15089);

interface UacResult {
  outcomes: string[];
  statuses: number[];
  challenges: number;
  reliableProvisionals: number;
  reinvites: number;
  byeStatuses: number[];
  registerStatus?: number;
}

/** Runs sipp as UAS on `port` and `tsvoip uac` against it; both must succeed. */
async function call(
  sippArgs: readonly string[],
  port: number,
  uacArgs: readonly string[],
  calls: number,
): Promise<UacResult> {
  const uas = await startSipp(
    [...sippArgs, '-i', '127.0.0.1', '-p', String(port), '-m', String(calls)],
    25_000,
  );
  let uac: Exit;
  let sippExit: Exit;
  try {
    uac = await run(
      process.execPath,
      tsvoipArgs([
        'uac',
        `sip:service@127.0.0.1:${port}`,
        '--listen',
        `udp:127.0.0.1:${port + 5}`,
        '--calls',
        String(calls),
        ...uacArgs,
      ]),
      25_000,
    );
  } finally {
    // sipp's UAS ends by itself after -m calls (and their timewait); stop it if it does not.
    const t = setTimeout(() => uas.child.kill('SIGTERM'), 10_000);
    sippExit = await uas.exited;
    clearTimeout(t);
    await stop(uas);
  }
  assert.equal(uac.code, 0, `tsvoip uac exit ${uac.code}: ${uac.stderr}${uac.stdout}`);
  assert.equal(sippExit.code, 0, `sipp exit ${sippExit.code}: ${sippExit.stdout.slice(-1500)}`);
  return JSON.parse(uac.stdout.trim().split('\n').pop() ?? '{}') as UacResult;
}

describe('tsvoip uac -> sipp UAS', () => {
  it('calls sipp -sn uas: INVITE/180/200/ACK/BYE/200', async () => {
    const r = await call(['-sn', 'uas'], 15080, [], 3);
    runs.expect(3 * 6);
    assert.deepEqual(r.outcomes, ['completed', 'completed', 'completed']);
    assert.deepEqual(r.byeStatuses, [200, 200, 200]);
  });

  it('passes sipp -sn branchs (REGISTER first, From ua2; 180 then 100 then 200)', async () => {
    const r = await call(['-sn', 'branchs'], 15081, ['--register', '--user', 'ua2'], 1);
    runs.expect(9);
    assert.equal(r.registerStatus, 200);
    assert.deepEqual(r.outcomes, ['completed']);
  });

  it("answers sipp's 401 with digest credentials, same Call-ID, CSeq + 1 (RFC 3261 §22.2)", async () => {
    const r = await call(scenario('uas-auth.xml'), 15082, ['--auth', 'alice:secret'], 2);
    runs.expect(2 * 9);
    assert.equal(r.challenges, 2);
    assert.deepEqual(r.statuses, [200, 200]);
    assert.deepEqual(r.outcomes, ['completed', 'completed']);
  });

  it('cancels a ringing call: CANCEL, 200, 487, ACK (RFC 3261 §9.1)', async () => {
    const r = await call(scenario('uas-cancel.xml'), 15083, ['--cancel-after', '300'], 2);
    runs.expect(2 * 6);
    assert.deepEqual(r.outcomes, ['cancelled', 'cancelled']);
  });

  it('PRACKs a reliable 180 (RFC 3262 §4)', async () => {
    const r = await call(scenario('uas-prack.xml'), 15084, [], 2);
    runs.expect(2 * 8);
    assert.equal(r.reliableProvisionals, 2);
    assert.deepEqual(r.outcomes, ['completed', 'completed']);
  });

  it('re-INVITEs with a new offer, gets the answer, then BYE (RFC 3261 §14.1)', async () => {
    const r = await call(scenario('uas-reinvite.xml'), 15085, ['--reinvite'], 2);
    runs.expect(2 * 9);
    assert.equal(r.reinvites, 2);
    assert.deepEqual(r.byeStatuses, [200, 200]);
  });

  runs.itCapturedEveryMessage();
});
