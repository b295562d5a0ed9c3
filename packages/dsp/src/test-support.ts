/**
 * Signal helpers for this package's tests only (not exported from the package): independent
 * reference computations, so tests never take an expected value from the code under test.
 */

/** Deterministic PRNG (mulberry32) returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gaussian noise source (Box–Muller) with unit variance. */
export function gaussian(seed: number): () => number {
  const rnd = prng(seed);
  return () => {
    const u = Math.max(rnd(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  };
}

/** Sum of sinusoids `Σ a·sin(2π f t + φ)` sampled at `rate`, as floats. */
export function tones(
  rate: number,
  length: number,
  parts: readonly { f: number; a: number; phase?: number }[],
  start = 0,
): Float64Array {
  const out = new Float64Array(length);
  for (const { f, a, phase = 0 } of parts) {
    for (let n = 0; n < length; n++) out[n] += a * Math.sin((2 * Math.PI * f * (n + start)) / rate + phase);
  }
  return out;
}

/** Rounds and saturates floats to Int16. */
export function toInt16(x: ArrayLike<number>): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(x[i])));
  return out;
}

/** Power of `x` at frequency `f` (Hz): |Σ x[n] e^{-jωn}|², by direct summation. */
export function dftPower(x: ArrayLike<number>, f: number, rate: number, from = 0, to = x.length): number {
  let re = 0;
  let im = 0;
  const w = (2 * Math.PI * f) / rate;
  for (let n = from; n < to; n++) {
    re += x[n] * Math.cos(w * n);
    im -= x[n] * Math.sin(w * n);
  }
  return re * re + im * im;
}

/** Amplitude of the sinusoid at `f` in `x[from..to)`, from the DFT (exact for whole periods). */
export function amplitudeAt(x: ArrayLike<number>, f: number, rate: number, from = 0, to = x.length): number {
  return (2 * Math.sqrt(dftPower(x, f, rate, from, to))) / (to - from);
}

/** Signal-to-error ratio in dB of `actual` against `ideal` over [from, to). */
export function snrDb(ideal: ArrayLike<number>, actual: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  let e = 0;
  for (let i = from; i < to; i++) {
    s += ideal[i] * ideal[i];
    const d = actual[i] - ideal[i];
    e += d * d;
  }
  return 10 * Math.log10(s / e);
}
