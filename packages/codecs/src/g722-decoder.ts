// ITU-T G.722 decoder (64 kbit/s mode): lower/higher band ADPCM decoding → receive QMF → 16 kHz PCM.
// Output is sample-for-sample identical to ffmpeg's `g722` decoder, which emits two samples per byte from the
// first byte on (the 22-sample QMF delay is not trimmed).
import {
  adaptHighScale,
  adaptLowScale,
  adaptPredictor,
  createBandState,
  HIGH,
  S,
  SCALE,
} from './g722-band.js';
import { HIGH_INV_QUANT, LOW_INV_QUANT4, LOW_INV_QUANT6, QMF } from './g722-tables.js';

const HISTORY = 1024;

/** A stateful G.722 decoder: one byte in, two 16 kHz samples out. */
export class G722Decoder {
  private readonly band = createBandState();
  private readonly history = new Int32Array(HISTORY);
  private pos = 22;

  /**
   * Decodes G.722 bytes. Pass `out` (at least `2 * payload.length` long) to avoid allocating; the returned
   * array is `out` trimmed to the decoded length.
   */
  decode(payload: Uint8Array, out?: Int16Array): Int16Array {
    const bytes = payload.length;
    const n = bytes << 1;
    const dst = out === undefined ? new Int16Array(n) : out.length === n ? out : out.subarray(0, n);
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
      const code = payload[k];
      const il = code & 0x3f;
      const ih = code >> 6;

      // ITU-T G.722 §4.2 lower band: INVQBL (6-bit) for the output, INVQAL (4-bit) for the predictor; RECONS.
      const scaleL = st[SCALE];
      let rLow = ((scaleL * LOW_INV_QUANT6[il]) >> 10) + st[S];
      rLow = rLow > 16383 ? 16383 : Math.max(rLow, -16384);
      const code4 = il >> 2;
      adaptPredictor(st, 0, (scaleL * LOW_INV_QUANT4[code4]) >> 10);
      adaptLowScale(st, code4);

      // ITU-T G.722 §4.3 higher band: INVQAH, RECONS, adaptation.
      const dh = (st[HIGH + SCALE] * HIGH_INV_QUANT[ih]) >> 10;
      let rHigh = dh + st[HIGH + S];
      rHigh = rHigh > 16383 ? 16383 : Math.max(rHigh, -16384);
      adaptPredictor(st, HIGH, dh);
      adaptHighScale(st, ih);

      // ITU-T G.722 §4.4 receive QMF: interleave rl+rh / rl−rh and filter with the 24 taps.
      h[pos] = rLow + rHigh;
      h[pos + 1] = rLow - rHigh;
      pos += 2;
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
      let y0 = odd >> 11;
      let y1 = even >> 11;
      y0 = y0 > 32767 ? 32767 : Math.max(y0, -32768);
      y1 = y1 > 32767 ? 32767 : Math.max(y1, -32768);
      dst[2 * k] = y0;
      dst[2 * k + 1] = y1;
      if (pos >= HISTORY) {
        h.copyWithin(0, pos - 22, pos);
        pos = 22;
      }
    }
    this.pos = pos;
    return dst;
  }

  /** Returns the decoder to its initial state. */
  reset(): void {
    this.band.set(createBandState());
    this.history.fill(0);
    this.pos = 22;
  }
}
