// ITU-T G.722 §3 / §4: the state of the two sub-band ADPCM coders (lower and higher band) and the tables of
// their scale-factor adaptation. Both the encoder and the decoder run the same backward adaptation on the
// quantized difference signal, so they stay in lock-step; that adaptation is written out inside their per-byte
// loops (g722-decoder.ts carries the step-by-step comments). Values follow the ITU fixed-point conventions; the
// quantizer scale factor is kept as DET/4 so that inverse quantization is `(scale * table[code]) >> 10` with the
// ITU tables divided by 8.

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

/**
 * SCALEL / SCALEH as one lookup: the linear scale factor depends only on `nb >> 6` (5 mantissa bits and the
 * exponent `nb >> 11`), so `LOW_SCALE[nb >> 6]` equals `linearScale(nb, 8)` for every nb in 0..18432.
 */
export const LOW_SCALE: Int32Array = scaleTable(18432, 8);
/** As {@link LOW_SCALE} for the higher band: `HIGH_SCALE[nb >> 6]`, nb in 0..22528. */
export const HIGH_SCALE: Int32Array = scaleTable(22528, 10);

function scaleTable(maxNb: number, offset: number): Int32Array {
  const t = new Int32Array((maxNb >> 6) + 1);
  for (let i = 0; i < t.length; i++) t[i] = linearScale(i << 6, offset);
  return t;
}

function linearScale(nb: number, offset: number): number {
  const mantissa = INV_LOG2[(nb >> 6) & 31];
  const shift = (nb >> 11) - offset;
  return shift < 0 ? mantissa >> -shift : mantissa << shift;
}
