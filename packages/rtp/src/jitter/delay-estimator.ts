/**
 * Network delay estimator of the jitter buffer: interarrival jitter in the manner of RFC 3550 §A.8
 * (in ms), a windowed minimum transit time as the baseline, and a target buffering delay that grows
 * at once and shrinks slowly.
 * @module
 */

/** Tuning of {@link DelayEstimator}. */
export interface DelayEstimatorOptions {
  /** Lower bound of the target delay, ms. */
  minDelayMs: number;
  /** Upper bound of the target delay, ms. */
  maxDelayMs: number;
  /** Initial target delay, ms. */
  initialDelayMs: number;
  /** k in target = clamp(k * jitter, min, max). */
  jitterFactor: number;
  /** Fraction of the excess target removed per packet when the delay should shrink. */
  shrinkRate: number;
  /** Packets per half-window of the windowed minimum transit. */
  baselineWindow: number;
}

/** Tracks transit times of one stream and derives the target playout delay. */
export class DelayEstimator {
  private readonly options: DelayEstimatorOptions;
  private jitter = 0;
  private lastTransit = 0;
  private haveTransit = false;
  private currentMin = Number.POSITIVE_INFINITY;
  private previousMin = Number.POSITIVE_INFINITY;
  private windowCount = 0;
  private target: number;

  constructor(options: DelayEstimatorOptions) {
    this.options = options;
    this.target = this.clamp(options.initialDelayMs);
  }

  private clamp(ms: number): number {
    return Math.min(this.options.maxDelayMs, Math.max(this.options.minDelayMs, ms));
  }

  /** Forgets the transit baseline (a new timestamp reference); jitter and target are kept. */
  resetBaseline(): void {
    this.haveTransit = false;
    this.currentMin = Number.POSITIVE_INFINITY;
    this.previousMin = Number.POSITIVE_INFINITY;
    this.windowCount = 0;
  }

  /**
   * Accounts for a packet whose transit time is `transitMs` (arrival time minus media time, both
   * ms, with an arbitrary constant offset).
   */
  update(transitMs: number): void {
    if (this.haveTransit) {
      // RFC 3550 §A.8: J += (|D| - J) / 16, here in milliseconds.
      const d = Math.abs(transitMs - this.lastTransit);
      this.jitter += (d - this.jitter) / 16;
    }
    this.haveTransit = true;
    this.lastTransit = transitMs;
    if (transitMs < this.currentMin) this.currentMin = transitMs;
    if (++this.windowCount >= this.options.baselineWindow) {
      this.previousMin = this.currentMin;
      this.currentMin = transitMs;
      this.windowCount = 0;
    }
    // The packet needs (transit - baseline) of buffering to be on time; jitter * k covers the spread.
    const needed = Math.max(this.options.jitterFactor * this.jitter, transitMs - this.baselineMs);
    const raw = this.clamp(needed);
    // Grow at once, shrink slowly.
    if (raw > this.target) this.target = raw;
    else this.target += (raw - this.target) * this.options.shrinkRate;
  }

  /** Minimum transit over the last one to two windows, ms. */
  get baselineMs(): number {
    return Math.min(this.currentMin, this.previousMin);
  }

  /** Smoothed interarrival jitter, ms. */
  get jitterMs(): number {
    return this.jitter;
  }

  /** Target buffering delay above the baseline, ms. */
  get targetMs(): number {
    return this.target;
  }
}
