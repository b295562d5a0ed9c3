/**
 * SDES (RFC 3550 §6.5), BYE (§6.6) and APP (§6.7) packets.
 * @module
 */
import { readU32, utf8Length, writeU32 } from '../bytes.js';
import { RtcpParseError, RtpEncodeError } from '../errors.js';
import type {
  RtcpApplicationDefined,
  RtcpGoodbye,
  RtcpSourceDescription,
  SdesChunk,
  SdesItem,
} from './types.js';
import { SdesItemType } from './types.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function decode(bytes: Uint8Array, start: number, end: number): string {
  return decoder.decode(bytes.subarray(start, end));
}

function encodeAt(text: string, out: Uint8Array, at: number): number {
  return encoder.encodeInto(text, out.subarray(at)).written;
}

/** @internal Parses an SDES body. */
export function parseSourceDescription(
  bytes: Uint8Array,
  count: number,
  start: number,
  end: number,
): RtcpSourceDescription {
  const chunks: SdesChunk[] = [];
  let at = start;
  for (let c = 0; c < count; c++) {
    if (at + 4 > end) throw new RtcpParseError('bad-packet', at, `SDES chunk ${c} runs past the packet`);
    const chunk: SdesChunk = { ssrc: readU32(bytes, at), items: [] };
    at += 4;
    // RFC 3550 §6.5: items end with a null octet; the chunk is padded with nulls to a 32-bit boundary.
    for (;;) {
      if (at >= end)
        throw new RtcpParseError('bad-packet', at, `SDES chunk ${c} has no terminating null octet`);
      const type = bytes[at];
      if (type === 0) break;
      if (at + 2 > end) throw new RtcpParseError('bad-packet', at, 'SDES item header runs past the packet');
      const len = bytes[at + 1];
      const valueStart = at + 2;
      if (valueStart + len > end)
        throw new RtcpParseError('bad-packet', at, 'SDES item runs past the packet');
      if (type === SdesItemType.PRIV) {
        // RFC 3550 §6.5.8: PRIV = prefix length, prefix, value.
        const prefixLength = len > 0 ? bytes[valueStart] : 0;
        if (len === 0 || 1 + prefixLength > len) {
          throw new RtcpParseError('bad-packet', at, 'SDES PRIV prefix runs past the item');
        }
        const prefixEnd = valueStart + 1 + prefixLength;
        chunk.items.push({
          type,
          prefix: decode(bytes, valueStart + 1, prefixEnd),
          text: decode(bytes, prefixEnd, valueStart + len),
        });
      } else {
        chunk.items.push({ type, text: decode(bytes, valueStart, valueStart + len) });
      }
      at = valueStart + len;
    }
    at += 4 - ((at - start) % 4); // skip the null octet and the padding to the next word
    if (at > end) throw new RtcpParseError('bad-packet', end, `SDES chunk ${c} padding runs past the packet`);
    chunks.push(chunk);
  }
  if (at !== end) throw new RtcpParseError('bad-packet', at, 'SDES packet has octets after its last chunk');
  return { type: 'sdes', chunks };
}

function itemValueLength(item: SdesItem): number {
  if (item.type < 1 || item.type > 255)
    throw new RtpEncodeError('type', `SDES item type ${item.type} not in 1..255`);
  const len =
    item.type === SdesItemType.PRIV
      ? 1 + utf8Length(item.prefix ?? '') + utf8Length(item.text)
      : utf8Length(item.text);
  if (len > 255) throw new RtpEncodeError('text', `SDES item of ${len} octets exceeds 255`);
  return len;
}

function chunkSize(chunk: SdesChunk): number {
  let n = 4;
  for (const item of chunk.items) n += 2 + itemValueLength(item);
  // At least one null octet, then up to the next 32-bit boundary.
  return n + 4 - (n % 4);
}

/** @internal SDES body size. */
export function sourceDescriptionBodySize(p: RtcpSourceDescription): number {
  if (p.chunks.length > 31) throw new RtpEncodeError('chunks', `${p.chunks.length} SDES chunks, at most 31`);
  let n = 0;
  for (const chunk of p.chunks) n += chunkSize(chunk);
  return n;
}

/** @internal Writes an SDES body. */
export function writeSourceDescriptionBody(p: RtcpSourceDescription, out: Uint8Array, at: number): void {
  for (const chunk of p.chunks) {
    const chunkStart = at;
    writeU32(out, at, chunk.ssrc);
    at += 4;
    for (const item of chunk.items) {
      out[at] = item.type;
      out[at + 1] = itemValueLength(item);
      at += 2;
      if (item.type === SdesItemType.PRIV) {
        const prefixLength = encodeAt(item.prefix ?? '', out, at + 1);
        out[at] = prefixLength;
        at += 1 + prefixLength;
      }
      at += encodeAt(item.text, out, at);
    }
    const endOfChunk = chunkStart + chunkSize(chunk);
    out.fill(0, at, endOfChunk);
    at = endOfChunk;
  }
}

/** @internal Parses a BYE body. */
export function parseGoodbye(bytes: Uint8Array, count: number, start: number, end: number): RtcpGoodbye {
  if (start + count * 4 > end)
    throw new RtcpParseError('bad-packet', start, `BYE announces ${count} SSRCs that do not fit`);
  const ssrcs: number[] = [];
  let at = start;
  for (let i = 0; i < count; i++, at += 4) ssrcs.push(readU32(bytes, at));
  const bye: RtcpGoodbye = { type: 'bye', ssrcs };
  if (at < end) {
    // RFC 3550 §6.6: optional reason: length octet, text, padded to a 32-bit boundary.
    const len = bytes[at];
    if (at + 1 + len > end) throw new RtcpParseError('bad-packet', at, 'BYE reason runs past the packet');
    bye.reason = decode(bytes, at + 1, at + 1 + len);
  }
  return bye;
}

/** @internal BYE body size. */
export function goodbyeBodySize(p: RtcpGoodbye): number {
  if (p.ssrcs.length > 31) throw new RtpEncodeError('ssrcs', `${p.ssrcs.length} SSRCs, at most 31`);
  let n = p.ssrcs.length * 4;
  if (p.reason !== undefined) {
    const len = utf8Length(p.reason);
    if (len > 255) throw new RtpEncodeError('reason', `BYE reason of ${len} octets exceeds 255`);
    n += (1 + len + 3) & ~3;
  }
  return n;
}

/** @internal Writes a BYE body. */
export function writeGoodbyeBody(p: RtcpGoodbye, out: Uint8Array, at: number): void {
  for (const ssrc of p.ssrcs) {
    writeU32(out, at, ssrc);
    at += 4;
  }
  if (p.reason !== undefined) {
    const len = encodeAt(p.reason, out, at + 1);
    out[at] = len;
    const padded = (1 + len + 3) & ~3;
    out.fill(0, at + 1 + len, at + padded);
  }
}

/** @internal Parses an APP body. */
export function parseApplicationDefined(
  bytes: Uint8Array,
  subtype: number,
  start: number,
  end: number,
): RtcpApplicationDefined {
  if (start + 8 > end) throw new RtcpParseError('bad-packet', start, 'APP shorter than SSRC and name');
  let name = '';
  for (let i = 0; i < 4; i++) name += String.fromCharCode(bytes[start + 4 + i]);
  return { type: 'app', subtype, ssrc: readU32(bytes, start), name, data: bytes.subarray(start + 8, end) };
}

/** @internal APP body size. */
export function applicationDefinedBodySize(p: RtcpApplicationDefined): number {
  if (p.subtype < 0 || p.subtype > 31) throw new RtpEncodeError('subtype', `${p.subtype} is not in 0..31`);
  if (p.name.length !== 4) throw new RtpEncodeError('name', `APP name "${p.name}" is not 4 characters`);
  for (let i = 0; i < 4; i++) {
    if (p.name.charCodeAt(i) > 0x7f) throw new RtpEncodeError('name', `APP name "${p.name}" is not ASCII`);
  }
  if (p.data.length % 4 !== 0) throw new RtpEncodeError('data', 'APP data is not a multiple of 4 octets');
  return 8 + p.data.length;
}

/** @internal Writes an APP body. */
export function writeApplicationDefinedBody(p: RtcpApplicationDefined, out: Uint8Array, at: number): void {
  writeU32(out, at, p.ssrc);
  for (let i = 0; i < 4; i++) out[at + 4 + i] = p.name.charCodeAt(i);
  out.set(p.data, at + 8);
}
