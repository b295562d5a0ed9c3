import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { audioLevelRfc6464, LevelMeter, peakDbov, rmsDbov } from './level-meter.js';
import { toInt16, tones } from './test-support.js';

const close = (a: number, b: number, eps = 0.01) => assert.ok(Math.abs(a - b) < eps, `${a} vs ${b}`);

describe('level meter (dBov, ITU-T G.100.1)', () => {
  it('reads a full-scale square wave as 0 dBov and a full-scale sine as −3.01 dBov', () => {
    const square = Int16Array.from({ length: 800 }, (_, n) => (n % 20 < 10 ? -32768 : 32767));
    close(rmsDbov(square), 0, 0.001);
    close(peakDbov(square), 0);
    const sine = toInt16(tones(8000, 8000, [{ f: 1000, a: 32767 }]));
    close(rmsDbov(sine), -3.01);
    close(peakDbov(sine), 20 * Math.log10(32767 / 32768), 0.001);
  });

  it('tracks amplitude: −20 dB of amplitude is −20 dBov', () => {
    const a = toInt16(tones(8000, 8000, [{ f: 440, a: 20000 }]));
    const b = toInt16(tones(8000, 8000, [{ f: 440, a: 2000 }]));
    close(rmsDbov(a) - rmsDbov(b), 20, 0.02);
  });

  it('returns −∞ for digital silence and empty input, or the floor when given', () => {
    assert.equal(rmsDbov(new Int16Array(160)), Number.NEGATIVE_INFINITY);
    assert.equal(peakDbov(new Int16Array(0)), Number.NEGATIVE_INFINITY);
    assert.equal(rmsDbov(new Int16Array(160), -127), -127);
    assert.equal(rmsDbov(Int16Array.of(1), -80), -80); // −90.3 dBov clamped
    assert.equal(peakDbov(new Int16Array(10), -96), -96);
  });

  it('maps dBov to the RFC 6464 §3 level byte (0..127, 127 = silence)', () => {
    assert.equal(audioLevelRfc6464(0), 0);
    assert.equal(audioLevelRfc6464(-3.01), 3);
    assert.equal(audioLevelRfc6464(-127), 127);
    assert.equal(audioLevelRfc6464(-200), 127);
    assert.equal(audioLevelRfc6464(Number.NEGATIVE_INFINITY), 127);
    assert.equal(audioLevelRfc6464(Number.NaN), 127);
  });

  it('LevelMeter over several frames equals a one-shot measure of their concatenation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 50 }), { maxLength: 6 }),
        (frames) => {
          const meter = new LevelMeter();
          for (const f of frames) meter.process(Int16Array.from(f));
          const all = Int16Array.from(frames.flat());
          const got = meter.read();
          assert.equal(got.samples, all.length);
          const rms = rmsDbov(all);
          if (Number.isFinite(rms)) close(got.rmsDbov, rms, 1e-9);
          else assert.equal(got.rmsDbov, rms);
          assert.equal(got.peakDbov, peakDbov(all));
          assert.equal(meter.read().samples, 0); // read() starts a new period
        },
      ),
    );
  });
});
