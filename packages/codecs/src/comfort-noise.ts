// RFC 3389 §3: the comfort noise (CN) payload: one byte of noise level in −dBov (0..127, MSB zero), then
// optional quantized reflection coefficients of an all-pole spectral model (RFC 3389 §3.2).
import { CodecError } from './errors.js';

/** A decoded RFC 3389 comfort-noise description. */
export interface ComfortNoise {
  /** Noise level in −dBov: 0 is the level of a full-scale square wave, 127 the quietest (RFC 3389 §3.1). */
  readonly level: number;
  /** Reflection coefficients k1..kM in (−1, 1), possibly empty (RFC 3389 §3.2). */
  readonly reflection: readonly number[];
}

/** The −dBov level (0..127) of a 16-bit PCM frame: 20·log10(32768 / rms), rounded (RFC 3389 §3.1). */
export function noiseLevelOf(pcm: Int16Array): number {
  let energy = 0;
  for (let i = 0; i < pcm.length; i++) energy += pcm[i] * pcm[i];
  if (pcm.length === 0 || energy === 0) return 127;
  const rms = Math.sqrt(energy / pcm.length);
  const level = Math.round(-20 * Math.log10(rms / 32768));
  return level < 0 ? 0 : Math.min(level, 127);
}

/** RFC 3389 §3.2: a reflection coefficient in [−1, 1] as one byte, 0..254 (127 is zero). */
export function quantizeReflection(k: number): number {
  const q = Math.round(k * 128) + 127;
  return q < 0 ? 0 : Math.min(q, 254);
}

/** Inverse of {@link quantizeReflection}. */
export function dequantizeReflection(q: number): number {
  return (q - 127) / 128;
}

/**
 * Builds a CN payload: the level byte, then one byte per reflection coefficient.
 * `level` may come from {@link noiseLevelOf}.
 */
export function encodeComfortNoise(noise: ComfortNoise): Uint8Array {
  if (!Number.isInteger(noise.level) || noise.level < 0 || noise.level > 127) {
    throw new CodecError(
      'invalid-option',
      `CN level must be an integer 0..127 −dBov, got ${noise.level}`,
      'CN',
    );
  }
  const out = new Uint8Array(1 + noise.reflection.length);
  out[0] = noise.level; // RFC 3389 §3.1: most significant bit always 0
  for (let i = 0; i < noise.reflection.length; i++) out[i + 1] = quantizeReflection(noise.reflection[i]);
  return out;
}

/** Parses a CN payload. The level byte's MSB is ignored (RFC 3389 §3.1: unused). */
export function decodeComfortNoise(payload: Uint8Array): ComfortNoise {
  if (payload.length < 1) throw new CodecError('invalid-payload', 'CN payload is empty (RFC 3389 §3)', 'CN');
  const reflection: number[] = [];
  for (let i = 1; i < payload.length; i++) reflection.push(dequantizeReflection(payload[i]));
  return { level: payload[0] & 0x7f, reflection };
}

/**
 * Generates comfort noise at the level (and, when present, the spectral shape) of a CN description: white
 * noise scaled to the level's RMS, through the all-pole lattice filter of the reflection coefficients.
 * State (filter memory) persists between frames. Randomness is injectable for deterministic tests.
 */
export class ComfortNoiseGenerator {
  private readonly random: () => number;
  private backward = new Float64Array(0);

  /** @param random uniform source in [0, 1); defaults to a seeded xorshift32 so output is reproducible. */
  constructor(random?: () => number) {
    this.random = random ?? xorshift32(0x9e3779b9);
  }

  /** Fills one frame (`out`, or a new array of `frameSize`) with noise matching `noise`. */
  generate(noise: ComfortNoise, frameSize: number, out?: Int16Array): Int16Array {
    const dst = out ?? new Int16Array(frameSize);
    const rms = 32768 * 10 ** (-noise.level / 20);
    const k = noise.reflection;
    const order = k.length;
    if (this.backward.length !== order + 1) this.backward = new Float64Array(order + 1);
    const b = this.backward;
    // The all-pole filter has gain 1/√Π(1−k²) on white noise; divide it out so the output keeps `rms`.
    let gain = 1;
    for (let i = 0; i < order; i++) gain *= 1 - k[i] * k[i];
    const excitation = rms * Math.sqrt(3 * gain); // uniform in [−a, a] has RMS a/√3
    for (let n = 0; n < dst.length; n++) {
      let f = (2 * this.random() - 1) * excitation;
      // All-pole lattice synthesis, from the highest order down.
      for (let i = order - 1; i >= 0; i--) {
        f -= k[i] * b[i];
        b[i + 1] = b[i] + k[i] * f;
      }
      b[0] = f;
      const s = Math.round(f);
      dst[n] = s > 32767 ? 32767 : Math.max(s, -32768);
    }
    return dst;
  }
}

/** A small deterministic PRNG (xorshift32) returning numbers in [0, 1). */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}
