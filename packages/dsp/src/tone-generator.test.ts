import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DspConfigError } from './errors.js';
import { amplitudeAt } from './test-support.js';
import { ToneGenerator } from './tone-generator.js';
import { callProgressTone, dtmfFrequencies, dtmfToneSpec } from './tone-plans.js';

/** ITU-T Q.23 Table 1, typed in from the Recommendation. */
const Q23: Record<string, [number, number]> = {
  '1': [697, 1209],
  '2': [697, 1336],
  '3': [697, 1477],
  A: [697, 1633],
  '4': [770, 1209],
  '5': [770, 1336],
  '6': [770, 1477],
  B: [770, 1633],
  '7': [852, 1209],
  '8': [852, 1336],
  '9': [852, 1477],
  C: [852, 1633],
  '*': [941, 1209],
  '0': [941, 1336],
  '#': [941, 1477],
  D: [941, 1633],
};
const ALL = [697, 770, 852, 941, 1209, 1336, 1477, 1633];
/** dBm0 → peak amplitude with 0 dBm0 = 3.17 dB below a full-scale sine (G.711 µ-law). */
const amp = (dbm0: number) => 32767 / 10 ** ((3.17 - dbm0) / 20);

function render(gen: ToneGenerator, length: number): Int16Array {
  const out = new Int16Array(length);
  gen.generate(out);
  return out;
}

/**
 * Checks `x` against the ideal cadence: inside a burst (time since burst start k) the sum of
 * sines at phase 0 within ±1 LSB of rounding, and exact digital silence outside.
 */
function assertCadence(
  x: Int16Array,
  rate: number,
  bursts: { start: number; length: number; parts: { f: number; a: number }[] }[],
): void {
  let b = 0;
  for (let n = 0; n < x.length; n++) {
    while (b < bursts.length && n >= bursts[b].start + bursts[b].length) b++;
    const burst = b < bursts.length && n >= bursts[b].start ? bursts[b] : null;
    if (burst === null) {
      assert.equal(x[n], 0, `silence expected at ${n}`);
    } else {
      const k = n - burst.start;
      let ideal = 0;
      for (const { f, a } of burst.parts) ideal += a * Math.sin((2 * Math.PI * f * k) / rate);
      assert.ok(Math.abs(x[n] - ideal) <= 1, `n=${n}: ${x[n]} vs ${ideal.toFixed(1)}`);
    }
  }
}

describe('DTMF generation (ITU-T Q.23)', () => {
  it('maps every key to its Q.23 frequency pair', () => {
    for (const [digit, pair] of Object.entries(Q23)) {
      assert.deepEqual(dtmfFrequencies(digit), pair, digit);
      assert.deepEqual(dtmfFrequencies(digit.toLowerCase()), pair);
    }
    assert.throws(() => dtmfFrequencies('E'), DspConfigError);
    assert.throws(() => dtmfFrequencies('12'), DspConfigError);
  });

  it('emits exactly the two frequencies of each digit at the configured levels', () => {
    for (const [digit, [low, high]] of Object.entries(Q23)) {
      const gen = new ToneGenerator(dtmfToneSpec(digit, { lowLevelDbm0: -10, highLevelDbm0: -8 }), 8000);
      const x = render(gen, 800); // 100 ms tone
      // 800 samples = 100 ms: every DTMF frequency is a whole number of cycles apart from none, so
      // compare the levels with a 2% allowance for leakage between the two components.
      const aLow = amplitudeAt(x, low, 8000);
      const aHigh = amplitudeAt(x, high, 8000);
      assert.ok(Math.abs(aLow / amp(-10) - 1) < 0.02, `${digit}: low ${aLow}`);
      assert.ok(Math.abs(aHigh / amp(-8) - 1) < 0.02, `${digit}: high ${aHigh}`);
      for (const f of ALL) {
        if (f !== low && f !== high)
          assert.ok(amplitudeAt(x, f, 8000) < amp(-10) * 0.05, `${digit}: ${f} Hz`);
      }
    }
  });

  it('sends each digit for durationMs then pauses for pauseMs, and reports the end', () => {
    const gen = new ToneGenerator(dtmfToneSpec('15#', { durationMs: 70, pauseMs: 50 }), 8000);
    const x = new Int16Array(4000);
    assert.equal(gen.generate(x), 3 * (560 + 400));
    assert.ok(gen.done);
    const parts = (d: string) => {
      const [lo, hi] = Q23[d];
      return [
        { f: lo, a: amp(-10) },
        { f: hi, a: amp(-8) },
      ];
    };
    assertCadence(x, 8000, [
      { start: 0, length: 560, parts: parts('1') },
      { start: 960, length: 560, parts: parts('5') },
      { start: 1920, length: 560, parts: parts('#') },
    ]);
  });
});

describe('Call-progress tones', () => {
  const cases: [Parameters<typeof callProgressTone>, number[], number, number, number][] = [
    // region/tone, frequencies, dBm0, on ms, off ms (ANSI T1.401; ETSI TR 101 041 / ITU-T E.180)
    [['us', 'ringback'], [440, 480], -19, 2000, 4000],
    [['us', 'busy'], [480, 620], -24, 500, 500],
    [['us', 'congestion'], [480, 620], -24, 250, 250],
    [['eu', 'ringback'], [425], -10, 1000, 4000],
    [['eu', 'busy'], [425], -10, 500, 500],
    [['eu', 'congestion'], [425], -10, 250, 250],
  ];
  for (const [[region, tone], freqs, dbm0, onMs, offMs] of cases) {
    it(`${region} ${tone}: ${freqs.join('+')} Hz, ${onMs} ms on / ${offMs} ms off, repeating`, () => {
      const gen = new ToneGenerator(callProgressTone(region, tone), 8000);
      const period = ((onMs + offMs) * 8000) / 1000;
      const x = render(gen, 2 * period + 100);
      const parts = freqs.map((f) => ({ f, a: amp(dbm0) }));
      assertCadence(x, 8000, [
        { start: 0, length: onMs * 8, parts },
        { start: period, length: onMs * 8, parts },
        { start: 2 * period, length: 100, parts },
      ]);
      assert.equal(gen.done, false);
    });
  }

  it('us dial: 350 + 440 Hz continuous at −13 dBm0 each, precise for many seconds', () => {
    const gen = new ToneGenerator(callProgressTone('us', 'dial'), 8000);
    const x = render(gen, 8000 * 3);
    for (let n = 0; n < x.length; n += 37) {
      const ideal =
        amp(-13) * (Math.sin((2 * Math.PI * 350 * n) / 8000) + Math.sin((2 * Math.PI * 440 * n) / 8000));
      assert.ok(Math.abs(x[n] - ideal) <= 1, `n=${n}: ${x[n]} vs ${ideal}`);
    }
  });

  it('eu dial: 425 Hz continuous at 16 kHz', () => {
    const gen = new ToneGenerator(callProgressTone('eu', 'dial'), 16000);
    const x = render(gen, 16000);
    assert.ok(Math.abs(amplitudeAt(x, 425, 16000) / amp(-10) - 1) < 0.005);
  });
});

describe('ToneGenerator', () => {
  it('is phase-continuous: any split into frames gives the same samples', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(8000, 16000, 44100, 48000),
        fc.constantFrom(...(['dial', 'ringback', 'busy', 'congestion'] as const)),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 10 }),
        (rate, tone, frames) => {
          const total = frames.reduce((a, b) => a + b, 0);
          const whole = render(new ToneGenerator(callProgressTone('us', tone), rate), total);
          const gen = new ToneGenerator(callProgressTone('us', tone), rate);
          const pieces: number[] = [];
          for (const f of frames) pieces.push(...render(gen, f));
          assert.deepEqual(pieces, [...whole]);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('generates the right frequencies at any sample rate', () => {
    for (const rate of [8000, 11025, 16000, 44100, 48000]) {
      const gen = new ToneGenerator(dtmfToneSpec('9', { durationMs: 1000 }), rate);
      const x = render(gen, rate);
      assert.ok(Math.abs(amplitudeAt(x, 852, rate) / amp(-10) - 1) < 0.01, `${rate}: 852`);
      assert.ok(Math.abs(amplitudeAt(x, 1477, rate) / amp(-8) - 1) < 0.01, `${rate}: 1477`);
    }
  });

  it('reset() restarts from the first segment', () => {
    const gen = new ToneGenerator(dtmfToneSpec('1'), 8000);
    const a = render(gen, 1000);
    gen.reset();
    assert.deepEqual(render(gen, 1000), a);
  });

  it('rejects frequencies at or above Nyquist and empty specs', () => {
    const spec = {
      segments: [{ durationMs: 100, components: [{ frequency: 4000, levelDbm0: -10 }] }],
      repeat: false,
    };
    assert.throws(() => new ToneGenerator(spec, 8000), DspConfigError);
    assert.throws(() => new ToneGenerator({ segments: [], repeat: false }, 8000), DspConfigError);
  });
});
