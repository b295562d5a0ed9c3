/**
 * The statistics of a media session, gathered from its sender, receiver and RTCP state, with a
 * simplified E-model (ITU-T G.107) estimate of the received audio.
 * @module
 */
import { CODEC_IMPAIRMENTS, mosFromR, rFactor } from './e-model.js';
import type { MediaStatistics } from './media-types.js';
import type { RtcpReporter } from './rtcp-reporter.js';
import type { RtpReceiver } from './rtp-receiver.js';
import type { RtpSender } from './rtp-sender.js';

/** Counters of datagrams the session dropped. */
export interface DropCounters {
  malformed: number;
  srtpErrors: number;
  rejected: number;
}

/** Gathers the statistics of a session. */
export function mediaStatistics(
  sender: RtpSender,
  receiver: RtpReceiver,
  rtcp: RtcpReporter,
  counters: DropCounters,
): MediaStatistics {
  const source = receiver.source;
  const expected = source?.expected ?? 0;
  const lost = source === undefined ? 0 : Math.max(0, source.cumulativeLost);
  const jb = receiver.jitterStatistics();
  const fractionLost = expected > 0 ? lost / expected : 0;
  // Late packets are lost to the listener too.
  const lossPercent = expected > 0 ? (100 * Math.min(expected, lost + jb.late)) / expected : 0;
  const rttMs = rtcp.rttMs;
  const ptime = sender.currentCodec.frameDurationMs;
  // One-way mouth-to-ear delay: half the RTT (or nothing known), the jitter buffer, one packet.
  const delayMs = (rttMs ?? 0) / 2 + jb.currentDelayMs + ptime;
  const impairment = CODEC_IMPAIRMENTS[sender.currentCodec.name] ?? { ie: 0, bpl: 25.1 };
  const r = rFactor({ codec: impairment, delayMs, lossPercent });
  return {
    packetsSent: sender.statistics.packetCount,
    bytesSent: sender.statistics.octetCount,
    packetsReceived: receiver.packets,
    bytesReceived: receiver.octets,
    packetsLost: lost,
    fractionLost,
    jitterMs: source === undefined ? 0 : receiver.audioJitter.jitterMs,
    rttMs,
    remote: rtcp.lastRemoteReport,
    jitterBuffer: {
      frames: jb.frames,
      lost: jb.lost,
      underruns: jb.underruns,
      late: jb.late,
      targetDelayMs: jb.targetDelayMs,
      currentDelayMs: jb.currentDelayMs,
    },
    rFactor: r,
    mos: mosFromR(r),
    rtcpSent: rtcp.sent,
    rtcpReceived: rtcp.received,
    malformed: counters.malformed,
    srtpErrors: counters.srtpErrors,
    rejected: counters.rejected,
    unknownPayloadTypes: receiver.unknownPayloadTypes,
  };
}
