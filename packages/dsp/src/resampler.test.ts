import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DspConfigError } from './errors.js';
import { createResampler, Resampler, resample } from './resampler.js';
import { amplitudeAt, prng, snrDb, toInt16, tones } from './test-support.js';

const AMPLITUDE = 16000; // −6 dBFS

/** Streams `x` through `r` in frames of `frame` samples; returns everything produced. */
function stream(r: Resampler, x: Int16Array, frame: number): Int16Array {
  const out = new Int16Array(r.outputLength(x.length) + 16);
  let w = 0;
  for (let i = 0; i < x.length; i += frame) w += r.process(x.subarray(i, i + frame), out.subarray(w));
  return out.subarray(0, w);
}

/**
 * Worst SNR over a sweep of sines through `from → to` in 20 ms frames, against the ideal sine at the
 * output rate delayed by the resampler's group delay.
 */
function worstSweepSnr(from: number, to: number, fmin: number, fmax: number, step: number) {
  let worst = { snr: Number.POSITIVE_INFINITY, f: 0 };
  for (let f = fmin; f <= fmax; f += step) {
    const r = createResampler(from, to);
    const x = toInt16(tones(from, Math.round(from * 0.16), [{ f, a: AMPLITUDE }]));
    const y = stream(r, x, from / 50);
    const ideal = new Float64Array(y.length);
    for (let n = 0; n < y.length; n++)
      ideal[n] = AMPLITUDE * Math.sin((2 * Math.PI * f * (n - r.delay)) / to);
    // Skip the start-up transient (the filter filling with the first samples).
    const snr = snrDb(ideal, y, 2 * r.delay + 1, y.length);
    if (snr < worst.snr) worst = { snr, f };
  }
  return worst;
}

// Threshold: a −6 dBFS sine quantised to Int16 at the input and again at the output has an SNR of
// ≈ 88.8 dB (two uniform quantisers, 1/12 LSB² each). The filter adds < −90 dB of pass-band ripple
// and stop-band leakage, so 80 dB leaves ~8 dB of margin; linear interpolation would score ≈ 30–50 dB.
const MIN_SNR_DB = 80;

describe('Resampler: pass-band fidelity (sine sweep, 20 ms frames)', () => {
  const cases: [number, number, number][] = [
    [8000, 16000, 3400],
    [16000, 8000, 3400],
    [8000, 48000, 3400],
    [48000, 8000, 3400],
    [16000, 48000, 7000],
    [48000, 16000, 7000],
    [44100, 8000, 3400],
    [44100, 16000, 7000],
    [8000, 44101, 3400], // 44101/8000 has 44101 phases: interpolated-table path
  ];
  for (const [from, to, fmax] of cases) {
    it(`${from} → ${to} Hz keeps 100 Hz..${fmax} Hz above ${MIN_SNR_DB} dB SNR`, (t) => {
      const worst = worstSweepSnr(from, to, 100, fmax, 100);
      t.diagnostic(`worst SNR ${worst.snr.toFixed(1)} dB at ${worst.f} Hz`);
      assert.ok(worst.snr > MIN_SNR_DB, `SNR ${worst.snr.toFixed(1)} dB at ${worst.f} Hz`);
    });
  }
});

describe('Resampler: anti-aliasing and anti-imaging', () => {
  it('attenuates a 6 kHz tone by more than 50 dB when downsampling 16 kHz → 8 kHz', (t) => {
    const x = toInt16(tones(16000, 16000, [{ f: 6000, a: AMPLITUDE }]));
    const y = resample(x, 16000, 8000);
    // 6 kHz aliases to 2 kHz at 8 kHz; measure over whole periods of 2 kHz (4 samples).
    const alias = amplitudeAt(y, 2000, 8000, 400, 7600);
    const rejection = 20 * Math.log10(AMPLITUDE / Math.max(alias, 1e-9));
    // Below ~90 dB the alias rounds to digital silence, so the figure is a lower bound then.
    t.diagnostic(
      alias < 0.5 ? 'alias below Int16 resolution (> 90 dB)' : `alias rejected by ${rejection.toFixed(1)} dB`,
    );
    assert.ok(rejection > 50, `rejection ${rejection.toFixed(1)} dB`);
  });

  it('attenuates tones above 4.4 kHz by more than 80 dB when downsampling 48 kHz → 8 kHz', () => {
    for (const f of [4500, 5000, 9000, 13000, 20000]) {
      const x = toInt16(tones(48000, 48000, [{ f, a: AMPLITUDE }]));
      const y = resample(x, 48000, 8000);
      let energy = 0;
      for (let n = 400; n < 7600; n++) energy += y[n] * y[n];
      const rms = Math.sqrt(energy / 7200);
      const rejection = 20 * Math.log10(AMPLITUDE / Math.SQRT2 / Math.max(rms, 1e-9));
      assert.ok(rejection > 80, `${f} Hz rejected only ${rejection.toFixed(1)} dB`);
    }
  });

  it('leaves no images above 4.4 kHz when upsampling a 1 kHz tone 8 kHz → 48 kHz', () => {
    const x = toInt16(tones(8000, 8000, [{ f: 1000, a: AMPLITUDE }]));
    const y = resample(x, 8000, 48000);
    const wanted = amplitudeAt(y, 1000, 48000, 2400, 45600);
    assert.ok(Math.abs(wanted - AMPLITUDE) < AMPLITUDE * 1e-3, `1 kHz amplitude ${wanted}`);
    for (const image of [7000, 9000, 15000, 17000, 23000]) {
      const a = amplitudeAt(y, image, 48000, 2400, 45600);
      assert.ok(20 * Math.log10(AMPLITUDE / Math.max(a, 1e-9)) > 80, `image at ${image} Hz: ${a}`);
    }
  });
});

describe('Resampler: streaming', () => {
  it('produces exactly ceil(N·L/M) samples per 20 ms frame (160 → 960 → 160)', () => {
    const up = createResampler(8000, 48000);
    const down = createResampler(48000, 8000);
    const frame = new Int16Array(160).fill(1000);
    const mid = new Int16Array(960);
    const back = new Int16Array(160);
    for (let i = 0; i < 10; i++) {
      assert.equal(up.process(frame, mid), 960);
      assert.equal(down.process(mid, back), 160);
    }
    const r = createResampler(44100, 8000);
    assert.equal(r.process(new Int16Array(882), new Int16Array(160)), 160);
  });

  it('is frame-split invariant: any chunking gives the same samples as one call', () => {
    const pairs: [number, number][] = [
      [8000, 48000],
      [48000, 8000],
      [16000, 8000],
      [44100, 8000],
      [8000, 44101],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...pairs),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 12 }),
        ([from, to], seed, cuts) => {
          const rnd = prng(seed);
          const x = Int16Array.from({ length: 2000 }, () => Math.floor(rnd() * 65536) - 32768);
          const whole = stream(createResampler(from, to), x, x.length);
          const r = createResampler(from, to);
          const parts: number[] = [];
          const out = new Int16Array(r.outputLength(x.length) + 16);
          let pos = 0;
          for (const c of [...cuts, x.length]) {
            const end = Math.min(x.length, pos + c);
            const w = r.process(x.subarray(pos, end), out);
            parts.push(...out.subarray(0, w));
            pos = end;
          }
          assert.deepEqual(parts, [...whole]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('flush() emits the delayed tail, so stream + flush equals resample() shifted by the delay', () => {
    const rnd = prng(7);
    const x = Int16Array.from({ length: 1234 }, () => Math.floor(rnd() * 20000) - 10000);
    const r = createResampler(16000, 48000);
    const y = new Int16Array(r.outputLength(x.length) + r.delay);
    const n = r.process(x, y);
    assert.equal(r.flush(y.subarray(n)), r.delay);
    assert.deepEqual(y.subarray(r.delay), resample(x, 16000, 48000));
  });

  it('resample() returns ceil(N·to/from) samples aligned with the input (no delay)', () => {
    const x = toInt16(tones(44100, 4410, [{ f: 1000, a: AMPLITUDE }]));
    const y = resample(x, 44100, 8000);
    assert.equal(y.length, 800);
    const ideal = tones(8000, 800, [{ f: 1000, a: AMPLITUDE }]);
    // Away from the edges (where the input was cut off), it is the ideal sine at 8 kHz.
    assert.ok(snrDb(ideal, y, 100, 700) > MIN_SNR_DB);
  });

  it('saturates to Int16 instead of wrapping (Gibbs overshoot of a full-scale square wave)', () => {
    const x = Int16Array.from({ length: 1600 }, (_, n) => (Math.floor(n / 40) % 2 ? -32768 : 32767));
    const y = resample(x, 8000, 48000);
    let clippedHigh = 0;
    for (let n = 0; n < y.length; n++) {
      const inHigh = Math.floor(n / 240) % 2 === 0;
      const mid = n % 240 > 30 && n % 240 < 210; // away from the edges
      if (mid && n > 300 && n < y.length - 300) assert.equal(Math.sign(y[n]), inHigh ? 1 : -1, `n=${n}`);
      if (y[n] === 32767) clippedHigh++;
    }
    assert.ok(clippedHigh > 0, 'overshoot should reach +32767');
  });

  it('reset() starts a new, independent stream', () => {
    const x = toInt16(tones(8000, 480, [{ f: 440, a: AMPLITUDE }]));
    const r = createResampler(8000, 16000);
    const a = stream(r, x, 160).slice();
    r.process(new Int16Array(77).fill(1234), new Int16Array(200));
    r.reset();
    assert.deepEqual(stream(r, x, 160), a);
  });
});

describe('Resampler: configuration errors', () => {
  it('rejects non-integer or non-positive rates with DspConfigError', () => {
    assert.throws(() => createResampler(0, 8000), DspConfigError);
    assert.throws(() => createResampler(8000, 11025.5), DspConfigError);
    assert.throws(() => createResampler(8000, 16000, { zeroCrossings: 1 }), DspConfigError);
  });

  it('rejects an output buffer too small for the chunk', () => {
    const r = createResampler(8000, 16000);
    assert.throws(
      () => r.process(new Int16Array(160), new Int16Array(100)),
      (e: unknown) => {
        return e instanceof DspConfigError && e.parameter === 'output';
      },
    );
  });

  it('reduces the ratio (L/M) and reports its latency', () => {
    const r = new Resampler(44100, 8000);
    assert.equal(r.up, 80);
    assert.equal(r.down, 441);
    assert.ok(r.delay > 0);
    assert.equal(r.method, 'polyphase-bank');
    // 44101 phases would make a 2.9 M-coefficient bank: the interpolated table is used instead.
    assert.equal(new Resampler(8000, 44101).method, 'interpolated-table');
  });

  it('is the identity, delayed, when both rates are equal', () => {
    const rnd = prng(3);
    const x = Int16Array.from({ length: 500 }, () => Math.floor(rnd() * 65536) - 32768);
    assert.deepEqual(resample(x, 16000, 16000), x);
  });
});
