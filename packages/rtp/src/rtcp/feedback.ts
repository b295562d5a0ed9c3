/**
 * RTCP feedback messages (RFC 4585 §6): generic NACK (§6.2.1), PLI (§6.3.1) and other FMTs raw.
 * @module
 */
import { readU16, readU32, writeU16, writeU32 } from '../bytes.js';
import { RtcpParseError, RtpEncodeError } from '../errors.js';
import type { NackItem, RtcpFeedback, RtcpGenericNack, RtcpPictureLossIndication } from './types.js';
import { RtcpPacketType } from './types.js';

/** @internal Parses an RTPFB (205) or PSFB (206) body. */
export function parseFeedback(
  bytes: Uint8Array,
  packetType: number,
  format: number,
  start: number,
  end: number,
): RtcpGenericNack | RtcpPictureLossIndication | RtcpFeedback {
  // RFC 4585 §6.1: common feedback format: SSRC of packet sender, SSRC of media source, FCI.
  if (start + 8 > end)
    throw new RtcpParseError('bad-packet', start, 'feedback message shorter than its two SSRCs');
  const senderSsrc = readU32(bytes, start);
  const mediaSsrc = readU32(bytes, start + 4);
  const fciStart = start + 8;
  if (packetType === RtcpPacketType.RTPFB && format === 1) {
    // RFC 4585 §6.2.1: generic NACK, one or more PID/BLP pairs.
    const items: NackItem[] = [];
    for (let at = fciStart; at + 4 <= end; at += 4) {
      items.push({ pid: readU16(bytes, at), blp: readU16(bytes, at + 2) });
    }
    return { type: 'nack', senderSsrc, mediaSsrc, items };
  }
  if (packetType === RtcpPacketType.PSFB && format === 1) {
    // RFC 4585 §6.3.1: PLI has no FCI.
    if (fciStart !== end)
      throw new RtcpParseError('bad-packet', fciStart, 'PLI carries feedback control information');
    return { type: 'pli', senderSsrc, mediaSsrc };
  }
  return {
    type: packetType === RtcpPacketType.RTPFB ? 'rtpfb' : 'psfb',
    format,
    senderSsrc,
    mediaSsrc,
    fci: bytes.subarray(fciStart, end),
  };
}

/** @internal Feedback body size. */
export function feedbackBodySize(p: RtcpGenericNack | RtcpPictureLossIndication | RtcpFeedback): number {
  if (p.type === 'nack') return 8 + p.items.length * 4;
  if (p.type === 'pli') return 8;
  if (p.format < 0 || p.format > 31) throw new RtpEncodeError('format', `${p.format} is not in 0..31`);
  if (p.fci.length % 4 !== 0) throw new RtpEncodeError('fci', 'FCI is not a multiple of 4 octets');
  return 8 + p.fci.length;
}

/** @internal Writes a feedback body. */
export function writeFeedbackBody(
  p: RtcpGenericNack | RtcpPictureLossIndication | RtcpFeedback,
  out: Uint8Array,
  at: number,
): void {
  writeU32(out, at, p.senderSsrc);
  writeU32(out, at + 4, p.mediaSsrc);
  at += 8;
  if (p.type === 'nack') {
    for (const item of p.items) {
      writeU16(out, at, item.pid);
      writeU16(out, at + 2, item.blp);
      at += 4;
    }
  } else if (p.type !== 'pli') {
    out.set(p.fci, at);
  }
}

/**
 * Packs lost sequence numbers into generic NACK items (RFC 4585 §6.2.1): each item covers its PID and
 * the 16 sequence numbers after it. Input order does not matter; duplicates are ignored.
 */
export function nackItemsFromSequenceNumbers(sequenceNumbers: Iterable<number>): NackItem[] {
  const items: NackItem[] = [];
  // Sort in the 16-bit circular space, relative to the first number given.
  const list = [...sequenceNumbers].map((s) => s & 0xffff);
  if (list.length === 0) return items;
  const base = list[0];
  list.sort((a, b) => (((a - base) << 16) >> 16) - (((b - base) << 16) >> 16));
  let current: NackItem | undefined;
  for (const seq of list) {
    const delta = (seq - (current?.pid ?? 0)) & 0xffff;
    if (current !== undefined && delta === 0) continue;
    if (current !== undefined && delta <= 16) {
      current.blp |= 1 << (delta - 1);
    } else {
      current = { pid: seq, blp: 0 };
      items.push(current);
    }
  }
  return items;
}

/** Expands generic NACK items into the lost sequence numbers they name, in item order. */
export function sequenceNumbersFromNackItems(items: readonly NackItem[]): number[] {
  const out: number[] = [];
  for (const { pid, blp } of items) {
    out.push(pid);
    for (let i = 0; i < 16; i++) if ((blp & (1 << i)) !== 0) out.push((pid + i + 1) & 0xffff);
  }
  return out;
}
