/**
 * Hold and resume between tsvoip (UA API) and baresip 1.0.0 (ctrl_tcp `hold` / `resume`), from
 * either side, over UDP with PCMU: the re-INVITE offer/answer puts the directions where RFC 3264
 * §8.4 says, and the far end's tone is back after the resume. Recordings are cut per phase
 * (before hold, on hold, resumed) so each phase is judged on its own audio.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BARESIP_HZ, checkTone, describeTone, secondsWithTone } from './baresip/audio.js';
import { killAllBaresip } from './baresip/baresip.js';
import { PORTS, sleep, startBaresip, startTsvoip, tsvoipTone, workDir } from './baresip/scenario.js';

const SLOT = PORTS.features;

describe('baresip interop: hold and resume (UA API, UDP, PCMU)', () => {
  after(() => killAllBaresip());

  it('tsvoip holds (sendonly) and resumes: baresip goes recvonly then sendrecv, its tone stops and comes back', {
    timeout: 20_000,
  }, async (t) => {
    const dir = workDir('hold-local');
    const bs = await startBaresip(dir, SLOT, 'PCMU', { autoAnswer: true });
    const ua = await startTsvoip(SLOT, 'PCMU').catch(async (e: unknown) => {
      await bs.stop();
      throw e;
    });
    const phase = (n: string) => join(dir, `tsvoip-${n}.wav`);
    let heldPackets = -1;
    try {
      const call = await ua.call(bs.uri);
      const tone = tsvoipTone(15);
      void call.play(tone.samples, { sampleRate: tone.sampleRate }).catch(() => undefined);
      let r = call.record(phase('before'));
      await sleep(2000);
      await r.stop();

      await call.hold();
      assert.equal(call.onHold, true);
      // RFC 3264 §8.4: we offered sendonly, the answer must be recvonly.
      assert.equal(call.mediaConfig?.direction, 'sendonly');
      await sleep(300); // let packets in flight drain
      r = call.record(phase('held'));
      const receivedBefore = call.stream.statistics().packetsReceived;
      await sleep(1700);
      heldPackets = call.stream.statistics().packetsReceived - receivedBefore;
      await r.stop();

      await call.resume();
      assert.equal(call.onHold, false);
      assert.equal(call.mediaConfig?.direction, 'sendrecv');
      await sleep(300);
      r = call.record(phase('resumed'));
      await sleep(2700);
      await r.stop();
      await call.hangup();
      await bs.waitForEvent('CALL_CLOSED', 3000);
      // baresip saw the INVITE's offer, then two re-INVITE offers (hold, resume).
      const offers = bs.events.filter((e) => e.type === 'CALL_REMOTE_SDP' && e.param === 'offer');
      assert.equal(offers.length, 3, JSON.stringify(bs.events.map((e) => [e.type, e.param])));
    } finally {
      await ua.close();
      await bs.stop();
    }
    const before = checkTone(phase('before'), BARESIP_HZ);
    const held = checkTone(phase('held'), BARESIP_HZ, 0);
    const resumed = checkTone(phase('resumed'), BARESIP_HZ);
    assert.ok(secondsWithTone(before) >= 1, `before hold: ${describeTone(before)}`);
    // On hold (recvonly) baresip sends nothing: no RTP, no second of its tone.
    assert.ok(heldPackets >= 0 && heldPackets <= 5, `RTP packets received while on hold: ${heldPackets}`);
    assert.equal(secondsWithTone(held, 10), 0, `on hold: ${describeTone(held)}`);
    assert.ok(secondsWithTone(resumed) >= 2, `after resume: ${describeTone(resumed)}`);
    t.diagnostic(
      `before ${describeTone(before)}; held ${heldPackets} packets;  resumed ${describeTone(resumed)}`,
    );
  });

  it('baresip holds and resumes: tsvoip reports remote hold (recvonly) and resume, tsvoip hears baresip again and baresip receives our RTP again', {
    timeout: 20_000,
  }, async (t) => {
    const dir = workDir('hold-remote');
    const bs = await startBaresip(dir, SLOT, 'PCMU', { autoAnswer: true });
    const ua = await startTsvoip(SLOT, 'PCMU').catch(async (e: unknown) => {
      await bs.stop();
      throw e;
    });
    const phase = (n: string) => join(dir, `tsvoip-${n}.wav`);
    const holdEvents: boolean[] = [];
    try {
      const call = await ua.call(bs.uri);
      call.on('remote-hold', (held) => holdEvents.push(held));
      const tone = tsvoipTone(15);
      void call.play(tone.samples, { sampleRate: tone.sampleRate }).catch(() => undefined);
      await bs.waitForEvent('CALL_ESTABLISHED', 3000);
      await sleep(1500);

      assert.ok((await bs.command('hold')).ok);
      await waitFor(() => call.remoteOnHold, 3000, 'remote-hold');
      // RFC 3264 §8.4: baresip offered sendonly, so we receive only.
      assert.equal(call.mediaConfig?.direction, 'recvonly');
      await sleep(1500);

      assert.ok((await bs.command('resume')).ok);
      await waitFor(() => !call.remoteOnHold, 3000, 'resume');
      assert.equal(call.mediaConfig?.direction, 'sendrecv');
      await sleep(300);
      const r = call.record(phase('resumed'));
      // 3.7 s of recording for the ≥ 2 whole seconds of tone asserted below: a loaded machine can
      // delay the first resumed packets by a few hundred ms.
      await sleep(3700);
      await r.stop();
      await call.hangup();
      await bs.waitForEvent('CALL_CLOSED', 3000);
    } finally {
      await ua.close();
      await bs.stop();
    }
    assert.deepEqual(holdEvents, [true, false]);
    assert.match(bs.log, /call: hold /);
    assert.match(bs.log, /call: resume /);
    const resumed = checkTone(phase('resumed'), BARESIP_HZ);
    assert.ok(secondsWithTone(resumed) >= 2, `tsvoip after resume: ${describeTone(resumed)}`);
    // baresip 1.0 stops writing its sndfile dump of what it hears once it puts a call on hold (the
    // player is restarted without the filter), so audio back at baresip is judged on its RTP
    // counters: ~1.5 s before the hold + ~3 s after the resume at 50 packets/s, none while held.
    const m = /packets:\s+(\d+)\s+(\d+)/.exec(bs.log);
    assert.ok(m !== null, 'baresip printed no RTP summary');
    const received = Number(m[2]);
    assert.ok(
      received >= 200,
      `baresip received ${received} packets: our audio did not come back after resume`,
    );
    t.diagnostic(`tsvoip resumed ${describeTone(resumed)}; baresip received ${received} RTP packets`);
  });
});

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`no ${what} within ${ms} ms`);
    await sleep(20);
  }
}
