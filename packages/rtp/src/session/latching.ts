/**
 * Symmetric RTP latching (RFC 4961; the "comedia" behaviour of RFC 4145 §4 applied to RTP): decides
 * whether to send to the address media actually arrives from. Pure: the socket driver above asks
 * {@link RtpLatch.decide} for each packet and uses {@link RtpLatch.remote} as its destination.
 * @module
 */

/** A transport address. */
export interface TransportAddress {
  address: string;
  port: number;
}

/** Options of {@link RtpLatch}. */
export interface RtpLatchOptions {
  /** SSRC announced by signalling (SDP a=ssrc); when set, only that SSRC can latch. */
  expectedSsrc?: number;
  /** Payload types negotiated in SDP; when set, other PTs never latch. */
  payloadTypes?: readonly number[];
  /**
   * A latched source silent for this long (ms) may be replaced by another address that sends
   * `probation` sequential packets. Default 2000. `Infinity` disables idle re-latching.
   */
  relatchAfterIdleMs?: number;
  /** Sequential packets a new address must send before an idle re-latch (default 3). */
  probation?: number;
  /** Re-latch at once to a new address that carries the latched SSRC (NAT rebinding). Default true. */
  followSsrc?: boolean;
}

/** What the driver should do with a packet. */
export type LatchDecision =
  /** First acceptable packet: the driver now sends to this address. */
  | 'latched'
  /** From the latched address: accept. */
  | 'accepted'
  /** Media moved to this address: the driver now sends there. */
  | 'relatched'
  /** From another address (or unacceptable): drop the packet. */
  | 'rejected';

function sameAddress(a: TransportAddress, address: string, port: number): boolean {
  return a.address === address && a.port === port;
}

/** Latching state for one media stream. */
export class RtpLatch {
  private readonly expectedSsrc: number | undefined;
  private readonly payloadTypes: readonly number[] | undefined;
  private readonly relatchAfterIdleMs: number;
  private readonly probation: number;
  private readonly followSsrc: boolean;
  private current: TransportAddress | undefined;
  private currentSsrc = 0;
  private lastFromCurrentMs = 0;
  private candidate: TransportAddress | undefined;
  private candidateSsrc = 0;
  private candidateSeq = 0;
  private candidateCount = 0;

  constructor(options: RtpLatchOptions = {}) {
    this.expectedSsrc = options.expectedSsrc;
    this.payloadTypes = options.payloadTypes;
    this.relatchAfterIdleMs = options.relatchAfterIdleMs ?? 2000;
    this.probation = options.probation ?? 3;
    this.followSsrc = options.followSsrc ?? true;
  }

  /** The address media is latched to, if any. */
  get remote(): TransportAddress | undefined {
    return this.current;
  }

  /** Forgets the latched address, e.g. after a re-INVITE changed the remote media description. */
  reset(): void {
    this.current = undefined;
    this.candidate = undefined;
    this.candidateCount = 0;
  }

  private acceptable(ssrc: number, payloadType: number): boolean {
    if (this.expectedSsrc !== undefined && ssrc !== this.expectedSsrc) return false;
    if (this.payloadTypes !== undefined && !this.payloadTypes.includes(payloadType)) return false;
    return true;
  }

  private latch(address: string, port: number, ssrc: number, nowMs: number): void {
    if (this.current === undefined || !sameAddress(this.current, address, port))
      this.current = { address, port };
    this.currentSsrc = ssrc;
    this.lastFromCurrentMs = nowMs;
    this.candidate = undefined;
    this.candidateCount = 0;
  }

  /** Decides what to do with an RTP packet received from `address:port` at `nowMs`. */
  decide(
    address: string,
    port: number,
    ssrc: number,
    payloadType: number,
    sequenceNumber: number,
    nowMs: number,
  ): LatchDecision {
    const current = this.current;
    if (current !== undefined && sameAddress(current, address, port)) {
      // RFC 4961 §4: the latched address is the peer; a new SSRC from it is a new stream, not a new peer.
      this.currentSsrc = ssrc;
      this.lastFromCurrentMs = nowMs;
      return 'accepted';
    }
    if (!this.acceptable(ssrc, payloadType)) return 'rejected';
    if (current === undefined) {
      this.latch(address, port, ssrc, nowMs);
      return 'latched';
    }
    // Same SSRC from a new address: the peer's NAT binding (or the peer) moved.
    if (this.followSsrc && ssrc === this.currentSsrc) {
      this.latch(address, port, ssrc, nowMs);
      return 'relatched';
    }
    if (nowMs - this.lastFromCurrentMs < this.relatchAfterIdleMs) return 'rejected';
    // The latched source is idle: a new one must prove itself with sequential packets.
    if (
      this.candidate !== undefined &&
      sameAddress(this.candidate, address, port) &&
      ssrc === this.candidateSsrc &&
      sequenceNumber === ((this.candidateSeq + 1) & 0xffff)
    ) {
      this.candidateCount++;
    } else {
      this.candidate = { address, port };
      this.candidateSsrc = ssrc;
      this.candidateCount = 1;
    }
    this.candidateSeq = sequenceNumber & 0xffff;
    if (this.candidateCount >= this.probation) {
      this.latch(address, port, ssrc, nowMs);
      return 'relatched';
    }
    return 'rejected';
  }
}
