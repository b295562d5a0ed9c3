/**
 * RTP/RTCP port allocation from a configured range (RFC 3550 §11: RTP on an even port, RTCP on the
 * next odd one; RFC 5761: one port for both with rtcp-mux). Pure bookkeeping: the driver binds.
 * @module
 */
import { MediaConfigError, PortRangeExhaustedError } from './errors.js';

/** Ports of one stream. */
export interface PortPair {
  /** Even RTP port. */
  rtp: number;
  /** RTCP port: `rtp + 1`, or `rtp` with rtcp-mux. */
  rtcp: number;
}

/** Hands out even RTP ports (and their RTCP neighbours) from `[min, max]`, round-robin. */
export class PortAllocator {
  /** Lowest port (rounded up to even). */
  readonly min: number;
  /** Highest port usable for RTCP. */
  readonly max: number;
  private readonly used = new Set<number>();
  private cursor: number;

  /** @throws {MediaConfigError} when the range holds no even/odd pair. */
  constructor(min: number, max: number) {
    const lo = min + (min & 1);
    if (!Number.isInteger(min) || !Number.isInteger(max) || lo < 1 || max > 65535 || lo + 1 > max) {
      throw new MediaConfigError('portRange', `${min}-${max} holds no RTP/RTCP port pair`);
    }
    this.min = lo;
    this.max = max;
    this.cursor = lo;
  }

  /** Number of pairs in the range. */
  get capacity(): number {
    return Math.floor((this.max - this.min + 1) / 2);
  }

  /** Number of pairs handed out. */
  get inUse(): number {
    return this.used.size;
  }

  /**
   * Reserves the next free pair (round-robin, so a released pair is not reused at once).
   * @throws {PortRangeExhaustedError} when every pair is taken.
   */
  allocate(rtcpMux: boolean): PortPair {
    const pairs = this.capacity;
    for (let i = 0; i < pairs; i++) {
      const rtp = this.cursor;
      this.cursor = rtp + 2 + 1 > this.max ? this.min : rtp + 2;
      if (this.used.has(rtp)) continue;
      this.used.add(rtp);
      return { rtp, rtcp: rtcpMux ? rtp : rtp + 1 };
    }
    throw new PortRangeExhaustedError(this.min, this.max);
  }

  /** Returns a pair to the range. */
  release(rtpPort: number): void {
    this.used.delete(rtpPort);
  }
}
