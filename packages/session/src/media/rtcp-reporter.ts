/**
 * RTCP for one media session (RFC 3550 §6): when to send (the randomised interval of §6.3), what to
 * send (SR or RR with a report block, SDES CNAME; BYE on stop), and what received reports tell us
 * (round-trip time, the loss and jitter the remote sees).
 * @module
 */
import {
  ntpFromUnixMs,
  ntpMiddle32,
  type RtcpPacket,
  type RtcpReportBlock,
  type RtpReceiveStatistics,
  type RtpSendStatistics,
  roundTripTimeMs,
  rtcpIntervalMs,
  SdesItemType,
  serializeRtcp,
  updateAvgRtcpSize,
} from '@tsvoip/rtp';

/** What the remote's last report said about our stream. */
export interface RemoteReport {
  /** SSRC of the reporter. */
  reporterSsrc: number;
  /** Fraction of our packets it lost since its previous report, 0..1 (RFC 3550 §6.4.1). */
  fractionLost: number;
  /** Cumulative packets of ours it lost. */
  cumulativeLost: number;
  /** Interarrival jitter it measured, ms. */
  jitterMs: number;
  /** Round-trip time computed from LSR/DLSR (RFC 3550 §6.4.1), when the block carried an LSR. */
  rttMs: number | undefined;
}

/** Options of {@link RtcpReporter}. */
export interface RtcpReporterOptions {
  /** RTCP bandwidth, octets/s (RFC 3550 §6.2: 5% of the session bandwidth). */
  rtcpBandwidth: number;
  /** Minimum interval, ms (RFC 3550 §6.2: 5000). */
  minIntervalMs: number;
  /** CNAME (RFC 3550 §6.5.1). */
  cname: string;
  /** Unix wall-clock ms = now + this offset. */
  wallClockOffsetMs: number;
  /** Random numbers in [0, 1). */
  random: () => number;
}

/** IPv4 + UDP header octets, counted in avg_rtcp_size (RFC 3550 §6.3.3). */
const LOWER_LAYER_OCTETS = 28;

/** RTCP timing and report handling for one session with one remote participant. */
export class RtcpReporter {
  private readonly options: RtcpReporterOptions;
  private avgRtcpSize = 100;
  private initial = true;
  private remoteSent = false;
  /** When the next compound report is due, ms. */
  nextReportMs: number;
  /** The last report the remote sent about our stream. */
  lastRemoteReport: RemoteReport | undefined;
  /** Smoothed round-trip time, ms. */
  rttMs: number | undefined;
  /** Reports sent and received. */
  sent = 0;
  received = 0;

  constructor(options: RtcpReporterOptions, nowMs: number) {
    this.options = options;
    this.nextReportMs = nowMs + this.interval(true);
  }

  private interval(weSent: boolean): number {
    // RFC 3550 §6.3.1 with two members; the initial interval halves the minimum (§6.2).
    return rtcpIntervalMs(
      {
        members: 2,
        senders: (weSent ? 1 : 0) + (this.remoteSent ? 1 : 0),
        rtcpBandwidth: this.options.rtcpBandwidth,
        weSent,
        avgRtcpSize: this.avgRtcpSize,
        initial: this.initial,
        minIntervalMs: this.options.minIntervalMs,
      },
      this.options.random,
    );
  }

  /** Notes that the remote sent RTP (it counts as a sender for the interval). */
  noteRemoteSender(): void {
    this.remoteSent = true;
  }

  /**
   * Builds the compound report due now (RFC 3550 §6.1: SR if we sent since the last report, else
   * RR; then SDES with CNAME; BYE appended when `bye`), and schedules the next one. `jitter` is
   * the interarrival jitter to report for `source`, in its timestamp units.
   */
  buildReport(
    nowMs: number,
    sender: RtpSendStatistics,
    weSent: boolean,
    rtpTimestamp: number,
    source: RtpReceiveStatistics | undefined,
    jitter: number,
    bye: boolean,
  ): Uint8Array {
    const blocks: RtcpReportBlock[] = [];
    // The jitter is the receiver's audio-only estimate (RFC 3550 §A.8), not the source's own.
    if (source?.valid) blocks.push({ ...source.buildReportBlock(nowMs), jitter });
    const packets: RtcpPacket[] = [];
    if (weSent) {
      const ntp = ntpFromUnixMs(nowMs + this.options.wallClockOffsetMs);
      packets.push(sender.buildSenderReport(ntp, rtpTimestamp, blocks));
    } else {
      packets.push({ type: 'rr', ssrc: sender.ssrc, reports: blocks });
    }
    packets.push({
      type: 'sdes',
      chunks: [{ ssrc: sender.ssrc, items: [{ type: SdesItemType.CNAME, text: this.options.cname }] }],
    });
    // RFC 3550 §6.6: BYE goes in a compound after a report.
    if (bye) packets.push({ type: 'bye', ssrcs: [sender.ssrc] });
    const bytes = serializeRtcp(packets);
    this.avgRtcpSize = updateAvgRtcpSize(this.avgRtcpSize, bytes.length + LOWER_LAYER_OCTETS);
    this.initial = false;
    this.sent++;
    this.nextReportMs = nowMs + this.interval(weSent);
    this.remoteSent = false;
    return bytes;
  }

  /**
   * Handles a received compound (already parsed): records SRs for LSR/DLSR, and reads the report
   * block about `ourSsrc` into {@link lastRemoteReport} and the RTT. Returns that report, if any.
   */
  handleCompound(
    packets: readonly RtcpPacket[],
    ourSsrc: number,
    source: RtpReceiveStatistics | undefined,
    clockRate: number,
    nowMs: number,
    size: number,
  ): RemoteReport | undefined {
    this.received++;
    this.avgRtcpSize = updateAvgRtcpSize(this.avgRtcpSize, size + LOWER_LAYER_OCTETS);
    let found: RemoteReport | undefined;
    for (const p of packets) {
      if (p.type !== 'sr' && p.type !== 'rr') continue;
      if (p.type === 'sr' && source !== undefined && source.ssrc === p.ssrc) {
        source.receiveSenderReport(p.ntpSeconds, p.ntpFraction, nowMs);
      }
      for (const block of p.reports) {
        if (block.ssrc !== ourSsrc) continue;
        const ntp = ntpFromUnixMs(nowMs + this.options.wallClockOffsetMs);
        // RFC 3550 §6.4.1: RTT = A − LSR − DLSR.
        const rtt = roundTripTimeMs(
          ntpMiddle32(ntp.seconds, ntp.fraction),
          block.lastSenderReport,
          block.delaySinceLastSenderReport,
        );
        if (rtt !== undefined)
          this.rttMs = this.rttMs === undefined ? rtt : this.rttMs + (rtt - this.rttMs) / 4;
        found = {
          reporterSsrc: p.ssrc,
          fractionLost: block.fractionLost / 256,
          cumulativeLost: block.cumulativeLost,
          jitterMs: (block.jitter * 1000) / clockRate,
          rttMs: rtt,
        };
      }
    }
    if (found !== undefined) this.lastRemoteReport = found;
    return found;
  }
}
