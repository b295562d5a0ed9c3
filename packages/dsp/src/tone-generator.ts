import { DspConfigError } from './errors.js';
import { dbm0ToAmplitude, type ToneSpec } from './tone-plans.js';

/**
 * Plays a {@link ToneSpec} at any sample rate, frame by frame.
 *
 * Stateful and phase-continuous: generating 320 samples at once or as two frames of 160 gives the
 * same samples. Each segment starts its sinusoids at phase 0, so every burst of a cadence is
 * identical; segment boundaries fall on `round(t · rate / 1000)` so cadences do not drift.
 */
export class ToneGenerator {
  /** Sample rate in Hz. */
  readonly sampleRate: number;
  private readonly lengths: Float64Array; // samples per segment (Infinity for continuous)
  private readonly offsets: Int32Array; // first component index of each segment
  private readonly amplitudes: Float64Array;
  private readonly increments: Float64Array; // radians per sample
  private readonly wraps: Float64Array; // continuous segments restart their phase count here
  private readonly repeat: boolean;
  private segment = 0;
  private inSegment = 0;
  private ended = false;

  constructor(spec: ToneSpec, sampleRate: number) {
    if (!Number.isInteger(sampleRate) || sampleRate < 1000) {
      throw new DspConfigError('sampleRate', sampleRate, 'must be an integer ≥ 1000 Hz');
    }
    if (spec.segments.length === 0) throw new DspConfigError('segments', 0, 'a tone needs a segment');
    this.sampleRate = sampleRate;
    this.repeat = spec.repeat;
    const n = spec.segments.length;
    this.lengths = new Float64Array(n);
    this.offsets = new Int32Array(n + 1);
    let components = 0;
    let startMs = 0;
    for (let s = 0; s < n; s++) {
      const seg = spec.segments[s];
      if (!(seg.durationMs > 0)) throw new DspConfigError('durationMs', seg.durationMs, 'must be > 0');
      const endMs = startMs + seg.durationMs;
      this.lengths[s] = Number.isFinite(endMs)
        ? Math.round((endMs * sampleRate) / 1000) - Math.round((startMs * sampleRate) / 1000)
        : Number.POSITIVE_INFINITY;
      startMs = endMs;
      this.offsets[s] = components;
      components += seg.components.length;
    }
    this.offsets[n] = components;
    this.amplitudes = new Float64Array(components);
    this.increments = new Float64Array(components);
    this.wraps = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    let c = 0;
    for (let s = 0; s < n; s++) {
      const seg = spec.segments[s];
      // A continuous tone of whole-Hz frequencies repeats exactly every second: count the phase
      // modulo one second so it stays precise however long the tone plays.
      if (!Number.isFinite(this.lengths[s]) && seg.components.every((x) => Number.isInteger(x.frequency))) {
        this.wraps[s] = sampleRate;
      }
      for (const { frequency, levelDbm0 } of seg.components) {
        if (!(frequency > 0 && frequency < sampleRate / 2)) {
          throw new DspConfigError('frequency', frequency, `must be in (0, ${sampleRate / 2}) Hz`);
        }
        this.amplitudes[c] = dbm0ToAmplitude(levelDbm0);
        this.increments[c] = (2 * Math.PI * frequency) / sampleRate;
        c++;
      }
    }
  }

  /** True once a non-repeating tone has played all its segments. */
  get done(): boolean {
    return this.ended;
  }

  /** Restarts the tone from its first segment. */
  reset(): void {
    this.segment = 0;
    this.inSegment = 0;
    this.ended = false;
  }

  /**
   * Fills `out` with the next samples. Returns how many belong to the tone: fewer than `out.length`
   * only when a non-repeating tone ends inside this frame (the rest is zero-filled).
   */
  generate(out: Int16Array): number {
    let n = 0;
    while (n < out.length && !this.ended) {
      const len = this.lengths[this.segment];
      const wrap = this.wraps[this.segment];
      const count = Math.min(out.length - n, len - this.inSegment, wrap - this.inSegment);
      this.render(out, n, count);
      n += count;
      this.inSegment += count;
      if (this.inSegment >= len) this.nextSegment();
      else if (this.inSegment >= wrap) this.inSegment = 0;
    }
    if (n < out.length) out.fill(0, n);
    return n;
  }

  private nextSegment(): void {
    this.inSegment = 0;
    this.segment++;
    if (this.segment >= this.lengths.length) {
      if (this.repeat) this.segment = 0;
      else {
        this.segment = this.lengths.length - 1;
        this.ended = true;
      }
    }
  }

  private render(out: Int16Array, start: number, count: number): void {
    const from = this.offsets[this.segment];
    const to = this.offsets[this.segment + 1];
    if (from === to) {
      out.fill(0, start, start + count);
      return;
    }
    const { amplitudes, increments } = this;
    // The phase is computed from the sample count, not accumulated, so the output does not depend
    // on how the stream is cut into frames.
    for (let i = start, k = this.inSegment; i < start + count; i++, k++) {
      let v = 0;
      for (let c = from; c < to; c++) v += amplitudes[c] * Math.sin(increments[c] * k);
      const y = Math.round(v);
      out[i] = Math.min(32767, Math.max(-32768, y));
    }
  }
}
