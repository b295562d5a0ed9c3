// Deterministic test signals (tests and benchmarks only).
import { xorshift32 } from './comfort-noise.js';

function clip(v: number): number {
  const r = Math.round(v);
  return r > 32767 ? 32767 : Math.max(r, -32768);
}

/** A sine tone. */
export function tone(freq: number, rate: number, n: number, amplitude = 12000): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = clip(amplitude * Math.sin((2 * Math.PI * freq * i) / rate));
  return out;
}

/** A linear sweep from `f0` to `f1` Hz. */
export function sweep(f0: number, f1: number, rate: number, n: number, amplitude = 16000): Int16Array {
  const out = new Int16Array(n);
  const k = (f1 - f0) / (n / rate);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    out[i] = clip(amplitude * Math.sin(2 * Math.PI * (f0 * t + (k * t * t) / 2)));
  }
  return out;
}

/** Uniform white noise, reproducible from `seed`. */
export function noise(n: number, amplitude = 20000, seed = 7): Int16Array {
  const rnd = xorshift32(seed);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = clip((rnd() * 2 - 1) * amplitude);
  return out;
}

/** Speech-like: amplitude-modulated harmonics of a gliding pitch, with 250 ms pauses every 500 ms. */
export function speechLike(rate: number, n: number): Int16Array {
  const out = new Int16Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const f0 = 120 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
    phase += (2 * Math.PI * f0) / rate;
    const voiced = Math.floor(t * 4) % 2 === 0 ? 1 : 0;
    const envelope = voiced * (0.55 + 0.45 * Math.sin(2 * Math.PI * 3 * t));
    let v = 0;
    for (let h = 1; h <= 12; h++) v += Math.sin(h * phase) * (9000 / h) * (h === 3 || h === 7 ? 1.8 : 1);
    out[i] = clip(v * envelope * 0.8);
  }
  return out;
}

/** Power of `freq` in `x` by the Goertzel algorithm, normalized by length². */
export function goertzelPower(
  x: ArrayLike<number>,
  freq: number,
  rate: number,
  from = 0,
  to = x.length,
): number {
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s = x[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const n = to - from;
  return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (n * n);
}

/** Normalized correlation of two equal-length signals, in [−1, 1]. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/** Root mean square of a signal. */
export function rms(x: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e += x[i] * x[i];
  return x.length === 0 ? 0 : Math.sqrt(e / x.length);
}
