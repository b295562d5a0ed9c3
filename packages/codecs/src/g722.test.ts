import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CodecError } from './errors.js';
import { bytesToPcm, pcmBytes, runFfmpeg } from './ffmpeg.test-helper.js';
import { G722Decoder } from './g722-decoder.js';
import { G722Encoder } from './g722-encoder.js';
import { correlation, noise, speechLike, sweep, tone } from './signals.test-helper.js';

const RATE = 16000;
const N = RATE * 2; // 2 s per signal
const signals: Record<string, Int16Array> = {
  'tone 1 kHz': tone(1000, RATE, N),
  'sweep 50 Hz – 7.5 kHz': sweep(50, 7500, RATE, N),
  'white noise': noise(N),
  'speech-like': speechLike(RATE, N),
  'full-scale square': Int16Array.from({ length: N }, (_, i) => (Math.floor(i / 20) % 2 ? 32767 : -32768)),
};

function ffmpegEncode(pcm: Int16Array): Uint8Array {
  return runFfmpeg(
    pcmBytes(pcm),
    ['-f', 's16le', '-ar', '16000', '-ac', '1'],
    ['-c:a', 'g722', '-f', 'g722'],
    {
      in: 'raw',
      out: 'g722',
    },
  );
}

function ffmpegDecode(bytes: Uint8Array): Int16Array {
  return bytesToPcm(runFfmpeg(bytes, ['-f', 'g722'], ['-f', 's16le'], { in: 'g722', out: 'raw' }));
}

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('G.722 bit-exact with ffmpeg (ITU-T G.722, 64 kbit/s)', () => {
  for (const [name, pcm] of Object.entries(signals)) {
    it(`${name}: encoder output equals ffmpeg's g722 encoder byte for byte`, () => {
      const ref = ffmpegEncode(pcm);
      const ours = new G722Encoder().encode(pcm);
      assert.equal(ours.length, N / 2);
      assert.equal(firstDifference(ours, ref), -1);
    });

    it(`${name}: decoder output equals ffmpeg's g722 decoder sample for sample`, () => {
      const bytes = ffmpegEncode(pcm);
      const ref = ffmpegDecode(bytes);
      const ours = new G722Decoder().decode(bytes);
      assert.equal(ours.length, ref.length);
      assert.equal(firstDifference(ours, ref), -1);
    });
  }

  it('decodes random byte streams exactly like ffmpeg (every code path of the decoder)', () => {
    const bytes = Uint8Array.from(noise(8000, 32767, 99), (v) => v & 0xff);
    assert.equal(firstDifference(new G722Decoder().decode(bytes), ffmpegDecode(bytes)), -1);
  });
});

describe('G.722 codec behaviour', () => {
  it('round trip keeps a 1 kHz tone (correlation with the input, after the 22-sample QMF delay)', () => {
    const pcm = tone(1000, RATE, 3200);
    const out = new G722Decoder().decode(new G722Encoder().encode(pcm));
    const delay = 22;
    const c = correlation(pcm.subarray(400, 3000), out.subarray(400 + delay, 3000 + delay));
    assert.ok(c > 0.99, `correlation ${c}`);
  });

  it('encoding in 20 ms frames gives the same bytes as one call (state persists across frames)', () => {
    const pcm = signals['speech-like'];
    const whole = new G722Encoder().encode(pcm);
    const enc = new G722Encoder();
    const framed = new Uint8Array(whole.length);
    for (let i = 0; i < pcm.length; i += 320) framed.set(enc.encode(pcm.subarray(i, i + 320)), i / 2);
    assert.deepEqual(framed, whole);
  });

  it('property: any split into even-length chunks gives the same bytes, and decoding likewise', () => {
    const pcm = signals['sweep 50 Hz – 7.5 kHz'].subarray(0, 4000);
    const whole = new G722Encoder().encode(pcm);
    const decodedWhole = new G722Decoder().decode(whole);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 20 }), (pairs) => {
        const enc = new G722Encoder();
        const dec = new G722Decoder();
        const bytes: number[] = [];
        const samples: number[] = [];
        let at = 0;
        let k = 0;
        while (at < pcm.length) {
          const len = Math.min(2 * pairs[k++ % pairs.length], pcm.length - at);
          const chunk = enc.encode(pcm.subarray(at, at + len));
          bytes.push(...chunk);
          samples.push(...dec.decode(chunk));
          at += len;
        }
        return firstDifference(bytes, whole) === -1 && firstDifference(samples, decodedWhole) === -1;
      }),
      { numRuns: 30 },
    );
  });

  it('reset() returns to the initial state', () => {
    const enc = new G722Encoder();
    const first = enc.encode(signals['white noise'].subarray(0, 640));
    enc.encode(signals['tone 1 kHz'].subarray(0, 640));
    enc.reset();
    assert.deepEqual(enc.encode(signals['white noise'].subarray(0, 640)), first);
  });

  it('rejects an odd number of samples with a CodecError', () => {
    assert.throws(() => new G722Encoder().encode(new Int16Array(3)), CodecError);
  });

  it('writes into caller buffers', () => {
    const out = new Uint8Array(200);
    const r = new G722Encoder().encode(new Int16Array(320), out);
    assert.equal(r.buffer, out.buffer);
    assert.equal(r.length, 160);
  });
});
