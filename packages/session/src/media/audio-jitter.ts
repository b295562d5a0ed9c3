/**
 * Interarrival jitter of the audio payload alone (RFC 3550 §A.8). Telephone events (RFC 4733
 * §2.5.1.2: every packet of an event carries its start timestamp) and comfort noise do not follow
 * the audio's sampling instants, so they are kept out of the estimate; they still count for the
 * sequence and loss figures of `RtpReceiveStatistics`.
 * @module
 */

/** The §A.8 estimate over the packets it is given, kept in ms so codec clock changes carry over. */
export class AudioJitter {
  #jitterMs = 0;
  #lastArrivalMs = 0;
  #lastTimestamp = 0;
  #clockRate = 0;

  /** Interarrival jitter, ms. */
  get jitterMs(): number {
    return this.#jitterMs;
  }

  /** The estimate in units of a `clockRate` clock, as an RTCP report block carries it (RFC 3550 §6.4.1). */
  inUnits(clockRate: number): number {
    return Math.floor((this.#jitterMs * clockRate) / 1000) >>> 0;
  }

  /** Accounts for one audio packet with RTP `timestamp` on a `clockRate` clock, arrived at `arrivalMs`. */
  update(timestamp: number, clockRate: number, arrivalMs: number): void {
    // RFC 3550 §A.8: D(i-1, i) = (R_i - R_i-1) - (S_i - S_i-1); J += (|D| - J) / 16. A new clock
    // (codec change) has no previous transit time to compare with.
    if (clockRate === this.#clockRate) {
      const timestampMs = (((timestamp - this.#lastTimestamp) | 0) * 1000) / clockRate; // wrap-safe
      const d = Math.abs(arrivalMs - this.#lastArrivalMs - timestampMs);
      this.#jitterMs += (d - this.#jitterMs) / 16;
    }
    this.#clockRate = clockRate;
    this.#lastArrivalMs = arrivalMs;
    this.#lastTimestamp = timestamp >>> 0;
  }

  /** Starts over (a new source, RFC 3550 §8.2). */
  reset(): void {
    this.#jitterMs = 0;
    this.#clockRate = 0;
  }
}
