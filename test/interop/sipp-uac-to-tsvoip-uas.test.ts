/**
 * sipp as UAC against `tsvoip uas` (transaction-layer engine): sipp's built-in `uac` and `branchc`
 * scenarios over UDP and TCP, and our scenarios for digest auth, CANCEL, re-INVITE, OPTIONS and
 * MESSAGE. Ports 15060-15069; tshark captures them all and must find nothing malformed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sipp, withUas } from './harness.js';
import { captureRuns, scenario, sippOk } from './sipp/suite.js';

const runs = captureRuns(15060, 15069);

describe('sipp UAC -> tsvoip uas (transaction engine)', () => {
  it('answers sipp -sn uac over UDP: 20 calls INVITE/180/200/ACK/BYE/200', async () => {
    const c = await withUas(['--listen', 'udp:127.0.0.1:15060'], async () => {
      sippOk(
        await sipp([
          '-sn',
          'uac',
          '127.0.0.1:15060',
          '-i',
          '127.0.0.1',
          '-p',
          '15065',
          '-m',
          '20',
          '-r',
          '50',
        ]),
      );
    });
    runs.expect(20 * 6);
    assert.deepEqual([c.answered, c.acked, c.byes, c.retransmissions], [20, 20, 20, 0]);
  });

  it('answers sipp -sn uac over TCP (RFC 3261 §18.2.2: responses on the same connection)', async () => {
    const c = await withUas(['--listen', 'tcp:127.0.0.1:15061'], async () => {
      sippOk(
        await sipp([
          '-sn',
          'uac',
          '127.0.0.1:15061',
          '-t',
          't1',
          '-i',
          '127.0.0.1',
          '-p',
          '15066',
          '-m',
          '10',
          '-r',
          '50',
        ]),
      );
    });
    runs.expect(10 * 6);
    assert.equal(c.byes, 10);
  });

  it('passes sipp -sn branchc (REGISTER answered 200, then a call)', async () => {
    const c = await withUas(['--listen', 'udp:127.0.0.1:15062'], async () => {
      sippOk(
        await sipp(
          ['-sn', 'branchc', '127.0.0.1:15062', '-i', '127.0.0.1', '-p', '15067', '-m', '2', '-r', '10'],
          25_000,
        ),
      );
    });
    runs.expect(2 * 8);
    assert.equal(c.answered, 2);
    assert.equal(c.other, 2); // the REGISTERs
  });

  it('re-INVITE (RFC 3261 §14.2), OPTIONS and MESSAGE (RFC 3428): 200 each', async () => {
    const c = await withUas(['--listen', 'udp:127.0.0.1:15063'], async () => {
      const at = ['127.0.0.1:15063', '-i', '127.0.0.1', '-p', '15068', '-r', '10'];
      sippOk(await sipp([...scenario('uac-reinvite.xml', 'service'), ...at, '-m', '3']));
      sippOk(await sipp([...scenario('uac-options-message.xml', 'service'), ...at, '-m', '2']));
    });
    runs.expect(3 * 9 + 2 * 4);
    assert.equal(c.reinvites, 3);
    assert.equal(c.other, 4);
  });

  it('digest auth: 401, then sipp answers the challenge and the call goes through (RFC 3261 §22.2)', async () => {
    const c = await withUas(['--listen', 'udp:127.0.0.1:15064', '--auth', 'alice:secret'], async () => {
      // -auth_uri: sipp's digest-uri defaults to remote_ip:port instead of the Request-URI (RFC 3261 §22.4).
      sippOk(
        await sipp([
          ...scenario('uac-auth.xml', 'service'),
          '127.0.0.1:15064',
          ...['-i', '127.0.0.1', '-p', '15069', '-m', '3', '-r', '10'],
          ...['-au', 'alice', '-ap', 'secret', '-auth_uri', 'service@127.0.0.1:15064'],
        ]),
      );
    });
    runs.expect(3 * 9);
    assert.equal(c.challenged, 3);
    assert.equal(c.answered, 3);
  });

  it('a wrong password is challenged again, not answered', async () => {
    const c = await withUas(['--listen', 'udp:127.0.0.1:15064', '--auth', 'alice:secret'], async () => {
      // The scenario takes the second 401 as its "rejected" branch: ACK and end.
      sippOk(
        await sipp([
          ...scenario('uac-auth.xml', 'service'),
          '127.0.0.1:15064',
          ...['-i', '127.0.0.1', '-p', '15069', '-m', '1', '-r', '10'],
          ...['-au', 'alice', '-ap', 'wrong', '-auth_uri', 'service@127.0.0.1:15064'],
        ]),
      );
    });
    runs.expect(6); // INVITE, 401, ACK, INVITE, 401, ACK
    assert.equal(c.challenged, 2);
    assert.equal(c.answered, 0);
  });

  it('CANCEL while ringing: 200 to the CANCEL, 487 to the INVITE (RFC 3261 §9.2)', async () => {
    const c = await withUas(['--listen', 'udp:127.0.0.1:15064', '--ring', '5000'], async () => {
      sippOk(
        await sipp([
          ...scenario('uac-cancel.xml', 'service'),
          '127.0.0.1:15064',
          '-i',
          '127.0.0.1',
          '-p',
          '15069',
          '-m',
          '3',
          '-r',
          '10',
        ]),
      );
    });
    runs.expect(3 * 6);
    assert.equal(c.cancelled, 3);
    assert.equal(c.answered, 0);
  });

  runs.itCapturedEveryMessage();
});
