import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ComfortNoiseGenerator,
  decodeComfortNoise,
  dequantizeReflection,
  encodeComfortNoise,
  noiseLevelOf,
  quantizeReflection,
} from './comfort-noise.js';
import { CodecError } from './errors.js';
import { noise, rms, tone } from './signals.test-helper.js';

describe('comfort noise payload (RFC 3389 §3)', () => {
  it('measures level in −dBov: a full-scale square wave is 0, silence is 127', () => {
    assert.equal(noiseLevelOf(Int16Array.from({ length: 160 }, (_, i) => (i % 2 ? 32767 : -32768))), 0);
    assert.equal(noiseLevelOf(new Int16Array(160)), 127);
    // A sine of amplitude A has RMS A/√2: 20·log10(32768 / (3276.8/√2)) = 23.0 dB.
    assert.equal(noiseLevelOf(tone(1000, 8000, 8000, 3276.8)), 23);
  });

  it('encodes the level in the first byte (MSB 0) and one byte per reflection coefficient', () => {
    const bytes = encodeComfortNoise({ level: 40, reflection: [0.5, -0.25] });
    assert.deepEqual(Array.from(bytes), [40, quantizeReflection(0.5), quantizeReflection(-0.25)]);
    assert.equal(decodeComfortNoise(Uint8Array.of(0x80 | 50)).level, 50);
    assert.throws(() => decodeComfortNoise(new Uint8Array(0)), CodecError);
    assert.throws(() => encodeComfortNoise({ level: 128, reflection: [] }), CodecError);
  });

  it('generates noise at the RMS of its level, with and without spectral shaping', () => {
    for (const reflection of [[], [0.6, -0.3, 0.1]]) {
      const gen = new ComfortNoiseGenerator();
      const frames: number[] = [];
      for (let i = 0; i < 50; i++) frames.push(...gen.generate({ level: 30, reflection }, 160));
      const level = noiseLevelOf(Int16Array.from(frames.slice(800)));
      assert.ok(Math.abs(level - 30) <= 1, `level ${level} with ${reflection.length} coefficients`);
    }
  });

  it('round trip: a frame’s level survives encode → decode → generate', () => {
    const frame = noise(160, 2000, 3);
    const cn = decodeComfortNoise(encodeComfortNoise({ level: noiseLevelOf(frame), reflection: [] }));
    const out = new ComfortNoiseGenerator().generate(cn, 8000);
    assert.ok(Math.abs(20 * Math.log10(rms(out) / rms(frame))) < 1.5);
  });

  it('is deterministic for a given random source', () => {
    const a = new ComfortNoiseGenerator().generate({ level: 20, reflection: [0.3] }, 160);
    const b = new ComfortNoiseGenerator().generate({ level: 20, reflection: [0.3] }, 160);
    assert.deepEqual(a, b);
  });

  it('property: decode(encode(cn)) keeps the level and each coefficient within half a step', () => {
    const arb = fc.record({
      level: fc.integer({ min: 0, max: 127 }),
      reflection: fc.array(fc.double({ min: -0.99, max: 0.99, noNaN: true }), { maxLength: 10 }),
    });
    fc.assert(
      fc.property(arb, (cn) => {
        const back = decodeComfortNoise(encodeComfortNoise(cn));
        assert.equal(back.level, cn.level);
        assert.equal(back.reflection.length, cn.reflection.length);
        for (let i = 0; i < back.reflection.length; i++) {
          assert.ok(Math.abs(back.reflection[i] - cn.reflection[i]) <= 0.5 / 128 + 1e-12);
        }
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 12 }), (bytes) => {
        const clean = bytes.map((b, i) => (i === 0 ? b & 0x7f : Math.min(b, 254)));
        assert.deepEqual(encodeComfortNoise(decodeComfortNoise(clean)), clean);
      }),
    );
    for (let q = 0; q <= 254; q++) assert.equal(quantizeReflection(dequantizeReflection(q)), q);
  });
});
