/**
 * The data a media session hands out: outputs to carry, events, statistics.
 * @module
 */
import type { TelephoneEventEnd, TransportAddress } from '@tsvoip/rtp';
import type { RemoteReport } from './rtcp-reporter.js';

/** Which flow a datagram belongs to: RTP, or RTCP (on its own port, or multiplexed, RFC 5761). */
export type MediaChannel = 'rtp' | 'rtcp';

/** Something the session noticed. */
export type MediaEvent =
  /** An RFC 4733 DTMF event ended, reported once. */
  | { type: 'dtmf'; digit: string; event: number; durationMs: number; endedBy: TelephoneEventEnd }
  /** Symmetric RTP (RFC 4961): media now goes to the address it comes from. */
  | { type: 'latched'; address: string; port: number; previous: TransportAddress }
  /** An RTCP report about our stream arrived. */
  | { type: 'rtcp-report'; report: RemoteReport }
  /** The remote stream changed SSRC (RFC 3550 §8.2): statistics and buffers restarted. */
  | { type: 'ssrc-changed'; ssrc: number; previous: number }
  /** The remote sent an RTCP BYE (RFC 3550 §6.6). */
  | { type: 'bye'; ssrc: number; reason: string | undefined };

/** A datagram to send. */
export interface TransmitOutput {
  type: 'transmit';
  /** Send on the RTP socket, or the RTCP one (the same socket with rtcp-mux). */
  channel: MediaChannel;
  /** Destination address. */
  address: string;
  /** Destination port. */
  port: number;
  /** The datagram (owned by the session: reused once 16 newer datagrams went out). */
  bytes: Uint8Array;
}

/** A decoded (or concealed) 20 ms frame for the application. */
export interface AudioOutput {
  type: 'audio';
  /** Mono PCM (a view owned by the session: copy it to keep it past the next `pollOutput`). */
  samples: Int16Array;
  /** Sample rate, Hz. */
  sampleRate: number;
  /** True when the frame came from loss concealment. */
  concealed: boolean;
}

/** An event. */
export interface EventOutput {
  type: 'event';
  /** What happened. */
  event: MediaEvent;
}

/** What {@link MediaSession.pollOutput} returns; valid until the next `pollOutput` call. */
export type MediaOutput = TransmitOutput | AudioOutput | EventOutput;

/** Jitter-buffer counters of the received stream. */
export interface JitterBufferFigures {
  /** Frames played. */
  frames: number;
  /** Gaps concealed because a packet was missing. */
  lost: number;
  /** Times the buffer ran dry while playing. */
  underruns: number;
  /** Packets discarded because they arrived after their playout time. */
  late: number;
  /** Current target delay, ms. */
  targetDelayMs: number;
  /** Current buffering delay, ms. */
  currentDelayMs: number;
}

/** Statistics of a media session. */
export interface MediaStatistics {
  /** RTP packets sent (audio and telephone events). */
  packetsSent: number;
  /** RTP payload octets sent. */
  bytesSent: number;
  /** RTP packets received and accepted (all sources). */
  packetsReceived: number;
  /** RTP payload octets received. */
  bytesReceived: number;
  /** Packets of the current remote source lost (RFC 3550 §A.3, cumulative). */
  packetsLost: number;
  /** Lost / expected for the current remote source, 0..1 (0 until its probation ends). */
  fractionLost: number;
  /** Interarrival jitter of the received stream, ms (RFC 3550 §A.8). */
  jitterMs: number;
  /** Round-trip time from RTCP SR/RR (RFC 3550 §6.4.1), smoothed; `undefined` before the first. */
  rttMs: number | undefined;
  /** What the remote last reported about our stream. */
  remote: RemoteReport | undefined;
  /** Jitter-buffer counters. */
  jitterBuffer: JitterBufferFigures;
  /** Simplified E-model rating of the received audio (ITU-T G.107). */
  rFactor: number;
  /** MOS-CQE from {@link rFactor}. */
  mos: number;
  /** RTCP compound packets sent and received. */
  rtcpSent: number;
  rtcpReceived: number;
  /** Datagrams dropped: malformed, failed SRTP, from a source latching rejected, unknown payload type. */
  malformed: number;
  srtpErrors: number;
  rejected: number;
  unknownPayloadTypes: number;
}
