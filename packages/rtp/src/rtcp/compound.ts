/**
 * RTCP compound packets (RFC 3550 §6.1): parse with the validity checks of §A.2, serialize into a
 * new or a caller-provided buffer. Reduced-size RTCP (RFC 5506) is accepted on request.
 * @module
 */
import { readU16, writeU16 } from '../bytes.js';
import { RtcpParseError, RtpEncodeError } from '../errors.js';
import { extendedReportBodySize, parseExtendedReport, writeExtendedReportBody } from './extended-report.js';
import { feedbackBodySize, parseFeedback, writeFeedbackBody } from './feedback.js';
import { parseReceiverReport, parseSenderReport, reportBodySize, writeReportBody } from './reports.js';
import {
  applicationDefinedBodySize,
  goodbyeBodySize,
  parseApplicationDefined,
  parseGoodbye,
  parseSourceDescription,
  sourceDescriptionBodySize,
  writeApplicationDefinedBody,
  writeGoodbyeBody,
  writeSourceDescriptionBody,
} from './sdes-bye-app.js';
import type { RtcpPacket } from './types.js';
import { RtcpPacketType } from './types.js';

/** Options of {@link parseRtcp}. */
export interface ParseRtcpOptions {
  /**
   * RFC 5506: accept reduced-size RTCP, i.e. a compound whose first packet is not an SR or RR
   * (for instance a lone NACK or PLI). Off by default: RFC 3550 §A.2 rejects those.
   */
  reducedSize?: boolean;
}

/**
 * True when the octets look like RTCP rather than RTP on a multiplexed port
 * (RFC 5761 §4: RTCP packet types 192..223 in the second octet).
 */
export function isRtcpPacket(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] >> 6 === 2 && bytes[1] >= 192 && bytes[1] <= 223;
}

function parseOne(
  bytes: Uint8Array,
  packetType: number,
  count: number,
  start: number,
  end: number,
): RtcpPacket {
  switch (packetType) {
    case RtcpPacketType.SR:
      return parseSenderReport(bytes, count, start, end);
    case RtcpPacketType.RR:
      return parseReceiverReport(bytes, count, start, end);
    case RtcpPacketType.SDES:
      return parseSourceDescription(bytes, count, start, end);
    case RtcpPacketType.BYE:
      return parseGoodbye(bytes, count, start, end);
    case RtcpPacketType.APP:
      return parseApplicationDefined(bytes, count, start, end);
    case RtcpPacketType.RTPFB:
    case RtcpPacketType.PSFB:
      return parseFeedback(bytes, packetType, count, start, end);
    case RtcpPacketType.XR:
      return parseExtendedReport(bytes, start, end);
    default:
      return { type: 'unknown', packetType, count, body: bytes.subarray(start, end) };
  }
}

/**
 * Parses an RTCP compound packet into its packets. Byte fields are views into `bytes`.
 * @throws {RtcpParseError} when a check of RFC 3550 §A.2 fails or a packet is malformed.
 */
export function parseRtcp(bytes: Uint8Array, options: ParseRtcpOptions = {}): RtcpPacket[] {
  const length = bytes.length;
  if (length < 4) throw new RtcpParseError('short-buffer', 0, `RTCP compound of ${length} octets`);
  // RFC 3550 §A.2: the first packet is an SR or RR (unless reduced-size RTCP, RFC 5506 §3.4.2).
  const firstType = bytes[1];
  if (!options.reducedSize && firstType !== RtcpPacketType.SR && firstType !== RtcpPacketType.RR) {
    throw new RtcpParseError(
      'bad-first-packet',
      0,
      `compound starts with packet type ${firstType}, not SR/RR`,
    );
  }
  const packets: RtcpPacket[] = [];
  let at = 0;
  while (at < length) {
    if (at + 4 > length) throw new RtcpParseError('bad-length', at, 'trailing octets after the last packet');
    const b0 = bytes[at];
    // RFC 3550 §A.2: every packet has version 2.
    if (b0 >> 6 !== 2) throw new RtcpParseError('bad-version', at, `RTCP version ${b0 >> 6} is not 2`);
    const packetType = bytes[at + 1];
    const end = at + (readU16(bytes, at + 2) + 1) * 4;
    // RFC 3550 §A.2: the length fields must add up to the compound's length.
    if (end > length)
      throw new RtcpParseError('bad-length', at, `packet of type ${packetType} runs past the compound`);
    let bodyEnd = end;
    let paddingLength = 0;
    if ((b0 & 0x20) !== 0) {
      // RFC 3550 §A.2: padding only on the last packet of the compound.
      if (end !== length)
        throw new RtcpParseError('bad-padding', at, 'padding bit set on a packet that is not last');
      paddingLength = bytes[end - 1];
      if (paddingLength === 0 || paddingLength > end - at - 4) {
        throw new RtcpParseError('bad-padding', end - 1, `padding count ${paddingLength} is invalid`);
      }
      bodyEnd = end - paddingLength;
    }
    const packet = parseOne(bytes, packetType, b0 & 0x1f, at + 4, bodyEnd);
    if (paddingLength > 0) packet.paddingLength = paddingLength;
    packets.push(packet);
    at = end;
  }
  return packets;
}

function countAndType(p: RtcpPacket): [number, number] {
  switch (p.type) {
    case 'sr':
      return [p.reports.length, RtcpPacketType.SR];
    case 'rr':
      return [p.reports.length, RtcpPacketType.RR];
    case 'sdes':
      return [p.chunks.length, RtcpPacketType.SDES];
    case 'bye':
      return [p.ssrcs.length, RtcpPacketType.BYE];
    case 'app':
      return [p.subtype, RtcpPacketType.APP];
    case 'nack':
      return [1, RtcpPacketType.RTPFB];
    case 'pli':
      return [1, RtcpPacketType.PSFB];
    case 'rtpfb':
      return [p.format, RtcpPacketType.RTPFB];
    case 'psfb':
      return [p.format, RtcpPacketType.PSFB];
    case 'xr':
      return [0, RtcpPacketType.XR];
    case 'unknown':
      return [p.count, p.packetType];
  }
}

function bodySize(p: RtcpPacket): number {
  switch (p.type) {
    case 'sr':
    case 'rr':
      return reportBodySize(p);
    case 'sdes':
      return sourceDescriptionBodySize(p);
    case 'bye':
      return goodbyeBodySize(p);
    case 'app':
      return applicationDefinedBodySize(p);
    case 'nack':
    case 'pli':
    case 'rtpfb':
    case 'psfb':
      return feedbackBodySize(p);
    case 'xr':
      return extendedReportBodySize(p);
    case 'unknown':
      if (p.body.length % 4 !== 0) throw new RtpEncodeError('body', 'body is not a multiple of 4 octets');
      return p.body.length;
  }
}

function writeBody(p: RtcpPacket, out: Uint8Array, at: number): void {
  switch (p.type) {
    case 'sr':
    case 'rr':
      writeReportBody(p, out, at);
      break;
    case 'sdes':
      writeSourceDescriptionBody(p, out, at);
      break;
    case 'bye':
      writeGoodbyeBody(p, out, at);
      break;
    case 'app':
      writeApplicationDefinedBody(p, out, at);
      break;
    case 'nack':
    case 'pli':
    case 'rtpfb':
    case 'psfb':
      writeFeedbackBody(p, out, at);
      break;
    case 'xr':
      writeExtendedReportBody(p, out, at);
      break;
    case 'unknown':
      out.set(p.body, at);
      break;
  }
}

function packetSize(p: RtcpPacket): number {
  return 4 + bodySize(p) + (p.paddingLength ?? 0);
}

/** Number of octets {@link serializeRtcp} writes for `packets`. */
export function rtcpCompoundSize(packets: readonly RtcpPacket[]): number {
  let n = 0;
  for (const p of packets) n += packetSize(p);
  return n;
}

/**
 * Writes a compound packet into `out` at `offset` and returns the number of octets written.
 * Padding (`paddingLength`) is written as zeros and a count octet; per RFC 3550 §6.4.1 only the
 * last packet may carry it, so padding on another packet is rejected.
 * @throws {RtpEncodeError} when a field is out of range or `out` is too small.
 */
export function serializeRtcpInto(packets: readonly RtcpPacket[], out: Uint8Array, offset = 0): number {
  let at = offset;
  for (let i = 0; i < packets.length; i++) {
    const p = packets[i];
    const padding = p.paddingLength ?? 0;
    if (padding !== 0 && i !== packets.length - 1) {
      throw new RtpEncodeError('paddingLength', 'only the last packet of a compound may be padded');
    }
    if (padding < 0 || padding > 255 || padding % 4 !== 0 || !Number.isInteger(padding)) {
      throw new RtpEncodeError('paddingLength', `${padding} is not a multiple of 4 in 0..252`);
    }
    const body = bodySize(p);
    const size = 4 + body + padding;
    if (at + size > out.length)
      throw new RtpEncodeError('out', `buffer of ${out.length} octets is too small`);
    const [count, packetType] = countAndType(p);
    if (count < 0 || count > 31) throw new RtpEncodeError('count', `${count} is not in 0..31`);
    out[at] = 0x80 | (padding > 0 ? 0x20 : 0) | count;
    out[at + 1] = packetType;
    writeU16(out, at + 2, size / 4 - 1);
    writeBody(p, out, at + 4);
    if (padding > 0) {
      out.fill(0, at + 4 + body, at + size - 1);
      out[at + size - 1] = padding;
    }
    at += size;
  }
  return at - offset;
}

/**
 * Serializes a compound packet into a new buffer.
 * @throws {RtpEncodeError} when a field is out of range.
 */
export function serializeRtcp(packets: readonly RtcpPacket[]): Uint8Array {
  const out = new Uint8Array(rtcpCompoundSize(packets));
  serializeRtcpInto(packets, out, 0);
  return out;
}
