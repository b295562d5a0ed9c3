/**
 * Sender-side counters and the sender report built from them (RFC 3550 §6.4.1).
 * @module
 */
import type { RtcpReportBlock, RtcpSenderReport } from '../rtcp/types.js';
import type { NtpTimestamp } from './ntp.js';

/** Packet and octet counters of one RTP sender. */
export class RtpSendStatistics {
  /** SSRC of the sender. */
  readonly ssrc: number;
  private packets = 0;
  private octets = 0;

  constructor(ssrc: number) {
    this.ssrc = ssrc;
  }

  /** Accounts for a sent packet; `payloadLength` excludes header and padding (RFC 3550 §6.4.1). */
  sent(payloadLength: number): void {
    this.packets = (this.packets + 1) >>> 0;
    this.octets = (this.octets + payloadLength) >>> 0;
  }

  /** Sender's packet count, modulo 2^32. */
  get packetCount(): number {
    return this.packets;
  }

  /** Sender's octet count (payload octets), modulo 2^32. */
  get octetCount(): number {
    return this.octets;
  }

  /**
   * Builds a sender report: `ntp` is the wall-clock time of the report and `rtpTimestamp` the same
   * instant on the media clock (RFC 3550 §6.4.1).
   */
  buildSenderReport(
    ntp: NtpTimestamp,
    rtpTimestamp: number,
    reports: RtcpReportBlock[] = [],
  ): RtcpSenderReport {
    return {
      type: 'sr',
      ssrc: this.ssrc,
      ntpSeconds: ntp.seconds,
      ntpFraction: ntp.fraction,
      rtpTimestamp: rtpTimestamp >>> 0,
      packetCount: this.packets,
      octetCount: this.octets,
      reports,
    };
  }
}
