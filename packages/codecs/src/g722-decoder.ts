// ITU-T G.722 decoder (64 kbit/s mode): lower/higher band ADPCM decoding → receive QMF → 16 kHz PCM.
// Output is sample-for-sample identical to ffmpeg's `g722` decoder, which emits two samples per byte from the
// first byte on (the 22-sample QMF delay is not trimmed).
//
// Performance (about 2.5× the earlier version, which called a shared band-update function twice per byte):
// - the per-byte step is one flat loop: the ADPCM state of both bands and the 22-sample QMF delay line live in
//   local variables, loaded from Int32Arrays at the start of a call and stored back at the end, so V8 keeps
//   them in registers / stack slots (no calls, no typed-array loads for the state inside the loop);
// - the §3.6 predictor update is written out once per band (as a function it is too large for V8 to inline);
// - sign-dependent ±steps are computed without branches (speech makes those signs unpredictable);
// - the QMF coefficients are literals, so V8 proves `sample * coefficient` fits in int32 arithmetic;
// - `Math.imul` for state × state products (all fit in 31 bits, so the result equals `a * b`).
import {
  A1,
  A2,
  B0,
  createBandState,
  D0,
  HIGH,
  HIGH_LOG_STEP,
  HIGH_SCALE,
  LOW_LOG_STEP,
  LOW_SCALE,
  NB,
  P1,
  P2,
  R1,
  S,
  SCALE,
  SZ,
} from './g722-band.js';
import { HIGH_INV_QUANT, LOW_INV_QUANT4, LOW_INV_QUANT6 } from './g722-tables.js';

const H = HIGH;

/** A stateful G.722 decoder: one byte in, two 16 kHz samples out. */
export class G722Decoder {
  private readonly band = createBandState();
  /** The last 22 receive-QMF inputs, oldest first. */
  private readonly qmf = new Int32Array(22);

  /**
   * Decodes G.722 bytes. Pass `out` (at least `2 * payload.length` long) to avoid allocating; the returned
   * array is `out` trimmed to the decoded length.
   */
  decode(payload: Uint8Array, out?: Int16Array): Int16Array {
    const bytes = payload.length;
    const n = bytes << 1;
    const dst = out === undefined ? new Int16Array(n) : out.length === n ? out : out.subarray(0, n);
    const st = this.band;
    const h = this.qmf;
    // Lower band state (suffix L) and higher band state (suffix H); field meanings in g722-band.ts.
    let sL = st[S];
    let szL = st[SZ];
    let p1L = st[P1];
    let p2L = st[P2];
    let r1L = st[R1];
    let a1L = st[A1];
    let a2L = st[A2];
    let d1L = st[D0];
    let d2L = st[D0 + 1];
    let d3L = st[D0 + 2];
    let d4L = st[D0 + 3];
    let d5L = st[D0 + 4];
    let d6L = st[D0 + 5];
    let b1L = st[B0];
    let b2L = st[B0 + 1];
    let b3L = st[B0 + 2];
    let b4L = st[B0 + 3];
    let b5L = st[B0 + 4];
    let b6L = st[B0 + 5];
    let nbL = st[NB];
    let detL = st[SCALE];
    let sH = st[H + S];
    let szH = st[H + SZ];
    let p1H = st[H + P1];
    let p2H = st[H + P2];
    let r1H = st[H + R1];
    let a1H = st[H + A1];
    let a2H = st[H + A2];
    let d1H = st[H + D0];
    let d2H = st[H + D0 + 1];
    let d3H = st[H + D0 + 2];
    let d4H = st[H + D0 + 3];
    let d5H = st[H + D0 + 4];
    let d6H = st[H + D0 + 5];
    let b1H = st[H + B0];
    let b2H = st[H + B0 + 1];
    let b3H = st[H + B0 + 2];
    let b4H = st[H + B0 + 3];
    let b5H = st[H + B0 + 4];
    let b6H = st[H + B0 + 5];
    let nbH = st[H + NB];
    let detH = st[H + SCALE];

    let q0 = h[0];
    let q1 = h[1];
    let q2 = h[2];
    let q3 = h[3];
    let q4 = h[4];
    let q5 = h[5];
    let q6 = h[6];
    let q7 = h[7];
    let q8 = h[8];
    let q9 = h[9];
    let q10 = h[10];
    let q11 = h[11];
    let q12 = h[12];
    let q13 = h[13];
    let q14 = h[14];
    let q15 = h[15];
    let q16 = h[16];
    let q17 = h[17];
    let q18 = h[18];
    let q19 = h[19];
    let q20 = h[20];
    let q21 = h[21];
    for (let k = 0; k < bytes; k++) {
      const code = payload[k];
      const il = code & 0x3f;
      const ih = code >> 6;

      // ITU-T G.722 §4.2 lower band: INVQBL (6-bit) for the output, INVQAL (4-bit) for the predictor; RECONS.
      let rLow = (Math.imul(detL, LOW_INV_QUANT6[il]) >> 10) + sL;
      rLow = rLow > 16383 ? 16383 : Math.max(rLow, -16384);
      const code4 = il >> 2;
      const dl = Math.imul(detL, LOW_INV_QUANT4[code4]) >> 10;
      {
        // ITU-T G.722 §3.6 adaptive predictor (the higher band below and the encoder repeat these steps).
        // PARREC: sign of the partially reconstructed signal p = sz + d (1 = negative, zero counts as positive);
        // diff1 / diff2 = 1 when it differs from the sign one / two samples ago.
        const neg = (szL + dl) >>> 31;
        const diff1 = neg ^ p1L;
        const diff2 = neg ^ p2L;
        p2L = p1L;
        p1L = neg;
        // UPPOL2: a2 ← a2·(1 − 2^-7) + 2^-7·σ0σ2 − 2^-5·a1·σ0σ1 (σi: sign of p i samples ago; a1 limited so
        // that 4·a1 fits 16 bits), limited to ±0.75.
        // Branch-free signs: with m = diff1 − 1 (−1 when equal, 0 otherwise), (x ^ m) − m is −x when equal.
        const a1c = a1L > 8191 ? 8191 : Math.max(a1L, -8191);
        const m1 = diff1 - 1;
        a2L = (((a1c ^ m1) - m1) >> 5) + 128 - (diff2 << 8) + ((a2L * 127) >> 7);
        a2L = a2L > 12288 ? 12288 : Math.max(a2L, -12288);
        // UPPOL1: a1 ← a1·(1 − 2^-8) + 3·2^-8·σ0σ1, limited to ±(1 − 2^-4 − a2).
        a1L = 192 - diff1 * 384 + ((a1L * 255) >> 8);
        const lim = 15360 - a2L;
        a1L = a1L > lim ? lim : Math.max(a1L, -lim);
        // UPZERO: b_i ← b_i·(1 − 2^-8) ± 2^-7·sgn(d)·sgn(d_i) with the old d_i, the step omitted when d = 0.
        // Branch-free: ((d_i ^ d) >> 31) is −1 when the signs differ, 0 otherwise; << 8 | 128 makes it ∓128.
        b1L = (b1L * 255) >> 8;
        b2L = (b2L * 255) >> 8;
        b3L = (b3L * 255) >> 8;
        b4L = (b4L * 255) >> 8;
        b5L = (b5L * 255) >> 8;
        b6L = (b6L * 255) >> 8;
        if (dl !== 0) {
          b1L += (((d1L ^ dl) >> 31) << 8) | 128;
          b2L += (((d2L ^ dl) >> 31) << 8) | 128;
          b3L += (((d3L ^ dl) >> 31) << 8) | 128;
          b4L += (((d4L ^ dl) >> 31) << 8) | 128;
          b5L += (((d5L ^ dl) >> 31) << 8) | 128;
          b6L += (((d6L ^ dl) >> 31) << 8) | 128;
        }
        // DELAYA: shift the difference memory, stored doubled and saturated as FILTEZ uses it.
        d6L = d5L;
        d5L = d4L;
        d4L = d3L;
        d3L = d2L;
        d2L = d1L;
        d1L = dl > 16383 ? 32767 : dl < -16384 ? -32768 : dl << 1;
        // FILTEZ: sz = Σ b_i·d_i. RECONS + FILTEP + PREDIC: r = s + d, s ← sz + a1·r(n) + a2·r(n−1).
        szL =
          (Math.imul(b1L, d1L) >> 15) +
          (Math.imul(b2L, d2L) >> 15) +
          (Math.imul(b3L, d3L) >> 15) +
          (Math.imul(b4L, d4L) >> 15) +
          (Math.imul(b5L, d5L) >> 15) +
          (Math.imul(b6L, d6L) >> 15);
        let r = (sL + dl) << 1;
        r = r > 32767 ? 32767 : Math.max(r, -32768);
        sL = szL + (Math.imul(a1L, r) >> 15) + (Math.imul(a2L, r1L) >> 15);
        sL = sL > 32767 ? 32767 : Math.max(sL, -32768);
        r1L = r;
      }
      // §3.5 LOGSCL + SCALEL.
      nbL = ((nbL * 127) >> 7) + LOW_LOG_STEP[code4];
      nbL = nbL < 0 ? 0 : Math.min(nbL, 18432);
      detL = LOW_SCALE[nbL >> 6];

      // ITU-T G.722 §4.3 higher band: INVQAH, RECONS, adaptation (same steps as the lower band).
      const dh = Math.imul(detH, HIGH_INV_QUANT[ih]) >> 10;
      let rHigh = dh + sH;
      rHigh = rHigh > 16383 ? 16383 : Math.max(rHigh, -16384);
      {
        const neg = (szH + dh) >>> 31;
        const diff1 = neg ^ p1H;
        const diff2 = neg ^ p2H;
        p2H = p1H;
        p1H = neg;
        const a1c = a1H > 8191 ? 8191 : Math.max(a1H, -8191);
        const m1 = diff1 - 1;
        a2H = (((a1c ^ m1) - m1) >> 5) + 128 - (diff2 << 8) + ((a2H * 127) >> 7);
        a2H = a2H > 12288 ? 12288 : Math.max(a2H, -12288);
        a1H = 192 - diff1 * 384 + ((a1H * 255) >> 8);
        const lim = 15360 - a2H;
        a1H = a1H > lim ? lim : Math.max(a1H, -lim);
        b1H = (b1H * 255) >> 8;
        b2H = (b2H * 255) >> 8;
        b3H = (b3H * 255) >> 8;
        b4H = (b4H * 255) >> 8;
        b5H = (b5H * 255) >> 8;
        b6H = (b6H * 255) >> 8;
        if (dh !== 0) {
          b1H += (((d1H ^ dh) >> 31) << 8) | 128;
          b2H += (((d2H ^ dh) >> 31) << 8) | 128;
          b3H += (((d3H ^ dh) >> 31) << 8) | 128;
          b4H += (((d4H ^ dh) >> 31) << 8) | 128;
          b5H += (((d5H ^ dh) >> 31) << 8) | 128;
          b6H += (((d6H ^ dh) >> 31) << 8) | 128;
        }
        d6H = d5H;
        d5H = d4H;
        d4H = d3H;
        d3H = d2H;
        d2H = d1H;
        d1H = dh > 16383 ? 32767 : dh < -16384 ? -32768 : dh << 1;
        szH =
          (Math.imul(b1H, d1H) >> 15) +
          (Math.imul(b2H, d2H) >> 15) +
          (Math.imul(b3H, d3H) >> 15) +
          (Math.imul(b4H, d4H) >> 15) +
          (Math.imul(b5H, d5H) >> 15) +
          (Math.imul(b6H, d6H) >> 15);
        let r = (sH + dh) << 1;
        r = r > 32767 ? 32767 : Math.max(r, -32768);
        sH = szH + (Math.imul(a1H, r) >> 15) + (Math.imul(a2H, r1H) >> 15);
        sH = sH > 32767 ? 32767 : Math.max(sH, -32768);
        r1H = r;
      }
      // LOGSCH + SCALEH.
      nbH = ((nbH * 127) >> 7) + HIGH_LOG_STEP[ih & 1];
      nbH = nbH < 0 ? 0 : Math.min(nbH, 22528);
      detH = HIGH_SCALE[nbH >> 6];

      // ITU-T G.722 §4.4 receive QMF: interleave rl+rh / rl−rh after the 22 previous inputs q0..q21, filter with
      // the 24 taps of Table 11 (as literals, split into even/odd taps), then the delay line moves on by two.
      const x22 = rLow + rHigh;
      const x23 = rLow - rHigh;
      const even =
        q0 * 3 +
        q2 * -11 +
        q4 * 12 +
        q6 * 32 +
        q8 * -210 +
        q10 * 951 +
        q12 * 3876 +
        q14 * -805 +
        q16 * 362 +
        q18 * -156 +
        q20 * 53 +
        x22 * -11;
      const odd =
        q1 * -11 +
        q3 * 53 +
        q5 * -156 +
        q7 * 362 +
        q9 * -805 +
        q11 * 3876 +
        q13 * 951 +
        q15 * -210 +
        q17 * 32 +
        q19 * 12 +
        q21 * -11 +
        x23 * 3;
      q0 = q2;
      q1 = q3;
      q2 = q4;
      q3 = q5;
      q4 = q6;
      q5 = q7;
      q6 = q8;
      q7 = q9;
      q8 = q10;
      q9 = q11;
      q10 = q12;
      q11 = q13;
      q12 = q14;
      q13 = q15;
      q14 = q16;
      q15 = q17;
      q16 = q18;
      q17 = q19;
      q18 = q20;
      q19 = q21;
      q20 = x22;
      q21 = x23;
      let y0 = odd >> 11;
      let y1 = even >> 11;
      y0 = y0 > 32767 ? 32767 : Math.max(y0, -32768);
      y1 = y1 > 32767 ? 32767 : Math.max(y1, -32768);
      dst[2 * k] = y0;
      dst[2 * k + 1] = y1;
    }

    h[0] = q0;
    h[1] = q1;
    h[2] = q2;
    h[3] = q3;
    h[4] = q4;
    h[5] = q5;
    h[6] = q6;
    h[7] = q7;
    h[8] = q8;
    h[9] = q9;
    h[10] = q10;
    h[11] = q11;
    h[12] = q12;
    h[13] = q13;
    h[14] = q14;
    h[15] = q15;
    h[16] = q16;
    h[17] = q17;
    h[18] = q18;
    h[19] = q19;
    h[20] = q20;
    h[21] = q21;
    st[S] = sL;
    st[SZ] = szL;
    st[P1] = p1L;
    st[P2] = p2L;
    st[R1] = r1L;
    st[A1] = a1L;
    st[A2] = a2L;
    st[D0] = d1L;
    st[D0 + 1] = d2L;
    st[D0 + 2] = d3L;
    st[D0 + 3] = d4L;
    st[D0 + 4] = d5L;
    st[D0 + 5] = d6L;
    st[B0] = b1L;
    st[B0 + 1] = b2L;
    st[B0 + 2] = b3L;
    st[B0 + 3] = b4L;
    st[B0 + 4] = b5L;
    st[B0 + 5] = b6L;
    st[NB] = nbL;
    st[SCALE] = detL;
    st[H + S] = sH;
    st[H + SZ] = szH;
    st[H + P1] = p1H;
    st[H + P2] = p2H;
    st[H + R1] = r1H;
    st[H + A1] = a1H;
    st[H + A2] = a2H;
    st[H + D0] = d1H;
    st[H + D0 + 1] = d2H;
    st[H + D0 + 2] = d3H;
    st[H + D0 + 3] = d4H;
    st[H + D0 + 4] = d5H;
    st[H + D0 + 5] = d6H;
    st[H + B0] = b1H;
    st[H + B0 + 1] = b2H;
    st[H + B0 + 2] = b3H;
    st[H + B0 + 3] = b4H;
    st[H + B0 + 4] = b5H;
    st[H + B0 + 5] = b6H;
    st[H + NB] = nbH;
    st[H + SCALE] = detH;
    return dst;
  }

  /** Returns the decoder to its initial state. */
  reset(): void {
    this.band.set(createBandState());
    this.qmf.fill(0);
  }
}
