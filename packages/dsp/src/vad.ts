import { DspConfigError } from './errors.js';
import { rmsDbov } from './level-meter.js';

/** Options of a {@link Vad}. */
export interface VadOptions {
  /** Sample rate, Hz. Default 8000. */
  readonly sampleRate?: number;
  /** Speech when a frame is this many dB above the noise floor. Default 9. */
  readonly thresholdDb?: number;
  /**
   * Unvoiced speech (fricatives) is quiet but busy: a frame at least `thresholdDb / 2` above the floor
   * whose zero-crossing rate exceeds this many crossings per second also counts. Default 2500.
   */
  readonly zeroCrossingRate?: number;
  /** Frames quieter than this (dBov) are never speech. Default −55. */
  readonly minSpeechDbov?: number;
  /** Speech decisions are held this long after the last speech frame, ms. Default 200. */
  readonly hangoverMs?: number;
  /** Fastest rise of the noise-floor estimate, dB per second (it falls at once). Default 2. */
  readonly floorRiseDbPerSecond?: number;
}

/**
 * Energy + zero-crossing voice activity detector with hangover, frame by frame.
 *
 * The noise floor follows the quietest frames: it drops to any quieter frame at once and rises at
 * most `floorRiseDbPerSecond`, so it adapts to a louder background within seconds while speech
 * bursts barely move it. Time is the audio's own (sample counts).
 */
export class Vad {
  /** Sample rate in Hz. */
  readonly sampleRate: number;
  private readonly threshold: number;
  private readonly zcrLimit: number;
  private readonly minSpeech: number;
  private readonly hangoverSamples: number;
  private readonly rise: number;
  private floor = Number.NaN;
  private hangLeft = 0;
  private speech = false;

  constructor(options: VadOptions = {}) {
    const {
      sampleRate = 8000,
      thresholdDb = 9,
      zeroCrossingRate = 2500,
      minSpeechDbov = -55,
      hangoverMs = 200,
      floorRiseDbPerSecond = 2,
    } = options;
    if (!Number.isInteger(sampleRate) || sampleRate < 1000) {
      throw new DspConfigError('sampleRate', sampleRate, 'must be an integer ≥ 1000 Hz');
    }
    if (!(hangoverMs >= 0)) throw new DspConfigError('hangoverMs', hangoverMs, 'must be ≥ 0');
    this.sampleRate = sampleRate;
    this.threshold = thresholdDb;
    this.zcrLimit = zeroCrossingRate;
    this.minSpeech = minSpeechDbov;
    this.hangoverSamples = Math.round((hangoverMs * sampleRate) / 1000);
    this.rise = floorRiseDbPerSecond;
  }

  /** Current noise-floor estimate in dBov (NaN before the first frame). */
  get noiseFloorDbov(): number {
    return this.floor;
  }

  /** The decision for the last frame (including hangover). */
  get isSpeech(): boolean {
    return this.speech;
  }

  /** Classifies the next frame (any length; 10–30 ms works best). Returns true for speech. */
  process(frame: Int16Array): boolean {
    if (frame.length === 0) return this.speech;
    const level = rmsDbov(frame, -120);
    let crossings = 0;
    for (let i = 1; i < frame.length; i++) {
      if (frame[i - 1] < 0 !== frame[i] < 0) crossings++;
    }
    const crossingsPerSecond = (crossings * this.sampleRate) / frame.length;

    if (Number.isNaN(this.floor)) this.floor = level;
    const above = level - this.floor;
    const voiced = above >= this.threshold;
    const unvoiced = above >= this.threshold / 2 && crossingsPerSecond >= this.zcrLimit;
    const active = level >= this.minSpeech && (voiced || unvoiced);

    // Noise floor: falls at once, rises slowly.
    if (level < this.floor) this.floor = level;
    else this.floor = Math.min(level, this.floor + (this.rise * frame.length) / this.sampleRate);

    if (active) {
      this.hangLeft = this.hangoverSamples;
      this.speech = true;
    } else if (this.hangLeft > 0) {
      this.hangLeft -= frame.length;
      this.speech = true;
    } else {
      this.speech = false;
    }
    return this.speech;
  }

  /** Forgets the noise floor and any hangover. */
  reset(): void {
    this.floor = Number.NaN;
    this.hangLeft = 0;
    this.speech = false;
  }
}
