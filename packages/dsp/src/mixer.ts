import { DspConfigError } from './errors.js';

/**
 * How a mix beyond Int16 range is brought back: `hard` saturates at −32768/32767; `soft` passes
 * samples below the knee unchanged and bends the rest smoothly towards full scale (tanh curve).
 */
export type ClipMode = 'hard' | 'soft';

/** Configuration of a {@link ConferenceMixer}. */
export interface ConferenceMixerOptions {
  /** Number of participants (inputs and outputs), ≥ 1. */
  readonly participants: number;
  /** Samples per frame (e.g. 160 for 20 ms at 8 kHz). */
  readonly frameSize: number;
  /** Clipping control; default `hard`. */
  readonly clip?: ClipMode;
  /**
   * For `soft`: the magnitude (0..32767) above which the limiter curve starts. Default 24576
   * (−2.5 dBFS): speech at normal levels passes untouched.
   */
  readonly softKnee?: number;
}

const FULL_SCALE = 32767;

/**
 * N-party conference mixer: each participant hears everyone but themself ("N − 1" mix).
 *
 * One pass accumulates all present inputs into an Int32 sum; output `i` is the sum minus input `i`,
 * then clipped. Outputs are preallocated: {@link mix} writes into the same {@link outputs} arrays
 * every frame and allocates nothing.
 */
export class ConferenceMixer {
  /** Participant count. */
  readonly participants: number;
  /** Samples per frame. */
  readonly frameSize: number;
  /** Clip mode in use. */
  readonly clip: ClipMode;
  /** `outputs[i]` is what participant `i` hears after the last {@link mix}. */
  readonly outputs: readonly Int16Array[];
  private readonly sum: Int32Array;
  private readonly knee: number;
  private clipped = 0;

  constructor(options: ConferenceMixerOptions) {
    const { participants, frameSize, clip = 'hard', softKnee = 24576 } = options;
    if (!Number.isInteger(participants) || participants < 1 || participants > 65536) {
      throw new DspConfigError('participants', participants, 'must be an integer in 1..65536');
    }
    if (!Number.isInteger(frameSize) || frameSize < 1) {
      throw new DspConfigError('frameSize', frameSize, 'must be a positive integer');
    }
    if (clip !== 'hard' && clip !== 'soft')
      throw new DspConfigError('clip', clip, "must be 'hard' or 'soft'");
    if (!(softKnee >= 1 && softKnee < FULL_SCALE)) {
      throw new DspConfigError('softKnee', softKnee, 'must be in 1..32766');
    }
    this.participants = participants;
    this.frameSize = frameSize;
    this.clip = clip;
    this.knee = softKnee;
    this.sum = new Int32Array(frameSize);
    this.outputs = Array.from({ length: participants }, () => new Int16Array(frameSize));
  }

  /** Samples clipped or limited since construction (a health metric: sustained clipping means too hot). */
  get clippedSamples(): number {
    return this.clipped;
  }

  /**
   * Mixes one frame. `inputs[i]` is participant `i`'s frame, or `null`/`undefined` when they sent
   * nothing this period (they still hear everyone else). Returns {@link outputs}.
   */
  mix(inputs: readonly (Int16Array | null | undefined)[]): readonly Int16Array[] {
    const { sum, frameSize, participants } = this;
    if (inputs.length > participants) {
      throw new DspConfigError('inputs', inputs.length, `more inputs than ${participants} participants`);
    }
    sum.fill(0);
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i];
      if (x == null) continue;
      if (x.length !== frameSize) {
        throw new DspConfigError(`inputs[${i}].length`, x.length, `frames must have ${frameSize} samples`);
      }
      for (let n = 0; n < frameSize; n++) sum[n] += x[n];
    }
    for (let i = 0; i < participants; i++) {
      const x = i < inputs.length ? inputs[i] : undefined;
      const out = this.outputs[i];
      if (this.clip === 'hard') this.clipHard(x, out);
      else this.clipSoft(x, out);
    }
    return this.outputs;
  }

  private clipHard(own: Int16Array | null | undefined, out: Int16Array): void {
    const { sum, frameSize } = this;
    let clipped = 0;
    for (let n = 0; n < frameSize; n++) {
      const v = own == null ? sum[n] : sum[n] - own[n];
      if (v > FULL_SCALE) {
        out[n] = FULL_SCALE;
        clipped++;
      } else if (v < -32768) {
        out[n] = -32768;
        clipped++;
      } else {
        out[n] = v;
      }
    }
    this.clipped += clipped;
  }

  private clipSoft(own: Int16Array | null | undefined, out: Int16Array): void {
    const { sum, frameSize, knee } = this;
    const range = FULL_SCALE - knee;
    let clipped = 0;
    for (let n = 0; n < frameSize; n++) {
      const v = own == null ? sum[n] : sum[n] - own[n];
      if (v > knee) {
        out[n] = Math.round(knee + range * Math.tanh((v - knee) / range));
        clipped++;
      } else if (v < -knee) {
        out[n] = -Math.round(knee + range * Math.tanh((-v - knee) / range));
        clipped++;
      } else {
        out[n] = v;
      }
    }
    this.clipped += clipped;
  }
}
