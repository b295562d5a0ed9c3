import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ALAW_TO_LINEAR, alawToLinear, decodeAlaw, encodeAlaw, linearToAlaw } from './alaw.js';
import { bytesToPcm, pcmBytes, runFfmpeg } from './ffmpeg.test-helper.js';
import { decodeMulaw, encodeMulaw, linearToMulaw, MULAW_TO_LINEAR, mulawToLinear } from './mulaw.js';

const allSamples = new Int16Array(65536);
for (let i = 0; i < 65536; i++) allSamples[i] = i - 32768;
const allCodes = new Uint8Array(256);
for (let i = 0; i < 256; i++) allCodes[i] = i;

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('G.711 against ffmpeg (all inputs)', () => {
  for (const [law, encode, decode] of [
    ['mulaw', encodeMulaw, decodeMulaw],
    ['alaw', encodeAlaw, decodeAlaw],
  ] as const) {
    it(`${law}: encodes all 65,536 16-bit values to the same bytes as ffmpeg pcm_${law}`, () => {
      const ref = runFfmpeg(pcmBytes(allSamples), ['-f', 's16le', '-ar', '8000', '-ac', '1'], ['-f', law]);
      const ours = encode(allSamples);
      const at = firstDifference(ours, ref);
      assert.equal(at, -1, `first difference at input ${at - 32768}: ours ${ours[at]}, ffmpeg ${ref[at]}`);
    });

    it(`${law}: decodes all 256 codes to the same samples as ffmpeg`, () => {
      const ref = bytesToPcm(runFfmpeg(allCodes, ['-f', law, '-ar', '8000', '-ac', '1'], ['-f', 's16le']));
      const ours = decode(allCodes);
      assert.equal(firstDifference(ours, ref), -1);
    });
  }
});

describe('G.711 tables (ITU-T G.711 Tables 1a/2a)', () => {
  it('µ-law: codes 0xff/0x7f are +0/−0, 0x80 is the largest (8031·4 = 32124) and 0x00 its negative', () => {
    assert.equal(mulawToLinear(0xff), 0);
    assert.equal(mulawToLinear(0x7f), 0);
    assert.equal(mulawToLinear(0x80), 32124);
    assert.equal(mulawToLinear(0x00), -32124);
  });
  it('A-law: 0xd5 is the smallest positive level (+8) and 0x2a the largest negative (−32256)', () => {
    assert.equal(alawToLinear(0xd5), 8);
    assert.equal(alawToLinear(0x55), -8);
    assert.equal(alawToLinear(0xaa), 32256);
    assert.equal(alawToLinear(0x2a), -32256);
  });
  it('single-sample functions agree with the array functions', () => {
    for (const x of [-32768, -1000, -1, 0, 1, 77, 32767]) {
      assert.equal(linearToMulaw(x), encodeMulaw(Int16Array.of(x))[0]);
      assert.equal(linearToAlaw(x), encodeAlaw(Int16Array.of(x))[0]);
    }
  });
  it('property: frame functions equal the per-sample ones for any length and offset (unrolled body + tail)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 40 }),
        fc.nat(7),
        (xs, offset) => {
          const backing = new Int16Array(offset + xs.length);
          backing.set(xs, offset);
          const pcm = backing.subarray(offset);
          const mu = encodeMulaw(pcm);
          const a = encodeAlaw(pcm);
          const muPcm = decodeMulaw(mu);
          const aPcm = decodeAlaw(a);
          return xs.every(
            (x, i) =>
              mu[i] === linearToMulaw(x) &&
              a[i] === linearToAlaw(x) &&
              muPcm[i] === mulawToLinear(mu[i]) &&
              aPcm[i] === alawToLinear(a[i]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
  it('writes into a caller buffer without allocating a new one', () => {
    const out = new Uint8Array(8);
    const r = encodeMulaw(Int16Array.of(0, 1000, -1000), out);
    assert.equal(r.buffer, out.buffer);
    assert.equal(r.length, 3);
    const pcm = new Int16Array(8);
    const d = decodeAlaw(Uint8Array.of(0xd5, 0x2a), pcm);
    assert.equal(d.buffer, pcm.buffer);
    assert.deepEqual(Array.from(d), [8, -32256]);
  });
});

// Quantization step (distance between adjacent reconstruction levels) around a decoded value.
function stepAround(table: Int16Array, value: number): number {
  const levels = Array.from(new Set(table)).sort((a, b) => a - b);
  const i = levels.indexOf(value);
  const below = i > 0 ? value - levels[i - 1] : Infinity;
  const above = i < levels.length - 1 ? levels[i + 1] - value : Infinity;
  return Math.max(below === Infinity ? above : below, above === Infinity ? below : above);
}

describe('G.711 properties', () => {
  for (const [law, table, toCode, fromCode] of [
    ['µ-law', MULAW_TO_LINEAR, linearToMulaw, mulawToLinear],
    ['A-law', ALAW_TO_LINEAR, linearToAlaw, alawToLinear],
  ] as const) {
    it(`${law}: decode(encode(x)) is within one quantization step of x (beyond the top level: clipped)`, () => {
      const top = Math.max(...table);
      fc.assert(
        fc.property(fc.integer({ min: -32768, max: 32767 }), (x) => {
          const y = fromCode(toCode(x));
          if (Math.abs(x) > top) return Math.sign(y) === Math.sign(x) && Math.abs(y) === top;
          return Math.abs(y - x) <= stepAround(table, y);
        }),
        { numRuns: 5000 },
      );
    });

    it(`${law}: decode(encode(x)) is the reconstruction level nearest to x on the 14-bit input grid`, () => {
      const levels = Array.from(new Set(table));
      fc.assert(
        fc.property(fc.integer({ min: -32768, max: 32767 }), (x) => {
          const g = (x >> 2) * 4; // the encoder sees x >> 2; thresholds are midpoints rounded to that grid
          const err = Math.abs(fromCode(toCode(x)) - g);
          const best = Math.min(...levels.map((l) => Math.abs(l - g)));
          return err <= best + 4;
        }),
        { numRuns: 2000 },
      );
    });

    it(`${law}: encode(decode(code)) === code for every code (µ-law −0 maps to +0)`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 255 }), (code) => {
          const back = toCode(fromCode(code));
          if (law === 'µ-law' && code === 0x7f) return back === 0xff;
          return back === code;
        }),
      );
      for (let code = 0; code < 256; code++) {
        const back = toCode(fromCode(code));
        assert.equal(back, law === 'µ-law' && code === 0x7f ? 0xff : code, `code ${code}`);
      }
    });

    it(`${law}: encoding is monotonic in the input`, () => {
      let prev = -Infinity;
      for (let x = -32768; x <= 32767; x++) {
        const v = fromCode(toCode(x));
        assert.ok(v >= prev, `non-monotonic at ${x}`);
        prev = v;
      }
    });
  }
});
