import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, describe, it } from 'node:test';
import { dtmfToneSpec, readWav, writeWav } from '@tsvoip/dsp';
import type { MediaSessionConfig } from './media-config.js';
import { NodeMediaDriver } from './node-media-driver.js';
import type { NodeMediaStream } from './node-media-stream.js';
import { concat, sineSource, toneMarginDb } from './virtual-network.test-helper.js';

const dir = mkdtempSync(join(tmpdir(), 'tsvoip-media-'));
const drivers: NodeMediaDriver[] = [];

after(async () => {
  await Promise.all(drivers.map((d) => d.close()));
  rmSync(dir, { recursive: true, force: true });
});

function configFor(peer: NodeMediaStream, rtcpMux: boolean): MediaSessionConfig {
  return {
    remoteAddress: peer.localAddress,
    remotePort: peer.ports.rtp,
    remoteRtcpPort: peer.ports.rtcp,
    rtcpMux,
    codecs: [{ payloadType: 0, name: 'PCMU', clockRate: 8000 }],
    telephoneEvent: { payloadType: 101, clockRate: 8000 },
    direction: 'sendrecv',
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('NodeMediaDriver on 127.0.0.1 with real UDP sockets', () => {
  it('carries ~1 s of audio both ways, DTMF, and records what it receives', async () => {
    const driver = new NodeMediaDriver({ portMin: 41000, portMax: 41999 });
    drivers.push(driver);
    const a = await driver.open({ rtcpMux: true, rtcpMinIntervalMs: 300 });
    const b = await driver.open({ rtcpMux: true, rtcpMinIntervalMs: 300 });
    assert.equal(a.ports.rtp % 2, 0);
    assert.equal(a.ports.rtcp, a.ports.rtp);
    a.start(configFor(b, true));
    b.start(configFor(a, true));

    // A plays a 1 kHz WAV file at 16 kHz (resampled to PCMU's 8 kHz); B writes 1.6 kHz frames.
    const wavPath = join(dir, 'tone.wav');
    const tone = sineSource(1000, 16000);
    const frames = Array.from({ length: 60 }, () => tone());
    const { writeFileSync } = await import('node:fs');
    writeFileSync(wavPath, writeWav({ sampleRate: 16000, channels: 1, samples: concat(frames) }));
    const recording = a.record(join(dir, 'a-hears.wav'));
    const heardByB: Int16Array[] = [];
    b.onAudio((samples) => heardByB.push(samples.slice()));
    const digits: string[] = [];
    a.onEvent((e) => {
      if (e.type === 'dtmf') digits.push(e.digit);
    });
    const played = a.play(wavPath);
    const toneB = sineSource(1600, 8000);
    const writer = (async () => {
      for (let i = 0; i < 50; i++) {
        if (!b.write(toneB())) await b.drained();
      }
    })();
    await Promise.race([played, sleep(3000)]);
    await writer;
    b.sendDtmf('42');
    await sleep(700);

    const sb = b.statistics();
    const sa = a.statistics();
    assert.ok(sb.packetsReceived >= 45, `B received ${sb.packetsReceived}`);
    assert.ok(sa.packetsReceived >= 45, `A received ${sa.packetsReceived}`);
    assert.equal(sb.fractionLost, 0);
    assert.deepEqual(digits, ['4', '2']);
    const atB = concat(heardByB.slice(10, 50));
    assert.ok(toneMarginDb(atB, 1000, [400, 700, 1300, 1600, 2000, 3000], 8000) > 20, 'B hears 1 kHz');
    await a.stop();
    await b.stop();
    const wav = readWav(readFileSync(join(dir, 'a-hears.wav')));
    assert.equal(wav.sampleRate, 8000);
    assert.ok(recording.durationSeconds > 1);
    const heardByA = wav.samples.subarray(8000 * 0.2, 8000 * 1.0);
    assert.ok(
      toneMarginDb(heardByA, 1600, [400, 700, 1000, 1300, 2000, 3000], 8000) > 20,
      'A recorded 1.6 kHz',
    );
    assert.equal(driver.size, 0);
  });

  it('plays a DTMF tone through playTone and separate RTCP ports, then gives RTCP BYE', async () => {
    const driver = new NodeMediaDriver({ portMin: 42000, portMax: 42999, clock: 'per-stream' });
    drivers.push(driver);
    const a = await driver.open();
    const b = await driver.open();
    assert.equal(a.ports.rtcp, a.ports.rtp + 1);
    a.start(configFor(b, false));
    b.start(configFor(a, false));
    const byes: number[] = [];
    b.onEvent((e) => {
      if (e.type === 'bye') byes.push(e.ssrc);
    });
    const received = b.frames();
    await a.playTone(dtmfToneSpec('5', { durationMs: 200, pauseMs: 0 }), 200);
    await sleep(200);
    const ssrc = a.session?.ssrc;
    await a.stop();
    await sleep(100);
    assert.deepEqual(byes, [ssrc]);
    await b.stop();
    let n = 0;
    for await (const f of received) n += f.samples.length > 0 ? 1 : 0;
    assert.ok(n >= 10, `${n} frames iterated`);
  });

  it('reports an exhausted port range clearly and releases ports on stop', async () => {
    const driver = new NodeMediaDriver({ portMin: 43000, portMax: 43003 });
    drivers.push(driver);
    const one = await driver.open();
    const two = await driver.open();
    await assert.rejects(driver.open(), { name: 'PortRangeExhaustedError', min: 43000, max: 43003 });
    await one.stop();
    const three = await driver.open();
    assert.equal(three.ports.rtp, one.ports.rtp);
    await two.stop();
    await three.stop();
  });

  it('carries several calls over shared ports, each to its own peer stream (routed by SSRC)', async () => {
    const near = new NodeMediaDriver({ portMin: 45000, portMax: 45999, sharedPorts: 2 });
    const far = new NodeMediaDriver({ portMin: 46000, portMax: 46999, sharedPorts: 2 });
    drivers.push(near, far);
    const calls = 4;
    const a: NodeMediaStream[] = [];
    const b: NodeMediaStream[] = [];
    for (let i = 0; i < calls; i++) {
      a.push(await near.open({ rtcpMux: true }));
      b.push(await far.open({ rtcpMux: true }));
    }
    // Four calls, two ports per side: calls share ports, so only the SSRCs tell them apart.
    assert.equal(new Set(a.map((s) => s.ports.rtp)).size, 2);
    assert.equal(a[0].ports.rtp, a[2].ports.rtp);
    assert.equal(new Set(a.map((s) => s.ssrc)).size, calls);
    const heard: Int16Array[][] = b.map(() => []);
    for (let i = 0; i < calls; i++) {
      a[i].start({ ...configFor(b[i], true), remoteSsrc: b[i].ssrc });
      b[i].start({ ...configFor(a[i], true), remoteSsrc: a[i].ssrc });
      b[i].onAudio((samples) => heard[i].push(samples.slice()));
    }
    // Call i carries its own tone: each far stream must hear its own call's, not another's.
    const tones = [500, 900, 1300, 1700];
    await Promise.all(
      a.map((s, i) => {
        const tone = sineSource(tones[i], 8000);
        return s.play(Array.from({ length: 25 }, () => tone()));
      }),
    );
    await sleep(150);
    for (let i = 0; i < calls; i++) {
      const others = tones.filter((t) => t !== tones[i]);
      const margin = toneMarginDb(concat(heard[i].slice(6, 24)), tones[i], others, 8000);
      assert.ok(margin > 20, `call ${i} hears ${tones[i]} Hz (margin ${margin.toFixed(1)} dB)`);
      assert.equal(b[i].statistics().packetsLost, 0);
    }
    assert.equal(near.unmatchedDatagrams + far.unmatchedDatagrams, 0);
    await near.close();
    await far.close();
    assert.equal(near.size, 0);
  });

  it('talks from a shared port to a peer with a port per call, learning its SSRC from its address', async () => {
    const shared = new NodeMediaDriver({ portMin: 47000, portMax: 47999, sharedPorts: 1 });
    const perCall = new NodeMediaDriver({ portMin: 48000, portMax: 48999 });
    drivers.push(shared, perCall);
    const a1 = await shared.open({ rtcpMux: true });
    const a2 = await shared.open({ rtcpMux: true });
    const b1 = await perCall.open({ rtcpMux: true });
    const b2 = await perCall.open({ rtcpMux: true });
    assert.equal(a1.ports.rtp, a2.ports.rtp);
    // No a=ssrc from the per-call peer: its address alone identifies each call.
    a1.start(configFor(b1, true));
    a2.start(configFor(b2, true));
    b1.start(configFor(a1, true));
    b2.start(configFor(a2, true));
    await sleep(300);
    for (const s of [a1, a2, b1, b2]) assert.ok(s.statistics().packetsReceived >= 8, 'audio flowed');
    assert.equal(shared.unmatchedDatagrams, 0);
    await shared.close();
    await perCall.close();
  });

  it('wakes once per clock period for all streams, started at scattered instants', async () => {
    const driver = new NodeMediaDriver({ portMin: 44000, portMax: 44999 });
    drivers.push(driver);
    const streams: NodeMediaStream[] = [];
    for (let i = 0; i < 6; i++) streams.push(await driver.open({ rtcpMux: true }));
    // Start them 3 ms apart: unaligned, each would want its own wake-up every 20 ms.
    for (let i = 0; i < 6; i += 2) {
      streams[i].start(configFor(streams[i + 1], true));
      streams[i + 1].start(configFor(streams[i], true));
      await sleep(3);
    }
    const before = driver.ticks;
    const started = performance.now();
    await sleep(400);
    const ticks = driver.ticks - before;
    const periods = (performance.now() - started) / 20;
    // Timers only fire late, so a batched clock ticks at most once per period (+1 at the edges);
    // a clock per stream phase would tick about 3 times as often.
    assert.ok(ticks <= periods + 2, `${ticks} ticks in ${periods.toFixed(1)} periods`);
    for (const s of streams) assert.ok(s.statistics().packetsReceived >= 10, 'audio flowed');
    // Every stream sends on the same grid: send instants are whole periods apart.
    const sendPhases = new Set(
      streams.map((s) => Math.abs(Math.round(s.nextSendMs - streams[0].nextSendMs)) % 20),
    );
    assert.deepEqual([...sendPhases], [0]);
    await driver.close();
  });
});
