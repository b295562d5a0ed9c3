/**
 * tsvoip ⇄ baresip 1.0.0 over UDP on loopback, through the UA API of @tsvoip/session: for PCMU,
 * PCMA, G.722 and Opus, each side plays its own tone (tsvoip 1 kHz, baresip 1.6 kHz) and each
 * side's recording (tsvoip's `call.record`, baresip's sndfile dump) holds the other's tone,
 * > 20 dB above every other bin (Goertzel), in at least 3 whole seconds.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type BaresipCodec, killAllBaresip } from './baresip/baresip.js';
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

const SLOT = PORTS.tones;
const CALL_MS = 4500;
const CODECS: readonly BaresipCodec[] = ['PCMU', 'PCMA', 'G722', 'opus'];

describe('baresip interop: tones both ways (UA API, UDP)', () => {
  after(() => killAllBaresip());

  for (const codec of CODECS) {
    it(`tsvoip calls baresip with ${codec}: each side hears the other's tone`, {
      timeout: 20_000,
    }, async (t) => {
      const dir = workDir(`out-${codec}`);
      const bs = await startBaresip(dir, SLOT, codec, { autoAnswer: true });
      const heard = join(dir, 'tsvoip-heard.wav');
      const ua = await startTsvoip(SLOT, codec).catch(async (e: unknown) => {
        await bs.stop();
        throw e;
      });
      try {
        const call = await ua.call(bs.uri);
        assert.equal(call.mediaConfig?.codecs[0]?.name, codec);
        playAndRecord(call, heard);
        await sleep(CALL_MS);
        await call.hangup();
        await bs.waitForEvent('CALL_CLOSED', 3000);
      } finally {
        await ua.close();
        await bs.stop();
      }
      t.diagnostic(assertTonesBothWays(heard, bs.dump('dec'), `tsvoip → baresip ${codec}`));
    });

    it(`baresip calls tsvoip with ${codec}: each side hears the other's tone`, {
      timeout: 20_000,
    }, async (t) => {
      const dir = workDir(`in-${codec}`);
      const ua = await startTsvoip(SLOT, codec);
      const heard = join(dir, 'tsvoip-heard.wav');
      const bs = await startBaresip(dir, SLOT, codec, { autoAnswer: false }).catch(async (e: unknown) => {
        await ua.close();
        throw e;
      });
      try {
        const answered = acceptNext(ua);
        const r = await bs.command('dial', `sip:tsvoip@127.0.0.1:${SLOT.tsvoipSip}`);
        assert.ok(r.ok, `baresip dial: ${r.data}`);
        const call = await answered;
        assert.equal(call.mediaConfig?.codecs[0]?.name, codec);
        playAndRecord(call, heard);
        await bs.waitForEvent('CALL_ESTABLISHED', 3000);
        await sleep(CALL_MS);
        // baresip hangs up: tsvoip must see the BYE and end the call.
        await bs.command('hangup');
        assert.equal(await Promise.race([call.ended(), sleep(3000).then(() => 'no BYE seen')]), 'remote-bye');
      } finally {
        await ua.close();
        await bs.stop();
      }
      t.diagnostic(assertTonesBothWays(heard, bs.dump('dec'), `baresip → tsvoip ${codec}`));
    });
  }
});
