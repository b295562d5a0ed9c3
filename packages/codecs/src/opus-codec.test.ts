import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CodecError } from './errors.js';
import { OpusCodec } from './opus-codec.js';
import { correlation, goertzelPower, rms, speechLike, tone } from './signals.test-helper.js';

const created: OpusCodec[] = [];
function opus(options: ConstructorParameters<typeof OpusCodec>[0] = {}): OpusCodec {
  const c = new OpusCodec(options);
  created.push(c);
  return c;
}
after(() => {
  for (const c of created) c.destroy();
});

function frames(pcm: Int16Array, size: number): Int16Array[] {
  const out: Int16Array[] = [];
  for (let i = 0; i + size <= pcm.length; i += size) out.push(pcm.subarray(i, i + size));
  return out;
}

describe('Opus (libopus WASM)', () => {
  it('describes itself per RFC 7587: 48 kHz clock, rtpmap opus/48000/2, 20 ms = 960 samples', () => {
    const c = opus();
    assert.equal(c.clockRate, 48000);
    assert.equal(c.sampleRate, 48000);
    assert.equal(c.frameSize, 960);
    assert.equal(c.frameTimestampUnits, 960);
    assert.equal(c.sdp.rtpmap, 'opus/48000/2');
    assert.equal(c.sdp.fmtp, 'useinbandfec=1');
    const stereo = opus({ channels: 2, sampleRate: 16000, bitrate: 40000, dtx: true });
    assert.equal(stereo.sdp.rtpmap, 'opus/48000/2');
    assert.equal(stereo.frameTimestampUnits, 960);
    assert.equal(
      stereo.sdp.fmtp,
      'useinbandfec=1;usedtx=1;stereo=1;sprop-stereo=1;sprop-maxcapturerate=16000;maxaveragebitrate=40000',
    );
  });

  it('encodes and decodes a 1 kHz tone: 1 kHz dominates the decoded signal', () => {
    const c = opus({ bitrate: 32000 });
    const pcm = tone(1000, 48000, 48000);
    const decoded: number[] = [];
    for (const f of frames(pcm, 960)) decoded.push(...c.decode(c.encode(f)));
    assert.equal(decoded.length, 48000);
    const from = 4800; // skip the codec's start-up
    const p1k = goertzelPower(decoded, 1000, 48000, from);
    for (const other of [300, 700, 1500, 2000, 3000]) {
      assert.ok(p1k > 100 * goertzelPower(decoded, other, 48000, from), `1 kHz vs ${other} Hz`);
    }
    assert.ok(Math.abs(rms(decoded.slice(from)) - rms(pcm.subarray(from))) < 0.2 * rms(pcm.subarray(from)));
  });

  it('stereo: keeps the two channels apart (500 Hz left, 1500 Hz right)', () => {
    const c = opus({ channels: 2, bitrate: 128000, application: 'audio' }); // below ~96k libopus uses intensity stereo
    const left = tone(500, 48000, 48000);
    const right = tone(1500, 48000, 48000);
    const out: number[] = [];
    for (let i = 0; i < 48000; i += 960) {
      const f = new Int16Array(1920);
      for (let j = 0; j < 960; j++) {
        f[2 * j] = left[i + j];
        f[2 * j + 1] = right[i + j];
      }
      out.push(...c.decode(c.encode(f)));
    }
    const l = out.filter((_, i) => i % 2 === 0);
    const r = out.filter((_, i) => i % 2 === 1);
    const ratio = (x: number[], f: number, g: number) =>
      goertzelPower(x, f, 48000, 4800) / goertzelPower(x, g, 48000, 4800);
    assert.ok(ratio(l, 500, 1500) > 50, `left ${ratio(l, 500, 1500)}`);
    assert.ok(ratio(r, 1500, 500) > 50, `right ${ratio(r, 1500, 500)}`);
  });

  it('in-band FEC: a lost frame recovered from the next packet matches the lossless decode', () => {
    const pcm = speechLike(48000, 48000);
    const packets = frames(pcm, 960).map(
      (
        (enc) => (f: Int16Array) =>
          enc.encode(f)
      )(opus({ bitrate: 24000, fec: true, packetLossPercent: 20 })),
    );
    const lost = 12; // a voiced frame
    const reference = opus();
    const withFec = opus();
    const withPlc = opus();
    let refFrame: Int16Array = new Int16Array(0);
    let fecFrame: Int16Array = new Int16Array(0);
    let plcFrame: Int16Array = new Int16Array(0);
    for (let i = 0; i < packets.length; i++) {
      const r = reference.decode(packets[i]);
      if (i === lost) {
        refFrame = r;
        fecFrame = withFec.conceal(packets[i + 1]);
        plcFrame = withPlc.conceal();
      } else {
        withFec.decode(packets[i]);
        withPlc.decode(packets[i]);
      }
    }
    assert.equal(fecFrame.length, 960);
    assert.equal(plcFrame.length, 960);
    const cFec = correlation(fecFrame, refFrame);
    const cPlc = correlation(plcFrame, refFrame);
    assert.ok(cFec > 0.8, `FEC correlation ${cFec}`);
    assert.ok(cFec > cPlc, `FEC ${cFec} should beat PLC ${cPlc}`);
  });

  it('PLC: conceal() without a next packet produces one frame continuing the signal', () => {
    const c = opus({ bitrate: 32000 });
    const pcm = tone(440, 48000, 9600);
    for (const f of frames(pcm, 960)) c.decode(c.encode(f));
    const concealed = c.conceal();
    assert.equal(concealed.length, 960);
    assert.ok(rms(concealed) > 1000, `concealment energy ${rms(concealed)}`);
    assert.ok(goertzelPower(concealed, 440, 48000) > 10 * goertzelPower(concealed, 1500, 48000));
  });

  it('DTX: silence is coded as packets of at most 2 bytes, unlike without DTX', () => {
    const silence = new Int16Array(960);
    const sizes = (dtx: boolean) => {
      const c = opus({ dtx, bitrate: 32000 });
      return Array.from({ length: 50 }, () => c.encode(silence).length).slice(25);
    };
    // libopus still sends a refresh frame about every 400 ms during DTX.
    const withDtx = sizes(true);
    assert.ok(withDtx.filter((n) => n <= 2).length >= 20, `DTX sizes ${withDtx}`);
    assert.ok(sizes(false).every((n) => n > 2));
  });

  it('bitrate and complexity options take effect (higher bitrate → larger packets)', () => {
    const pcm = speechLike(48000, 48000);
    const total = (bitrate: number) => {
      const c = opus({ bitrate, complexity: 5, fec: false });
      return frames(pcm, 960).reduce((n, f) => n + c.encode(f).length, 0);
    };
    assert.ok(total(64000) > 1.8 * total(16000));
  });

  it('rejects invalid options and frame sizes with CodecError', () => {
    assert.throws(() => opus({ ptime: 25 }), CodecError);
    assert.throws(() => opus({ complexity: 11 }), CodecError);
    assert.throws(() => opus({ bitrate: 1 }), CodecError);
    const c = opus();
    assert.throws(() => c.encode(new Int16Array(100)), CodecError);
    assert.throws(() => c.decode(new Uint8Array(0)), CodecError);
  });

  it('destroy() frees the codec; later calls throw a CodecError with code "destroyed"', () => {
    const c = new OpusCodec();
    c.destroy();
    c.destroy();
    assert.throws(
      () => c.encode(new Int16Array(960)),
      (e: unknown) => e instanceof CodecError && e.code === 'destroyed',
    );
  });

  it('many codecs share one runtime and keep independent state', () => {
    const a = opus({ bitrate: 16000 });
    const b = opus({ bitrate: 16000 });
    const f = tone(1000, 48000, 960);
    const pa = a.encode(f);
    b.encode(tone(300, 48000, 960));
    const fresh = opus({ bitrate: 16000 });
    assert.deepEqual(fresh.encode(f), pa);
  });
});
