// Packet loss concealment by pitch-synchronous waveform repetition, after ITU-T G.711 Appendix I:
// on a loss, the last pitch period of the history is repeated (its loop point smoothed by a quarter-period
// overlap-add); from 10 ms into the loss the output fades by 20 % per 10 ms, reaching silence at 60 ms; the
// first good frame after a loss is cross-faded from the synthetic signal. Unlike Appendix I there is no
// 3.75 ms output delay, so the first concealed sample joins the last received one without overlap-add.

const HISTORY_MS = 48.75;
const MIN_PITCH_MS = 5; // 200 Hz
const MAX_PITCH_MS = 15; // 66.7 Hz
const CORRELATION_MS = 20;

/** Waveform-repeat concealment for PCM codecs without their own PLC (G.711, G.722). */
export class WaveformRepeatPlc {
  /**
   * The output as a ring, at least {@link HISTORY_MS} long and a whole number of frames, so that a frame
   * is one copy over the oldest samples (no shift of the whole history, no wrap). `head` is where the
   * next sample goes. The pitch search, once per loss, works on {@link history}, unrolled from it.
   */
  private readonly ring: Int16Array;
  private head = 0;
  /** The last {@link HISTORY_MS} in time order, unrolled from the ring when a loss starts. */
  private readonly history: Int16Array;
  private readonly period: Float64Array;
  private readonly samplesPer10ms: number;
  private readonly minPitch: number;
  private readonly maxPitch: number;
  private readonly window: number;
  private filled = 0;
  private pitch = 0;
  private phase = 0;
  private lostSamples = 0;

  /** @param sampleRate PCM rate (8000 for G.711, 16000 for G.722). */
  constructor(
    private readonly sampleRate: number,
    private readonly frameSize: number,
  ) {
    this.history = new Int16Array(Math.ceil((sampleRate * HISTORY_MS) / 1000));
    this.ring = new Int16Array(Math.ceil(this.history.length / frameSize) * frameSize);
    this.samplesPer10ms = sampleRate / 100;
    this.minPitch = Math.round((sampleRate * MIN_PITCH_MS) / 1000);
    this.maxPitch = Math.round((sampleRate * MAX_PITCH_MS) / 1000);
    this.window = Math.round((sampleRate * CORRELATION_MS) / 1000);
    this.period = new Float64Array(this.maxPitch);
  }

  /** Whether the previous call was {@link conceal} (a loss is in progress). */
  get concealing(): boolean {
    return this.lostSamples > 0;
  }

  /**
   * Records a correctly decoded frame. After a loss, the start of `frame` is cross-faded in place from the
   * synthetic continuation (ITU-T G.711 Appendix I: a quarter pitch period plus 4 ms per extra 10 ms lost).
   */
  receive(frame: Int16Array): void {
    if (this.lostSamples > 0) {
      const extra = Math.floor(this.lostSamples / this.samplesPer10ms) - 1;
      let fade = (this.pitch >> 2) + (extra > 0 ? extra * ((this.sampleRate * 4) / 1000) : 0);
      if (fade > frame.length) fade = frame.length;
      const gain0 = this.gainAt(this.lostSamples);
      for (let i = 0; i < fade; i++) {
        const w = (i + 1) / (fade + 1);
        const synthetic = this.period[this.phase] * gain0;
        this.phase = this.phase + 1 === this.pitch ? 0 : this.phase + 1;
        frame[i] = clip16(Math.round(synthetic * (1 - w) + frame[i] * w));
      }
      this.lostSamples = 0;
    }
    this.push(frame);
  }

  /** Produces one frame of concealment (`out`, or a new array of the frame size). */
  conceal(out?: Int16Array): Int16Array {
    const dst = out ?? new Int16Array(this.frameSize);
    if (this.filled < this.history.length) {
      // Not enough history to find a pitch: play silence (and do not cross-fade from it later).
      dst.fill(0);
      return dst;
    }
    if (this.lostSamples === 0) this.startLoss();
    for (let i = 0; i < dst.length; i++) {
      const g = this.gainAt(this.lostSamples);
      dst[i] = g === 0 ? 0 : clip16(Math.round(this.period[this.phase] * g));
      this.phase = this.phase + 1 === this.pitch ? 0 : this.phase + 1;
      this.lostSamples++;
    }
    this.push(dst);
    return dst;
  }

  /** Forgets the history (e.g. on a new SSRC). */
  reset(): void {
    this.ring.fill(0);
    this.head = 0;
    this.filled = 0;
    this.lostSamples = 0;
  }

  // G.711 Appendix I: full gain for the first 10 ms, then −20 % per 10 ms, silence from 60 ms on.
  private gainAt(lost: number): number {
    const t = lost / this.samplesPer10ms;
    if (t < 1) return 1;
    const g = 1 - 0.2 * (t - 1);
    return Math.max(g, 0);
  }

  private startLoss(): void {
    this.unroll();
    const h = this.history;
    const end = h.length;
    const pitch = this.findPitch();
    this.pitch = pitch;
    // The last pitch period, with its last quarter cross-faded into the samples that precede the period so
    // that the loop point (end → start of the period) is continuous.
    const quarter = pitch >> 2;
    const start = end - pitch;
    for (let i = 0; i < pitch; i++) this.period[i] = h[start + i];
    for (let j = 0; j < quarter; j++) {
      const w = (j + 1) / (quarter + 1);
      this.period[pitch - quarter + j] = h[end - quarter + j] * (1 - w) + h[start - quarter + j] * w;
    }
    this.phase = 0;
  }

  // Normalized cross-correlation of the last 20 ms against lags of 5–15 ms; the best lag is the pitch.
  private findPitch(): number {
    const h = this.history;
    const end = h.length;
    const n = this.window;
    let best = this.minPitch;
    let bestScore = -Infinity;
    for (let lag = this.minPitch; lag <= this.maxPitch; lag++) {
      let cross = 0;
      let energy = 0;
      for (let i = end - n; i < end; i++) {
        const past = h[i - lag];
        cross += h[i] * past;
        energy += past * past;
      }
      const score = energy > 0 ? cross / Math.sqrt(energy) : 0;
      if (score > bestScore) {
        bestScore = score;
        best = lag;
      }
    }
    return best;
  }

  /** Copies the last {@link HISTORY_MS} of the ring into {@link history}, oldest sample first. */
  private unroll(): void {
    const ring = this.ring;
    const h = this.history;
    const start = this.head - h.length;
    if (start >= 0) {
      h.set(ring.subarray(start, this.head));
    } else {
      h.set(ring.subarray(ring.length + start));
      h.set(ring.subarray(0, this.head), -start);
    }
  }

  private push(frame: Int16Array): void {
    const ring = this.ring;
    const size = ring.length;
    const n = frame.length;
    if (n >= size) {
      ring.set(frame.subarray(n - size));
      this.head = 0;
    } else if (this.head + n <= size) {
      // A stream of `frameSize` frames always lands here: one copy, no views allocated.
      ring.set(frame, this.head);
      this.head = this.head + n === size ? 0 : this.head + n;
    } else {
      const first = size - this.head;
      ring.set(frame.subarray(0, first), this.head);
      ring.set(frame.subarray(first), 0);
      this.head = n - first;
    }
    this.filled = Math.min(this.history.length, this.filled + n);
  }
}

function clip16(x: number): number {
  return x > 32767 ? 32767 : Math.max(x, -32768);
}
