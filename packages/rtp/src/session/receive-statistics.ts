/**
 * Per-source reception statistics (RFC 3550 appendix A): extended sequence numbers with probation
 * (§A.1), cumulative and fractional loss (§A.3), interarrival jitter (§A.8) and the report block
 * sent about the source (§6.4.1).
 * @module
 */
import type { RtcpReportBlock } from '../rtcp/types.js';
import { msToDelayUnits, ntpMiddle32 } from './ntp.js';

/** RFC 3550 §A.1 constants. */
export const RTP_SEQ_MOD = 0x10000;

/** Options of {@link RtpReceiveStatistics}. */
export interface RtpReceiveStatisticsOptions {
  /** SSRC of the source. */
  ssrc: number;
  /** RTP clock rate of the source's payload format (Hz), e.g. 8000. */
  clockRate: number;
  /** §A.1 MIN_SEQUENTIAL: sequential packets required before a source is valid (default 2). */
  minSequential?: number;
  /** §A.1 MAX_DROPOUT: largest forward jump treated as loss (default 3000). */
  maxDropout?: number;
  /** §A.1 MAX_MISORDER: largest backward jump treated as reordering (default 100). */
  maxMisorder?: number;
}

/**
 * Reception statistics for one source. Feed every received packet to {@link receive}; ask for a
 * report block with {@link buildReportBlock} when an RTCP report is due.
 */
export class RtpReceiveStatistics {
  /** SSRC of the source. */
  readonly ssrc: number;
  private readonly clockRate: number;
  private readonly minSequential: number;
  private readonly maxDropout: number;
  private readonly maxMisorder: number;
  // RFC 3550 §A.1 `source` fields.
  private maxSeq = 0;
  private cycles = 0;
  private baseSeq = 0;
  private badSeq = RTP_SEQ_MOD + 1;
  private probation: number;
  private receivedCount = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  // RFC 3550 §A.8 jitter state.
  private jitterEstimate = 0;
  private lastArrivalMs = 0;
  private lastTimestamp = 0;
  private haveTransit = false;
  // Last SR from this source (for LSR/DLSR).
  private lastSrMiddle32 = 0;
  private lastSrArrivalMs = 0;
  private started = false;

  constructor(options: RtpReceiveStatisticsOptions) {
    this.ssrc = options.ssrc;
    this.clockRate = options.clockRate;
    this.minSequential = options.minSequential ?? 2;
    this.maxDropout = options.maxDropout ?? 3000;
    this.maxMisorder = options.maxMisorder ?? 100;
    this.probation = this.minSequential;
  }

  // RFC 3550 §A.1 init_seq().
  private initSequence(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.receivedCount = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
  }

  /**
   * Accounts for a received packet. Returns true when the packet is valid for the statistics
   * (RFC 3550 §A.1 update_seq): false while the source is on probation or after a large jump that
   * has not been confirmed by a following packet.
   */
  receive(sequenceNumber: number, rtpTimestamp: number, arrivalTimeMs: number): boolean {
    const seq = sequenceNumber & 0xffff;
    if (!this.started) {
      // RFC 3550 §A.1: on the first packet, init_seq(); max_seq = seq - 1; probation = MIN_SEQUENTIAL.
      this.started = true;
      this.initSequence(seq);
      this.maxSeq = (seq - 1) & 0xffff;
      this.probation = this.minSequential;
    }
    const valid = this.updateSequence(seq);
    if (valid) this.updateJitter(rtpTimestamp, arrivalTimeMs);
    return valid;
  }

  // RFC 3550 §A.1 update_seq().
  private updateSequence(seq: number): boolean {
    const udelta = (seq - this.maxSeq) & 0xffff;
    if (this.probation > 0) {
      // Source is not valid until MIN_SEQUENTIAL packets with sequential numbers have been received.
      if (seq === ((this.maxSeq + 1) & 0xffff)) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation === 0) {
          this.initSequence(seq);
          this.receivedCount++;
          return true;
        }
      } else {
        this.probation = this.minSequential - 1;
        this.maxSeq = seq;
      }
      return false;
    }
    if (udelta < this.maxDropout) {
      // In order, with permissible gap.
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD; // wrapped
      this.maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - this.maxMisorder) {
      // The sequence number made a very large jump.
      if (seq === this.badSeq) {
        // Two sequential packets: assume the other side restarted without telling us.
        this.initSequence(seq);
      } else {
        this.badSeq = (seq + 1) & (RTP_SEQ_MOD - 1);
        return false;
      }
    }
    // Otherwise: duplicate or reordered packet, counted as received.
    this.receivedCount++;
    return true;
  }

  // RFC 3550 §A.8: interarrival jitter J += (|D| - J) / 16, D in timestamp units.
  private updateJitter(rtpTimestamp: number, arrivalTimeMs: number): void {
    if (this.haveTransit) {
      const arrivalDelta = ((arrivalTimeMs - this.lastArrivalMs) * this.clockRate) / 1000;
      const timestampDelta = (rtpTimestamp - this.lastTimestamp) | 0; // signed, wrap-safe
      const d = Math.abs(arrivalDelta - timestampDelta);
      this.jitterEstimate += (d - this.jitterEstimate) / 16;
    }
    this.haveTransit = true;
    this.lastArrivalMs = arrivalTimeMs;
    this.lastTimestamp = rtpTimestamp >>> 0;
  }

  /** True once the source has passed probation (RFC 3550 §A.1). */
  get valid(): boolean {
    return this.started && this.probation === 0;
  }

  /** Packets counted as received (duplicates included, as in RFC 3550 §A.3). */
  get received(): number {
    return this.receivedCount;
  }

  /** Extended highest sequence number received: cycles + max_seq (RFC 3550 §A.1). */
  get extendedHighestSequence(): number {
    return this.cycles + this.maxSeq;
  }

  /** Packets expected: extended highest - base + 1 (RFC 3550 §A.3); 0 while on probation. */
  get expected(): number {
    if (!this.valid) return 0;
    return this.extendedHighestSequence - this.baseSeq + 1;
  }

  /** Cumulative packets lost, clamped to the signed 24-bit range of a report block (RFC 3550 §A.3). */
  get cumulativeLost(): number {
    const lost = this.expected - this.receivedCount;
    return Math.max(-0x800000, Math.min(0x7fffff, lost));
  }

  /** Interarrival jitter in timestamp units (RFC 3550 §A.8), unrounded. */
  get jitter(): number {
    return this.jitterEstimate;
  }

  /** Interarrival jitter in milliseconds. */
  get jitterMs(): number {
    return (this.jitterEstimate * 1000) / this.clockRate;
  }

  /**
   * Records a sender report from this source (RFC 3550 §6.4.1) so that the next report block
   * carries LSR and DLSR. `arrivalTimeMs` is on the same monotonic clock as `buildReportBlock`.
   */
  receiveSenderReport(ntpSeconds: number, ntpFraction: number, arrivalTimeMs: number): void {
    this.lastSrMiddle32 = ntpMiddle32(ntpSeconds, ntpFraction);
    this.lastSrArrivalMs = arrivalTimeMs;
  }

  /**
   * Builds the report block about this source and starts a new reporting interval: the fraction
   * lost covers the packets since the previous call (RFC 3550 §A.3).
   */
  buildReportBlock(nowMs: number): RtcpReportBlock {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    this.expectedPrior = expected;
    const receivedInterval = this.receivedCount - this.receivedPrior;
    this.receivedPrior = this.receivedCount;
    const lostInterval = expectedInterval - receivedInterval;
    // RFC 3550 §A.3: fraction = (lost_interval << 8) / expected_interval, 0 when none lost.
    const fractionLost =
      expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: this.cumulativeLost,
      highestSequence: this.extendedHighestSequence >>> 0,
      jitter: Math.floor(this.jitterEstimate) >>> 0,
      lastSenderReport: this.lastSrMiddle32,
      // RFC 3550 §6.4.1: DLSR in units of 1/65536 s, 0 if no SR received yet.
      delaySinceLastSenderReport:
        this.lastSrMiddle32 === 0 ? 0 : msToDelayUnits(nowMs - this.lastSrArrivalMs),
    };
  }
}
