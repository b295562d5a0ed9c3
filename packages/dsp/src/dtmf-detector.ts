import { DtmfBlockAnalyser, type DtmfThresholds, dtmfDigitAt } from './dtmf-analysis.js';
import { DspConfigError } from './errors.js';

/** Options of a {@link DtmfDetector}. */
export interface DtmfDetectorOptions extends DtmfThresholds {
  /** Sample rate of the audio, Hz (≥ 8000). Default 8000. */
  readonly sampleRate?: number;
  /** Analysis block length, ms. Default 12.75 (102 samples at 8 kHz). */
  readonly blockMs?: number;
  /**
   * Shortest tone that must be detected, ms (ITU-T Q.24: 40). A digit starts after
   * `floor(minToneMs / blockMs) − 1` consecutive matching blocks, the count any tone this long is
   * guaranteed to fill whatever its alignment; tones under ~22 ms cannot.
   */
  readonly minToneMs?: number;
  /**
   * Shortest pause that must separate two digits, ms (ITU-T Q.24: 40). A digit ends after
   * `floor(minPauseMs / blockMs)` blocks without it, so a ≤ 10 ms interruption does not end it.
   */
  readonly minPauseMs?: number;
}

/** A digit starting or ending; `sample` counts from the first sample given to the detector. */
export interface DtmfEvent {
  /** `start` when a digit is recognised, `end` when it stops. */
  readonly type: 'start' | 'end';
  /** The key: 0-9, *, #, A-D. */
  readonly digit: string;
  /** Sample index where the tone began (`start`) or stopped (`end`), to one block. */
  readonly sample: number;
  /** For `end`: the tone's length in samples (end − start). */
  readonly durationSamples?: number;
}

/**
 * Streaming DTMF receiver (ITU-T Q.24 tolerances) fed with frames of any length.
 *
 * Sans-IO: push audio with {@link process}, then drain events with {@link poll}. Timestamps are
 * sample counts, so time is exactly the audio's own.
 */
export class DtmfDetector {
  /** Sample rate in Hz. */
  readonly sampleRate: number;
  /** Analysis block length in samples. */
  readonly blockSize: number;
  /** Matching blocks needed to start a digit. */
  readonly minOnBlocks: number;
  /** Non-matching blocks needed to end a digit. */
  readonly minOffBlocks: number;
  private readonly analyser: DtmfBlockAnalyser;
  private readonly block: Float64Array;
  private fill = 0;
  private blockStart = 0; // absolute sample index of block[0]
  private runDigit = -1;
  private runLength = 0;
  private runStart = 0;
  private active = -1;
  private activeStart = 0;
  private offBlocks = 0;
  private offStart = 0;
  private readonly events: DtmfEvent[] = [];

  constructor(options: DtmfDetectorOptions = {}) {
    const { sampleRate = 8000, blockMs = 12.75, minToneMs = 40, minPauseMs = 40 } = options;
    if (!(blockMs >= 5 && blockMs <= 50)) throw new DspConfigError('blockMs', blockMs, 'must be in 5..50 ms');
    this.sampleRate = sampleRate;
    this.blockSize = Math.round((blockMs * sampleRate) / 1000);
    this.analyser = new DtmfBlockAnalyser(sampleRate, this.blockSize, options);
    const exactBlockMs = (this.blockSize * 1000) / sampleRate;
    this.minOnBlocks = Math.max(1, Math.floor(minToneMs / exactBlockMs) - 1);
    this.minOffBlocks = Math.max(1, Math.floor(minPauseMs / exactBlockMs));
    this.block = new Float64Array(this.blockSize);
  }

  /** Feeds the next samples of the stream. */
  process(samples: Int16Array): void {
    let i = 0;
    while (i < samples.length) {
      const take = Math.min(samples.length - i, this.blockSize - this.fill);
      for (let k = 0; k < take; k++) this.block[this.fill + k] = samples[i + k];
      this.fill += take;
      i += take;
      if (this.fill === this.blockSize) {
        this.onBlock(this.analyser.analyse(this.block).digit);
        this.blockStart += this.blockSize;
        this.fill = 0;
      }
    }
  }

  /** Next pending event, oldest first, or `undefined`. */
  poll(): DtmfEvent | undefined {
    return this.events.shift();
  }

  /** Ends the stream: a digit still sounding is ended at the last sample received. Then resets. */
  flush(): void {
    if (this.active >= 0) {
      const end = this.offBlocks > 0 ? this.offStart : this.blockStart + this.fill;
      this.emitEnd(end);
    }
    this.fill = 0;
    this.blockStart = 0;
    this.runDigit = -1;
    this.runLength = 0;
    this.offBlocks = 0;
  }

  /** The digit currently sounding (after its start event), or `null`. */
  get activeDigit(): string | null {
    return this.active >= 0 ? dtmfDigitAt(this.active) : null;
  }

  private onBlock(digit: number): void {
    if (digit === this.runDigit) this.runLength++;
    else {
      this.runDigit = digit;
      this.runLength = 1;
      this.runStart = this.blockStart;
    }
    if (this.active >= 0) {
      if (digit === this.active) {
        this.offBlocks = 0;
        return;
      }
      if (this.offBlocks === 0) this.offStart = this.blockStart;
      this.offBlocks++;
      // ITU-T Q.24: a pause of minPauseMs separates digits; shorter interruptions are bridged.
      if (this.offBlocks < this.minOffBlocks) return;
      this.emitEnd(this.offStart);
    }
    // ITU-T Q.24: a tone of minToneMs must be recognised.
    if (digit >= 0 && this.runLength >= this.minOnBlocks) {
      this.active = digit;
      this.activeStart = this.runStart;
      this.offBlocks = 0;
      this.events.push({ type: 'start', digit: dtmfDigitAt(digit), sample: this.runStart });
    }
  }

  private emitEnd(sample: number): void {
    this.events.push({
      type: 'end',
      digit: dtmfDigitAt(this.active),
      sample,
      durationSamples: sample - this.activeStart,
    });
    this.active = -1;
    this.offBlocks = 0;
  }
}
