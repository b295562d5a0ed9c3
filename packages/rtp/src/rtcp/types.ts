/**
 * RTCP packet model (RFC 3550 §6, RFC 3611, RFC 4585): plain data, one interface per packet type,
 * discriminated by `type`. Parsed byte fields are views into the compound packet.
 * @module
 */

/** RTCP packet type values (RFC 3550 §12.1, RFC 3611 §5, RFC 4585 §6.1). */
export const RtcpPacketType = {
  SR: 200,
  RR: 201,
  SDES: 202,
  BYE: 203,
  APP: 204,
  RTPFB: 205,
  PSFB: 206,
  XR: 207,
} as const;

/** A reception report block (RFC 3550 §6.4.1). */
export interface RtcpReportBlock {
  /** SSRC of the source this block reports on. */
  ssrc: number;
  /** Fraction of packets lost since the previous report, as a fixed-point number with 8 fractional bits (0..255). */
  fractionLost: number;
  /** Cumulative number of packets lost, a signed 24-bit integer. */
  cumulativeLost: number;
  /** Extended highest sequence number received. */
  highestSequence: number;
  /** Interarrival jitter in timestamp units. */
  jitter: number;
  /** LSR: middle 32 bits of the NTP timestamp of the last SR received, 0 if none. */
  lastSenderReport: number;
  /** DLSR: delay since that SR, in units of 1/65536 s. */
  delaySinceLastSenderReport: number;
}

/** Optional trailing fields every RTCP packet may carry. */
export interface RtcpPacketCommon {
  /** Padding octets (count octet included) after this packet; only the last packet of a compound may have them. */
  paddingLength?: number;
}

/** Sender report (RFC 3550 §6.4.1). */
export interface RtcpSenderReport extends RtcpPacketCommon {
  type: 'sr';
  ssrc: number;
  /** NTP timestamp, integer seconds since 1900. */
  ntpSeconds: number;
  /** NTP timestamp, fraction of a second in units of 2^-32 s. */
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports: RtcpReportBlock[];
  /** Profile-specific extension after the report blocks (a multiple of 4 octets). */
  profileExtension?: Uint8Array;
}

/** Receiver report (RFC 3550 §6.4.2). */
export interface RtcpReceiverReport extends RtcpPacketCommon {
  type: 'rr';
  ssrc: number;
  reports: RtcpReportBlock[];
  /** Profile-specific extension after the report blocks (a multiple of 4 octets). */
  profileExtension?: Uint8Array;
}

/** SDES item types (RFC 3550 §6.5). */
export const SdesItemType = {
  CNAME: 1,
  NAME: 2,
  EMAIL: 3,
  PHONE: 4,
  LOC: 5,
  TOOL: 6,
  NOTE: 7,
  PRIV: 8,
} as const;

/** One SDES item. */
export interface SdesItem {
  /** Item type, 1..255 (see {@link SdesItemType}). */
  type: number;
  /** Item text (UTF-8 on the wire). For PRIV, the value after the prefix. */
  text: string;
  /** PRIV items only (RFC 3550 §6.5.8): the prefix string. */
  prefix?: string;
}

/** One SDES chunk: a source and its items. */
export interface SdesChunk {
  ssrc: number;
  items: SdesItem[];
}

/** Source description (RFC 3550 §6.5). */
export interface RtcpSourceDescription extends RtcpPacketCommon {
  type: 'sdes';
  chunks: SdesChunk[];
}

/** Goodbye (RFC 3550 §6.6). */
export interface RtcpGoodbye extends RtcpPacketCommon {
  type: 'bye';
  ssrcs: number[];
  /** Reason for leaving (at most 255 UTF-8 octets). */
  reason?: string;
}

/** Application-defined packet (RFC 3550 §6.7). */
export interface RtcpApplicationDefined extends RtcpPacketCommon {
  type: 'app';
  /** 5-bit subtype. */
  subtype: number;
  ssrc: number;
  /** Four ASCII characters. */
  name: string;
  /** Application-dependent data, a multiple of 4 octets. */
  data: Uint8Array;
}

/** One generic NACK FCI entry (RFC 4585 §6.2.1): a packet ID and a bitmask of the 16 following. */
export interface NackItem {
  /** PID: sequence number of a lost packet. */
  pid: number;
  /** BLP: bit i set means PID+i+1 is lost too. */
  blp: number;
}

/** Generic NACK, transport-layer feedback FMT 1 (RFC 4585 §6.2.1). */
export interface RtcpGenericNack extends RtcpPacketCommon {
  type: 'nack';
  senderSsrc: number;
  mediaSsrc: number;
  items: NackItem[];
}

/** Picture loss indication, payload-specific feedback FMT 1 (RFC 4585 §6.3.1). */
export interface RtcpPictureLossIndication extends RtcpPacketCommon {
  type: 'pli';
  senderSsrc: number;
  mediaSsrc: number;
}

/** Any other feedback message (RFC 4585 §6.1), kept as its raw feedback control information. */
export interface RtcpFeedback extends RtcpPacketCommon {
  type: 'rtpfb' | 'psfb';
  /** FMT, 5 bits. */
  format: number;
  senderSsrc: number;
  mediaSsrc: number;
  /** Feedback control information, a multiple of 4 octets. */
  fci: Uint8Array;
}

/** XR receiver reference time report block (RFC 3611 §4.4). */
export interface XrReceiverReferenceTime {
  blockType: 'rrt';
  ntpSeconds: number;
  ntpFraction: number;
}

/** One DLRR sub-block (RFC 3611 §4.5). */
export interface DlrrSubBlock {
  ssrc: number;
  /** LRR: middle 32 bits of the NTP time of the last RRT block received from `ssrc`. */
  lastReceiverReport: number;
  /** DLRR: delay since then, in units of 1/65536 s. */
  delaySinceLastReceiverReport: number;
}

/** XR DLRR report block (RFC 3611 §4.5). */
export interface XrDlrr {
  blockType: 'dlrr';
  subBlocks: DlrrSubBlock[];
}

/** XR VoIP metrics report block (RFC 3611 §4.7). Field units are those of the RFC. */
export interface XrVoipMetrics {
  blockType: 'voip-metrics';
  ssrc: number;
  /** §4.7.1: loss rate, fraction in units of 1/256. */
  lossRate: number;
  /** §4.7.1: discard rate, fraction in units of 1/256. */
  discardRate: number;
  /** §4.7.2: burst density, 1/256. */
  burstDensity: number;
  /** §4.7.2: gap density, 1/256. */
  gapDensity: number;
  /** §4.7.2: mean burst duration, ms. */
  burstDuration: number;
  /** §4.7.2: mean gap duration, ms. */
  gapDuration: number;
  /** §4.7.3: round trip delay, ms. */
  roundTripDelay: number;
  /** §4.7.3: end system delay, ms. */
  endSystemDelay: number;
  /** §4.7.4: signal level, dBm0, signed (127 = unavailable). */
  signalLevel: number;
  /** §4.7.4: noise level, dBm0, signed (127 = unavailable). */
  noiseLevel: number;
  /** §4.7.4: residual echo return loss, dB (127 = unavailable). */
  residualEchoReturnLoss: number;
  /** §4.7.6: Gmin, the gap threshold (normally 16). */
  gmin: number;
  /** §4.7.5: R factor (127 = unavailable). */
  rFactor: number;
  /** §4.7.5: external R factor (127 = unavailable). */
  externalRFactor: number;
  /** §4.7.5: MOS-LQ × 10 (127 = unavailable). */
  mosLq: number;
  /** §4.7.5: MOS-CQ × 10 (127 = unavailable). */
  mosCq: number;
  /** §4.7.6: receiver configuration byte (PLC, JBA, JB rate). */
  receiverConfiguration: number;
  /** §4.7.7: jitter buffer nominal delay, ms. */
  jitterBufferNominal: number;
  /** §4.7.7: jitter buffer maximum delay, ms. */
  jitterBufferMaximum: number;
  /** §4.7.7: jitter buffer absolute maximum delay, ms. */
  jitterBufferAbsoluteMaximum: number;
}

/** An XR block type this package does not decode, kept raw. */
export interface XrUnknownBlock {
  blockType: 'unknown';
  /** BT. */
  code: number;
  /** Type-specific octet. */
  typeSpecific: number;
  /** Block contents after the 4-octet block header (a multiple of 4 octets). */
  data: Uint8Array;
}

/** One XR report block. */
export type XrBlock = XrReceiverReferenceTime | XrDlrr | XrVoipMetrics | XrUnknownBlock;

/** Extended report (RFC 3611 §2). */
export interface RtcpExtendedReport extends RtcpPacketCommon {
  type: 'xr';
  ssrc: number;
  blocks: XrBlock[];
}

/** An RTCP packet of a type this package does not decode, kept raw. */
export interface RtcpUnknownPacket extends RtcpPacketCommon {
  type: 'unknown';
  packetType: number;
  /** The 5-bit count/subtype field. */
  count: number;
  /** Body after the 4-octet header, a multiple of 4 octets. */
  body: Uint8Array;
}

/** Any RTCP packet. */
export type RtcpPacket =
  | RtcpSenderReport
  | RtcpReceiverReport
  | RtcpSourceDescription
  | RtcpGoodbye
  | RtcpApplicationDefined
  | RtcpGenericNack
  | RtcpPictureLossIndication
  | RtcpFeedback
  | RtcpExtendedReport
  | RtcpUnknownPacket;
