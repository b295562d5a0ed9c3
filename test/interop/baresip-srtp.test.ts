/**
 * SRTP with SDES keys (RFC 4568, RTP/SAVP) between tsvoip (UA API) and baresip 1.0.0 with
 * `mediaenc=srtp-mand`, both directions, PCMU: each side decrypts the other's tone; a plain
 * RTP/AVP offer to baresip's mandatory SRTP is refused.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CallFailedError } from '@tsvoip/session';
import { killAllBaresip } from './baresip/baresip.js';
import {
  acceptNext,
  assertTonesBothWays,
  PORTS,
  playAndRecord,
  sleep,
  startBaresip,
  startTsvoip,
  workDir,
} from './baresip/scenario.js';

const SLOT = PORTS.srtp;

describe('baresip interop: SRTP (SDES) over UDP, PCMU', () => {
  after(() => killAllBaresip());

  it('tsvoip calls baresip (srtp-mand): RTP/SAVP answered, tones both ways decrypted', {
    timeout: 20_000,
  }, async (t) => {
    const dir = workDir('srtp-out');
    const bs = await startBaresip(dir, SLOT, 'PCMU', { autoAnswer: true, srtp: true });
    const ua = await startTsvoip(SLOT, 'PCMU', true).catch(async (e: unknown) => {
      await bs.stop();
      throw e;
    });
    const heard = join(dir, 'tsvoip-heard.wav');
    try {
      const call = await ua.call(bs.uri);
      assert.notEqual(call.mediaConfig?.srtp, undefined, 'no SRTP keys negotiated');
      playAndRecord(call, heard);
      await sleep(4500);
      const stats = call.stats();
      assert.equal(stats.srtp, true);
      assert.equal(stats.media?.srtpErrors, 0);
      await call.hangup();
      await bs.waitForEvent('CALL_CLOSED', 3000);
    } finally {
      await ua.close();
      await bs.stop();
    }
    t.diagnostic(assertTonesBothWays(heard, bs.dump('dec'), 'tsvoip → baresip SRTP'));
  });

  it('baresip (srtp-mand) calls tsvoip: SDES answered, tones both ways decrypted', {
    timeout: 20_000,
  }, async (t) => {
    const dir = workDir('srtp-in');
    const ua = await startTsvoip(SLOT, 'PCMU', true);
    const bs = await startBaresip(dir, SLOT, 'PCMU', { autoAnswer: false, srtp: true }).catch(
      async (e: unknown) => {
        await ua.close();
        throw e;
      },
    );
    const heard = join(dir, 'tsvoip-heard.wav');
    try {
      const answered = acceptNext(ua);
      assert.ok((await bs.command('dial', `sip:tsvoip@127.0.0.1:${SLOT.tsvoipSip}`)).ok);
      const call = await answered;
      assert.notEqual(call.mediaConfig?.srtp, undefined, 'no SRTP keys negotiated');
      playAndRecord(call, heard);
      await sleep(4500);
      assert.equal(call.stats().media?.srtpErrors, 0);
      await bs.command('hangup');
      await Promise.race([call.ended(), sleep(3000)]);
    } finally {
      await ua.close();
      await bs.stop();
    }
    t.diagnostic(assertTonesBothWays(heard, bs.dump('dec'), 'baresip → tsvoip SRTP'));
  });

  it('a plain RTP/AVP offer to baresip with mandatory SRTP fails the call', { timeout: 20_000 }, async () => {
    const dir = workDir('srtp-refused');
    const bs = await startBaresip(dir, SLOT, 'PCMU', { autoAnswer: true, srtp: true });
    const ua = await startTsvoip(SLOT, 'PCMU', false).catch(async (e: unknown) => {
      await bs.stop();
      throw e;
    });
    try {
      await assert.rejects(ua.call(bs.uri), (e: unknown) => e instanceof CallFailedError && e.status >= 400);
    } finally {
      await ua.close();
      await bs.stop();
    }
  });
});
