/**
 * RTP data packets (RFC 3550 §5.1): parse as views over the input, serialize into a new or a
 * caller-provided buffer.
 * @module
 */
import { readU16, readU32, writeU16, writeU32 } from '../bytes.js';
import { RtpEncodeError, RtpParseError } from '../errors.js';

/** Size of the fixed RTP header (RFC 3550 §5.1). */
export const RTP_HEADER_SIZE = 12;

/** RTP header extension (RFC 3550 §5.3.1): the 16-bit profile word and the extension body. */
export interface RtpHeaderExtension {
  /** "defined by profile" field; 0xBEDE or 0x100X for RFC 8285 extensions. */
  profile: number;
  /** Extension body (a multiple of 4 octets), a view into the packet when parsed. */
  data: Uint8Array;
}

/** An RTP data packet. When parsed, `payload` and `extension.data` are views into the input. */
export interface RtpPacket {
  /** M bit. */
  marker: boolean;
  /** PT, 0..127. */
  payloadType: number;
  /** 16-bit sequence number. */
  sequenceNumber: number;
  /** 32-bit RTP timestamp. */
  timestamp: number;
  /** 32-bit synchronisation source. */
  ssrc: number;
  /** Contributing sources, at most 15. */
  csrcs: number[];
  /** Header extension, present when the X bit is set. */
  extension: RtpHeaderExtension | undefined;
  /** The payload, without padding. */
  payload: Uint8Array;
  /** Padding octets after the payload, including the final count octet; 0 when the P bit is clear. */
  paddingLength: number;
}

/** Creates an empty packet, e.g. to be filled repeatedly by {@link parseRtpPacket}'s `into` argument. */
export function createRtpPacket(): RtpPacket {
  return {
    marker: false,
    payloadType: 0,
    sequenceNumber: 0,
    timestamp: 0,
    ssrc: 0,
    csrcs: [],
    extension: undefined,
    payload: new Uint8Array(0),
    paddingLength: 0,
  };
}

/**
 * Parses an RTP packet. No octet is copied: `payload` and the extension body are subarrays of
 * `bytes`. Pass `into` to reuse a packet object (and its CSRC array) on a hot path.
 * @throws {RtpParseError} on a malformed packet (RFC 3550 §A.1 validity checks).
 */
export function parseRtpPacket(bytes: Uint8Array, into?: RtpPacket): RtpPacket {
  const length = bytes.length;
  if (length < RTP_HEADER_SIZE) {
    throw new RtpParseError('short-buffer', 0, `RTP packet of ${length} octets is shorter than its header`);
  }
  const b0 = bytes[0];
  // RFC 3550 §A.1: the version must be 2.
  if (b0 >> 6 !== 2) throw new RtpParseError('bad-version', 0, `RTP version ${b0 >> 6} is not 2`);
  const csrcCount = b0 & 0x0f;
  let offset = RTP_HEADER_SIZE + csrcCount * 4;
  if (offset > length) {
    throw new RtpParseError('csrc-overflow', 0, `CSRC count ${csrcCount} runs past the end of the packet`);
  }
  const packet = into ?? createRtpPacket();
  packet.marker = (bytes[1] & 0x80) !== 0;
  packet.payloadType = bytes[1] & 0x7f;
  packet.sequenceNumber = readU16(bytes, 2);
  packet.timestamp = readU32(bytes, 4);
  packet.ssrc = readU32(bytes, 8);
  const csrcs = packet.csrcs;
  csrcs.length = 0;
  for (let i = 0; i < csrcCount; i++) csrcs.push(readU32(bytes, RTP_HEADER_SIZE + i * 4));
  // RFC 3550 §5.3.1: header extension, length in 32-bit words after the 4-octet extension header.
  if ((b0 & 0x10) !== 0) {
    if (offset + 4 > length) {
      throw new RtpParseError('extension-overflow', offset, 'header extension header runs past the end');
    }
    const profile = readU16(bytes, offset);
    const extLength = readU16(bytes, offset + 2) * 4;
    const start = offset + 4;
    if (start + extLength > length) {
      throw new RtpParseError(
        'extension-overflow',
        offset,
        `header extension of ${extLength} octets runs past the end`,
      );
    }
    const data = bytes.subarray(start, start + extLength);
    if (packet.extension === undefined) packet.extension = { profile, data };
    else {
      packet.extension.profile = profile;
      packet.extension.data = data;
    }
    offset = start + extLength;
  } else {
    packet.extension = undefined;
  }
  let end = length;
  // RFC 3550 §5.1 and §A.1: the last padding octet counts the padding, itself included.
  if ((b0 & 0x20) !== 0) {
    const count = bytes[length - 1];
    if (count === 0 || count > length - offset) {
      throw new RtpParseError('bad-padding', length - 1, `padding count ${count} is invalid`);
    }
    end = length - count;
    packet.paddingLength = count;
  } else {
    packet.paddingLength = 0;
  }
  packet.payload = bytes.subarray(offset, end);
  return packet;
}

/** Number of octets {@link serializeRtpPacket} writes for `packet`. */
export function rtpPacketSize(packet: RtpPacket): number {
  const ext = packet.extension;
  return (
    RTP_HEADER_SIZE +
    packet.csrcs.length * 4 +
    (ext === undefined ? 0 : 4 + ext.data.length) +
    packet.payload.length +
    packet.paddingLength
  );
}

/**
 * Writes `packet` into `out` at `offset` (no allocation) and returns the number of octets written.
 * Padding octets are zeros followed by the count.
 * @throws {RtpEncodeError} when a field is out of range or `out` is too small.
 */
export function serializeRtpPacketInto(packet: RtpPacket, out: Uint8Array, offset = 0): number {
  const size = rtpPacketSize(packet);
  if (offset + size > out.length) {
    throw new RtpEncodeError('out', `needs ${size} octets at offset ${offset}, buffer has ${out.length}`);
  }
  const { csrcs, extension, payload, paddingLength } = packet;
  if (csrcs.length > 15) throw new RtpEncodeError('csrcs', `${csrcs.length} CSRCs, at most 15`);
  if (packet.payloadType < 0 || packet.payloadType > 127 || !Number.isInteger(packet.payloadType)) {
    throw new RtpEncodeError('payloadType', `${packet.payloadType} is not in 0..127`);
  }
  if (paddingLength < 0 || paddingLength > 255 || !Number.isInteger(paddingLength)) {
    throw new RtpEncodeError('paddingLength', `${paddingLength} is not in 0..255`);
  }
  if (extension !== undefined && (extension.data.length % 4 !== 0 || extension.data.length > 0x3fffc)) {
    throw new RtpEncodeError('extension', `body of ${extension.data.length} octets is not a multiple of 4`);
  }
  out[offset] = 0x80 | (paddingLength > 0 ? 0x20 : 0) | (extension !== undefined ? 0x10 : 0) | csrcs.length;
  out[offset + 1] = (packet.marker ? 0x80 : 0) | packet.payloadType;
  writeU16(out, offset + 2, packet.sequenceNumber);
  writeU32(out, offset + 4, packet.timestamp);
  writeU32(out, offset + 8, packet.ssrc);
  let at = offset + RTP_HEADER_SIZE;
  for (let i = 0; i < csrcs.length; i++, at += 4) writeU32(out, at, csrcs[i]);
  if (extension !== undefined) {
    writeU16(out, at, extension.profile);
    writeU16(out, at + 2, extension.data.length / 4);
    out.set(extension.data, at + 4);
    at += 4 + extension.data.length;
  }
  out.set(payload, at);
  at += payload.length;
  if (paddingLength > 0) {
    out.fill(0, at, at + paddingLength - 1);
    out[at + paddingLength - 1] = paddingLength;
    at += paddingLength;
  }
  return at - offset;
}

/**
 * Serializes `packet` into a new buffer.
 * @throws {RtpEncodeError} when a field is out of range.
 */
export function serializeRtpPacket(packet: RtpPacket): Uint8Array {
  const out = new Uint8Array(rtpPacketSize(packet));
  serializeRtpPacketInto(packet, out, 0);
  return out;
}
