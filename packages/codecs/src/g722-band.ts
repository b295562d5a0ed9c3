// ITU-T G.722 §3 / §4: the state of one sub-band ADPCM coder (lower or higher band) and its adaptation.
// Both the encoder and the decoder run this same backward adaptation on the quantized difference signal, so
// they stay in lock-step. Values follow the ITU fixed-point conventions; the quantizer scale factor is kept as
// DET/4 so that inverse quantization is `(scale * table[code]) >> 10` with the ITU tables divided by 8.

/** Field offsets into a band's slice of the state array. */
export const S = 0; // predictor output s (signal estimate)
export const SZ = 1; // zero-section output sz
export const P1 = 2; // sign (1 = negative) of the partially reconstructed signal p, one sample ago
export const P2 = 3; // … two samples ago
export const R1 = 4; // previous reconstructed signal r, doubled and saturated (the pole section's input)
export const A1 = 5; // pole coefficients a1, a2
export const A2 = 6;
export const D0 = 7; // quantized differences d(n-1)..d(n-6), doubled and saturated: D0..D0+5
export const B0 = 13; // zero coefficients b1..b6: B0..B0+5
export const NB = 19; // logarithmic scale factor (NBL / NBH)
export const SCALE = 20; // linear scale factor DET/4
/** Number of Int32 slots one band occupies. */
export const BAND_SIZE = 21;
/** Offset of the higher band in a two-band state array. */
export const HIGH = BAND_SIZE;

/** ITU-T G.722 Table 7 (ILB): 2^x for the 5 fractional bits of the log scale factor, Q11. */
const INV_LOG2 = Int32Array.of(
  2048,
  2093,
  2139,
  2186,
  2233,
  2282,
  2332,
  2383,
  2435,
  2489,
  2543,
  2599,
  2656,
  2714,
  2774,
  2834,
  2896,
  2960,
  3025,
  3091,
  3158,
  3228,
  3298,
  3371,
  3444,
  3520,
  3597,
  3676,
  3756,
  3838,
  3922,
  4008,
);

/** ITU-T G.722 Table 6 (WL) indexed by the 4-bit lower-band code (via RIL): log scale factor multiplier. */
export const LOW_LOG_STEP = Int32Array.of(
  -60,
  3042,
  1198,
  538,
  334,
  172,
  58,
  -30,
  3042,
  1198,
  538,
  334,
  172,
  58,
  -30,
  -60,
);
/** ITU-T G.722 WH indexed by the low bit of the 2-bit higher-band code. */
export const HIGH_LOG_STEP = Int32Array.of(798, -214);

/** Creates the zeroed state of both bands with the ITU reset values (DET = 32 low, 8 high). */
export function createBandState(): Int32Array {
  const st = new Int32Array(2 * BAND_SIZE);
  st[SCALE] = 8;
  st[HIGH + SCALE] = 2;
  return st;
}

function clip16(x: number): number {
  return x > 32767 ? 32767 : Math.max(x, -32768);
}

/**
 * ITU-T G.722 §3.6 (blocks PARREC, UPPOL2, UPPOL1, UPZERO, DELAYA, FILTEZ, FILTEP, PREDIC, RECONS):
 * updates the adaptive predictor of the band at offset `o` with the quantized difference `d`.
 */
export function adaptPredictor(st: Int32Array, o: number, d: number): void {
  // PARREC: sign of the partially reconstructed signal p = sz + d (zero counts as positive).
  const pNeg = st[o + SZ] + d < 0 ? 1 : 0;
  const sameAsP1 = pNeg === st[o + P1];
  const sameAsP2 = pNeg === st[o + P2];
  st[o + P2] = st[o + P1];
  st[o + P1] = pNeg;

  // UPPOL2: a2 ← a2·(1 − 2^-7) ± 2^-7 ± a1·2^-5 (the latter with a1 limited so that 4·a1 fits 16 bits).
  let a1 = st[o + A1];
  const a1Limited = a1 > 8191 ? 8191 : Math.max(a1, -8191);
  let a2 = ((sameAsP1 ? -a1Limited : a1Limited) >> 5) + (sameAsP2 ? 128 : -128) + ((st[o + A2] * 127) >> 7);
  a2 = a2 > 12288 ? 12288 : Math.max(a2, -12288);

  // UPPOL1: a1 ← a1·(1 − 2^-8) ± 3·2^-8, limited to ±(1 − 2^-4 − a2).
  a1 = (sameAsP1 ? 192 : -192) + ((a1 * 255) >> 8);
  const limit = 15360 - a2;
  a1 = a1 > limit ? limit : Math.max(a1, -limit);
  st[o + A1] = a1;
  st[o + A2] = a2;

  // UPZERO: b_i ← b_i·(1 − 2^-8) ± 2^-7·sgn(d)·sgn(d_i), the step omitted when d = 0.
  // DELAYA: shift the difference memory (stored doubled, as FILTEZ uses it).
  const dB = o + D0;
  const bB = o + B0;
  const d1 = st[dB];
  const d2 = st[dB + 1];
  const d3 = st[dB + 2];
  const d4 = st[dB + 3];
  const d5 = st[dB + 4];
  const d6 = st[dB + 5];
  let b1 = (st[bB] * 255) >> 8;
  let b2 = (st[bB + 1] * 255) >> 8;
  let b3 = (st[bB + 2] * 255) >> 8;
  let b4 = (st[bB + 3] * 255) >> 8;
  let b5 = (st[bB + 4] * 255) >> 8;
  let b6 = (st[bB + 5] * 255) >> 8;
  if (d !== 0) {
    b1 += (d1 ^ d) < 0 ? -128 : 128;
    b2 += (d2 ^ d) < 0 ? -128 : 128;
    b3 += (d3 ^ d) < 0 ? -128 : 128;
    b4 += (d4 ^ d) < 0 ? -128 : 128;
    b5 += (d5 ^ d) < 0 ? -128 : 128;
    b6 += (d6 ^ d) < 0 ? -128 : 128;
  }
  st[bB] = b1;
  st[bB + 1] = b2;
  st[bB + 2] = b3;
  st[bB + 3] = b4;
  st[bB + 4] = b5;
  st[bB + 5] = b6;
  const d0 = clip16(d << 1);
  st[dB] = d0;
  st[dB + 1] = d1;
  st[dB + 2] = d2;
  st[dB + 3] = d3;
  st[dB + 4] = d4;
  st[dB + 5] = d5;

  // FILTEZ: sz = Σ b_i·d_i.
  const sz =
    ((b1 * d0) >> 15) +
    ((b2 * d1) >> 15) +
    ((b3 * d2) >> 15) +
    ((b4 * d3) >> 15) +
    ((b5 * d4) >> 15) +
    ((b6 * d5) >> 15);
  st[o + SZ] = sz;

  // RECONS + FILTEP + PREDIC: r = s + d, s ← sz + a1·r(n) + a2·r(n-1).
  const r = clip16((st[o + S] + d) << 1);
  st[o + S] = clip16(sz + ((a1 * r) >> 15) + ((a2 * st[o + R1]) >> 15));
  st[o + R1] = r;
}

/** ITU-T G.722 §3.5 LOGSCL + SCALEL (lower band): adapts the scale factor after the 4-bit code `code4`. */
export function adaptLowScale(st: Int32Array, code4: number): void {
  let nb = ((st[NB] * 127) >> 7) + LOW_LOG_STEP[code4];
  nb = nb < 0 ? 0 : Math.min(nb, 18432);
  st[NB] = nb;
  st[SCALE] = linearScale(nb, 8);
}

/** ITU-T G.722 §3.5 LOGSCH + SCALEH (higher band): adapts the scale factor after the 2-bit code. */
export function adaptHighScale(st: Int32Array, code2: number): void {
  let nb = ((st[HIGH + NB] * 127) >> 7) + HIGH_LOG_STEP[code2 & 1];
  nb = nb < 0 ? 0 : Math.min(nb, 22528);
  st[HIGH + NB] = nb;
  st[HIGH + SCALE] = linearScale(nb, 10);
}

function linearScale(nb: number, offset: number): number {
  const mantissa = INV_LOG2[(nb >> 6) & 31];
  const shift = (nb >> 11) - offset;
  return shift < 0 ? mantissa >> -shift : mantissa << shift;
}
