// ITU-T G.722 encoder (64 kbit/s mode): transmit QMF → lower band 6-bit ADPCM + higher band 2-bit ADPCM.
// Output is byte-for-byte identical to ffmpeg's `g722` encoder (no trellis) for the same input.
//
// Performance: written like the decoder (see g722-decoder.ts): one flat loop over local copies of the state,
// the predictor update written out per band, branch-free sign handling and literal QMF coefficients. The
// quantizers are branch-free too: QUANTH compares the sign and |eh| arithmetically, and QUANTL finds its
// interval with a fixed five-step binary search (16, 8, 4, 2, 1) instead of a data-dependent loop.
import { CodecError } from './errors.js';
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
import {
  HIGH_INV_QUANT,
  LOW_CODE_NEGATIVE,
  LOW_CODE_POSITIVE,
  LOW_DECISION,
  LOW_INV_QUANT4,
} from './g722-tables.js';

const H = HIGH;

/**
 * QUANTL decision levels Q6[1..29] at indexes 1..29, padded to 32 entries with Q6[29] so that the five-step
 * search never reads past the end: it yields m = the number of levels·DET at or below |el| (31 when all are).
 */
const LEVELS = Int32Array.from({ length: 32 }, (_, i) => LOW_DECISION[Math.min(i, 29)]);

/** ITU-T G.722 Table 3 by `(negative << 5) | m`: the 6-bit code of interval mil = min(m + 1, 30). */
const LOW_CODE = Int32Array.from(
  { length: 64 },
  (_, i) => (i & 32 ? LOW_CODE_NEGATIVE : LOW_CODE_POSITIVE)[Math.min((i & 31) + 1, 30)],
);

/**
 * A stateful G.722 encoder: 16 kHz 16-bit PCM in, one byte per two samples out. State persists across calls,
 * so encoding a signal in 20 ms frames gives the same bytes as encoding it in one call.
 */
export class G722Encoder {
  private readonly band = createBandState();
  /** The last 22 transmit-QMF inputs, oldest first. */
  private readonly qmf = new Int32Array(22);

  /**
   * Encodes an even number of samples. Pass `out` (at least `pcm.length / 2` long) to avoid allocating; the
   * returned array is `out` trimmed to the encoded length.
   */
  encode(pcm: Int16Array, out?: Uint8Array): Uint8Array {
    const n = pcm.length;
    if (n & 1) throw new CodecError('invalid-frame', `G.722 encodes sample pairs; got ${n} samples`, 'G722');
    const bytes = n >> 1;
    const dst =
      out === undefined ? new Uint8Array(bytes) : out.length === bytes ? out : out.subarray(0, bytes);
    const st = this.band;
    const h = this.qmf;
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
      // ITU-T G.722 §3.1 transmit QMF: the 24 taps of Table 11 (as literals) over the 22 previous inputs q0..q21
      // and the 2 new ones, split into even/odd taps; then the delay line moves on by two.
      const x22 = pcm[2 * k];
      const x23 = pcm[2 * k + 1];
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
      const xLow = (odd + even) >> 14;
      const xHigh = (odd - even) >> 14;

      // ITU-T G.722 §3.3 higher band: SUBTRA, QUANTH (2-bit), INVQAH, then adaptation. QUANTH branch-free:
      // ih = 2·(eh ≥ 0) + (|eh| < 141·DETH/256), the "<" as the sign bit of the difference.
      let eh = xHigh - sH;
      eh = eh > 32767 ? 32767 : Math.max(eh, -32768);
      const wdh = eh ^ (eh >> 31);
      const ih = (((eh >>> 31) ^ 1) << 1) | ((wdh - ((141 * detH) >> 8)) >>> 31);
      const dh = Math.imul(detH, HIGH_INV_QUANT[ih]) >> 10;
      {
        // ITU-T G.722 §3.6 adaptive predictor, as for the lower band below.
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

      // ITU-T G.722 §3.2 lower band: SUBTRA, QUANTL (6-bit, 30 intervals), INVQAL (4-bit), adaptation.
      let el = xLow - sL;
      el = el > 32767 ? 32767 : Math.max(el, -32768);
      const wd = el ^ (el >> 31); // |el| rounded toward −∞ for negatives, as QUANTL specifies
      // Branch-free binary search, each step taken when its level is at or below wd: wd ≥ (level·DET) >> 10
      // ⇔ level·DET < (wd + 1) << 10 (as ffmpeg compares), and `(level·DET − wdScaled) >>> 31` is that bit.
      const wdScaled = (wd + 1) << 10;
      let m = ((Math.imul(LEVELS[16], detL) - wdScaled) >>> 31) << 4;
      m |= ((Math.imul(LEVELS[m | 8], detL) - wdScaled) >>> 31) << 3;
      m |= ((Math.imul(LEVELS[m | 4], detL) - wdScaled) >>> 31) << 2;
      m |= ((Math.imul(LEVELS[m | 2], detL) - wdScaled) >>> 31) << 1;
      m |= (Math.imul(LEVELS[m | 1], detL) - wdScaled) >>> 31;
      const il = LOW_CODE[((el >>> 31) << 5) | m];
      const code4 = il >> 2;
      const dl = Math.imul(detL, LOW_INV_QUANT4[code4]) >> 10;
      {
        // ITU-T G.722 §3.6 adaptive predictor, step for step as in g722-decoder.ts (comments there).
        const neg = (szL + dl) >>> 31;
        const diff1 = neg ^ p1L;
        const diff2 = neg ^ p2L;
        p2L = p1L;
        p1L = neg;
        const a1c = a1L > 8191 ? 8191 : Math.max(a1L, -8191);
        const m1 = diff1 - 1;
        a2L = (((a1c ^ m1) - m1) >> 5) + 128 - (diff2 << 8) + ((a2L * 127) >> 7);
        a2L = a2L > 12288 ? 12288 : Math.max(a2L, -12288);
        a1L = 192 - diff1 * 384 + ((a1L * 255) >> 8);
        const lim = 15360 - a2L;
        a1L = a1L > lim ? lim : Math.max(a1L, -lim);
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
        d6L = d5L;
        d5L = d4L;
        d4L = d3L;
        d3L = d2L;
        d2L = d1L;
        d1L = dl > 16383 ? 32767 : dl < -16384 ? -32768 : dl << 1;
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
      // LOGSCL + SCALEL.
      nbL = ((nbL * 127) >> 7) + LOW_LOG_STEP[code4];
      nbL = nbL < 0 ? 0 : Math.min(nbL, 18432);
      detL = LOW_SCALE[nbL >> 6];

      dst[k] = (ih << 6) | il;
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

  /** Returns the encoder to its initial state. */
  reset(): void {
    this.band.set(createBandState());
    this.qmf.fill(0);
  }
}
