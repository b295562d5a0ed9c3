/**
 * sipp as UAC against `tsvoip uas --engine ua` (the stack's user agent core): built-in `uac`,
 * PRACK (RFC 3262), re-INVITE, OPTIONS/MESSAGE, digest auth and CANCEL. Ports 15070-15079.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sipp, withUas } from './harness.js';
import { captureRuns, scenario, sippOk } from './sipp/suite.js';

const runs = captureRuns(15070, 15079);

describe('sipp UAC -> tsvoip uas --engine ua', () => {
  it('sipp -sn uac, PRACK, re-INVITE, OPTIONS and MESSAGE on one UAS', async () => {
    const c = await withUas(['--listen', 'udp:127.0.0.1:15070', '--engine', 'ua', '--100rel'], async () => {
      const at = ['127.0.0.1:15070', '-i', '127.0.0.1', '-p', '15075', '-r', '20'];
      sippOk(await sipp(['-sn', 'uac', ...at, '-m', '10']));
      // RFC 3262 §3: Require: 100rel -> reliable 180, answered after its PRACK.
      sippOk(await sipp([...scenario('uac-prack.xml', 'service'), ...at, '-m', '3']));
      sippOk(await sipp([...scenario('uac-reinvite.xml', 'service'), ...at, '-m', '3']));
      sippOk(await sipp([...scenario('uac-options-message.xml', 'service'), ...at, '-m', '2']));
    });
    runs.expect(10 * 6 + 3 * 8 + 3 * 9 + 2 * 4);
    assert.equal(c.answered, 16);
    assert.equal(c.byes, 16);
    assert.equal(c.reinvites, 3);
    assert.equal(c.other, 4);
  });

  it('digest auth with the UA core (RFC 3261 §22.2)', async () => {
    const c = await withUas(
      ['--listen', 'udp:127.0.0.1:15071', '--engine', 'ua', '--auth', 'alice:secret'],
      async () => {
        sippOk(
          await sipp([
            ...scenario('uac-auth.xml', 'service'),
            '127.0.0.1:15071',
            ...['-i', '127.0.0.1', '-p', '15076', '-m', '2', '-r', '10'],
            ...['-au', 'alice', '-ap', 'secret', '-auth_uri', 'service@127.0.0.1:15071'],
          ]),
        );
      },
    );
    runs.expect(2 * 9);
    assert.equal(c.challenged, 2);
    assert.equal(c.answered, 2);
  });

  it('CANCEL while ringing with the UA core (RFC 3261 §9.2)', async () => {
    const c = await withUas(
      ['--listen', 'udp:127.0.0.1:15072', '--engine', 'ua', '--ring', '5000'],
      async () => {
        sippOk(
          await sipp([
            ...scenario('uac-cancel.xml', 'service'),
            '127.0.0.1:15072',
            '-i',
            '127.0.0.1',
            '-p',
            '15077',
            '-m',
            '2',
            '-r',
            '10',
          ]),
        );
      },
    );
    runs.expect(2 * 6);
    assert.equal(c.cancelled, 2);
    assert.equal(c.answered, 0);
  });

  runs.itCapturedEveryMessage();
});
