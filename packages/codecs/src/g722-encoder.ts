// ITU-T G.722 encoder (64 kbit/s mode): transmit QMF → lower band 6-bit ADPCM + higher band 2-bit ADPCM.
// Output is byte-for-byte identical to ffmpeg's `g722` encoder (no trellis) for the same input.

import { CodecError } from './errors.js';
import {
  adaptHighScale,
  adaptLowScale,
  adaptPredictor,
  createBandState,
  HIGH,
  S,
  SCALE,
} from './g722-band.js';
import {
  HIGH_INV_QUANT,
  LOW_CODE_NEGATIVE,
  LOW_CODE_POSITIVE,
  LOW_DECISION,
  LOW_INV_QUANT4,
  QMF,
} from './g722-tables.js';

/** Size of the QMF delay line; when full, its last 22 samples move back to the start. */
const HISTORY = 1024;

/**
 * A stateful G.722 encoder: 16 kHz 16-bit PCM in, one byte per two samples out. State persists across calls,
 * so encoding a signal in 20 ms frames gives the same bytes as encoding it in one call.
 */
export class G722Encoder {
  private readonly band = createBandState();
  private readonly history = new Int32Array(HISTORY);
  private pos = 22;

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
    const h = this.history;
    const c0 = QMF[0];
    const c1 = QMF[1];
    const c2 = QMF[2];
    const c3 = QMF[3];
    const c4 = QMF[4];
    const c5 = QMF[5];
    const c6 = QMF[6];
    const c7 = QMF[7];
    const c8 = QMF[8];
    const c9 = QMF[9];
    const c10 = QMF[10];
    const c11 = QMF[11];
    let pos = this.pos;
    for (let k = 0; k < bytes; k++) {
      h[pos] = pcm[2 * k];
      h[pos + 1] = pcm[2 * k + 1];
      pos += 2;
      // ITU-T G.722 §3.1 transmit QMF: 24-tap filter over the last 24 input samples, split into even/odd taps.
      const w = pos - 24;
      const even =
        h[w] * c0 +
        h[w + 2] * c1 +
        h[w + 4] * c2 +
        h[w + 6] * c3 +
        h[w + 8] * c4 +
        h[w + 10] * c5 +
        h[w + 12] * c6 +
        h[w + 14] * c7 +
        h[w + 16] * c8 +
        h[w + 18] * c9 +
        h[w + 20] * c10 +
        h[w + 22] * c11;
      const odd =
        h[w + 1] * c11 +
        h[w + 3] * c10 +
        h[w + 5] * c9 +
        h[w + 7] * c8 +
        h[w + 9] * c7 +
        h[w + 11] * c6 +
        h[w + 13] * c5 +
        h[w + 15] * c4 +
        h[w + 17] * c3 +
        h[w + 19] * c2 +
        h[w + 21] * c1 +
        h[w + 23] * c0;
      const xLow = (odd + even) >> 14;
      const xHigh = (odd - even) >> 14;
      if (pos >= HISTORY) {
        h.copyWithin(0, pos - 22, pos);
        pos = 22;
      }

      // ITU-T G.722 §3.3 higher band: SUBTRA, QUANTH (2-bit), INVQAH, then adaptation.
      let eh = st[HIGH + S];
      eh = xHigh - eh;
      eh = eh > 32767 ? 32767 : Math.max(eh, -32768);
      const scaleH = st[HIGH + SCALE];
      const large = (eh ^ (eh >> 31)) >= (141 * scaleH) >> 8;
      const ih = eh < 0 ? (large ? 0 : 1) : large ? 2 : 3;
      adaptPredictor(st, HIGH, (scaleH * HIGH_INV_QUANT[ih]) >> 10);
      adaptHighScale(st, ih);

      // ITU-T G.722 §3.2 lower band: SUBTRA, QUANTL (6-bit, 30 intervals), INVQAL (4-bit), adaptation.
      let el = xLow - st[S];
      el = el > 32767 ? 32767 : Math.max(el, -32768);
      const wd = el ^ (el >> 31); // |el| rounded toward −∞ for negatives, as QUANTL specifies
      const scaleL = st[SCALE];
      // Smallest interval mil in 1..29 with wd < Q6[mil]·DET, else 30 (binary search over the monotone levels).
      let lo = 1;
      let hi = 30;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (wd < (LOW_DECISION[mid] * scaleL) >> 10) hi = mid;
        else lo = mid + 1;
      }
      const il = el < 0 ? LOW_CODE_NEGATIVE[lo] : LOW_CODE_POSITIVE[lo];
      const code4 = il >> 2;
      adaptPredictor(st, 0, (scaleL * LOW_INV_QUANT4[code4]) >> 10);
      adaptLowScale(st, code4);

      dst[k] = (ih << 6) | il;
    }
    this.pos = pos;
    return dst;
  }

  /** Returns the encoder to its initial state. */
  reset(): void {
    this.band.set(createBandState());
    this.history.fill(0);
    this.pos = 22;
  }
}
