import { findAttributes } from '../attributes/attribute.js';
import { parseFmtp } from '../attributes/fmtp.js';
import { parseRtcpFeedback } from '../attributes/rtcp-fb.js';
import { parseRtpmap } from '../attributes/rtpmap.js';
import { SdpParseError } from '../errors.js';
import type { MediaDescription } from '../model.js';
import { isDigits } from '../tokens.js';
import type { CodecCapability } from './capabilities.js';

/** A static payload type assignment (RFC 3551 §6, tables 4 and 5). */
export interface StaticPayloadType {
  /** Encoding name. */
  name: string;
  /** Clock rate in Hz. */
  clockRate: number;
  /** Channels (audio). */
  channels?: number;
}

/** RFC 3551 §6: static payload types, used when an m-line lists one without `a=rtpmap`. */
export const STATIC_PAYLOAD_TYPES: ReadonlyMap<number, StaticPayloadType> = new Map([
  [0, { name: 'PCMU', clockRate: 8000, channels: 1 }],
  [3, { name: 'GSM', clockRate: 8000, channels: 1 }],
  [4, { name: 'G723', clockRate: 8000, channels: 1 }],
  [5, { name: 'DVI4', clockRate: 8000, channels: 1 }],
  [6, { name: 'DVI4', clockRate: 16000, channels: 1 }],
  [7, { name: 'LPC', clockRate: 8000, channels: 1 }],
  [8, { name: 'PCMA', clockRate: 8000, channels: 1 }],
  [9, { name: 'G722', clockRate: 8000, channels: 1 }],
  [10, { name: 'L16', clockRate: 44100, channels: 2 }],
  [11, { name: 'L16', clockRate: 44100, channels: 1 }],
  [12, { name: 'QCELP', clockRate: 8000, channels: 1 }],
  [13, { name: 'CN', clockRate: 8000, channels: 1 }],
  [14, { name: 'MPA', clockRate: 90000 }],
  [15, { name: 'G728', clockRate: 8000, channels: 1 }],
  [16, { name: 'DVI4', clockRate: 11025, channels: 1 }],
  [17, { name: 'DVI4', clockRate: 22050, channels: 1 }],
  [18, { name: 'G729', clockRate: 8000, channels: 1 }],
  [25, { name: 'CelB', clockRate: 90000 }],
  [26, { name: 'JPEG', clockRate: 90000 }],
  [28, { name: 'nv', clockRate: 90000 }],
  [31, { name: 'H261', clockRate: 90000 }],
  [32, { name: 'MPV', clockRate: 90000 }],
  [33, { name: 'MP2T', clockRate: 90000 }],
  [34, { name: 'H263', clockRate: 90000 }],
]);

/** One RTP payload format of an m-line, with its rtpmap/fmtp/rtcp-fb resolved. */
export interface PayloadFormat {
  /** Payload type. */
  payloadType: number;
  /** Encoding name as written. */
  name: string;
  /** Clock rate in Hz. */
  clockRate: number;
  /** Channels, when given (or from the static table). */
  channels?: number;
  /** `a=fmtp` parameters, when present. */
  fmtp?: string;
  /** `a=rtcp-fb` types for this payload type (and for `*`). */
  rtcpFeedback: string[];
}

/**
 * Resolves the RTP payload formats of an m-line, in m-line order. A format without `a=rtpmap` takes
 * the static table (RFC 3551 §6); an unknown dynamic format without rtpmap is skipped, as are
 * non-numeric formats (non-RTP protocols).
 */
export function payloadFormats(m: MediaDescription): PayloadFormat[] {
  const maps = new Map<number, { name: string; clockRate: number; channels?: number }>();
  const fmtps = new Map<string, string>();
  const feedback = new Map<string, string[]>();
  for (const a of findAttributes(m.lines, 'rtpmap')) {
    try {
      const r = parseRtpmap(a.value ?? '');
      if (!maps.has(r.payloadType)) {
        maps.set(r.payloadType, { name: r.encodingName, clockRate: r.clockRate, channels: r.channels });
      }
    } catch (e) {
      throw e instanceof SdpParseError ? new SdpParseError(`a=rtpmap: ${e.reason}`, a.line.lineNumber) : e;
    }
  }
  for (const a of findAttributes(m.lines, 'fmtp')) {
    try {
      const f = parseFmtp(a.value ?? '');
      if (!fmtps.has(f.format)) fmtps.set(f.format, f.parameters);
    } catch (e) {
      throw e instanceof SdpParseError ? new SdpParseError(`a=fmtp: ${e.reason}`, a.line.lineNumber) : e;
    }
  }
  for (const a of findAttributes(m.lines, 'rtcp-fb')) {
    try {
      const f = parseRtcpFeedback(a.value ?? '');
      const key = `${f.payloadType}`;
      const list = feedback.get(key) ?? [];
      list.push(f.parameter === undefined ? f.type : `${f.type} ${f.parameter}`);
      feedback.set(key, list);
    } catch (e) {
      throw e instanceof SdpParseError ? new SdpParseError(`a=rtcp-fb: ${e.reason}`, a.line.lineNumber) : e;
    }
  }
  const out: PayloadFormat[] = [];
  const fields = m.lines[0]?.value.split(' ').filter((x) => x.length > 0) ?? [];
  for (const fmt of fields.slice(3)) {
    if (!isDigits(fmt)) continue;
    const pt = Number(fmt);
    const map = maps.get(pt) ?? STATIC_PAYLOAD_TYPES.get(pt);
    if (!map) continue;
    const p: PayloadFormat = {
      payloadType: pt,
      name: map.name,
      clockRate: map.clockRate,
      rtcpFeedback: [...(feedback.get('*') ?? []), ...(feedback.get(fmt) ?? [])],
    };
    if (map.channels !== undefined) p.channels = map.channels;
    const fmtp = fmtps.get(fmt);
    if (fmtp !== undefined) p.fmtp = fmtp;
    out.push(p);
  }
  return out;
}

/** Encodings that only make sense alongside a media codec (DTMF, comfort noise, redundancy, FEC). */
export function isAuxiliaryEncoding(name: string): boolean {
  const n = name.toLowerCase();
  return (
    n === 'telephone-event' || n === 'cn' || n === 'red' || n === 'rtx' || n === 'ulpfec' || n === 'flexfec'
  );
}

// RFC 4733 §2.4.1: events as a comma-separated list of numbers and ranges.
function parseEvents(list: string): Set<number> | undefined {
  const out = new Set<number>();
  for (const item of list.split(',')) {
    const t = item.trim();
    const dash = t.indexOf('-');
    const lo = dash < 0 ? t : t.slice(0, dash);
    const hi = dash < 0 ? t : t.slice(dash + 1);
    if (!isDigits(lo) || !isDigits(hi)) return undefined;
    const a = Number(lo);
    const b = Number(hi);
    if (a > b || b > 255) return undefined;
    for (let e = a; e <= b; e++) out.add(e);
  }
  return out;
}

function formatEvents(events: Set<number>): string {
  const sorted = [...events].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

// RFC 4733 §2.4.1: without fmtp, events 0-15 are assumed.
const DEFAULT_EVENTS = '0-15';

/** Intersection of two telephone-event lists, formatted, or undefined when empty or unparsable. */
export function intersectEvents(a: string | undefined, b: string | undefined): string | undefined {
  const x = parseEvents(a ?? DEFAULT_EVENTS);
  const y = parseEvents(b ?? DEFAULT_EVENTS);
  if (!x || !y) return undefined;
  const both = new Set<number>();
  for (const e of x) if (y.has(e)) both.add(e);
  return both.size === 0 ? undefined : formatEvents(both);
}

function fmtpValue(fmtp: string | undefined, name: string): string | undefined {
  if (fmtp === undefined) return undefined;
  for (const item of fmtp.split(';')) {
    const eq = item.indexOf('=');
    if (eq > 0 && item.slice(0, eq).trim().toLowerCase() === name) return item.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Whether a local codec can serve an offered payload format: same encoding name (case-insensitive),
 * clock rate and channel count (absent = 1), plus the fmtp rules that decide compatibility:
 * telephone-event needs a common event (RFC 4733 §2.5.1.2); H264 needs the same packetization-mode
 * (RFC 6184 §8.2.2).
 */
export function codecMatches(local: CodecCapability, offered: PayloadFormat): boolean {
  if (local.name.toLowerCase() !== offered.name.toLowerCase()) return false;
  if (local.clockRate !== offered.clockRate) return false;
  if ((local.channels ?? 1) !== (offered.channels ?? 1)) return false;
  const name = local.name.toLowerCase();
  if (name === 'telephone-event') return intersectEvents(local.fmtp, offered.fmtp) !== undefined;
  if (name === 'h264') {
    return (
      (fmtpValue(local.fmtp, 'packetization-mode') ?? '0') ===
      (fmtpValue(offered.fmtp, 'packetization-mode') ?? '0')
    );
  }
  return true;
}

/** The static payload type of a codec (RFC 3551 §6), if it has one. */
export function staticPayloadType(c: CodecCapability): number | undefined {
  for (const [pt, s] of STATIC_PAYLOAD_TYPES) {
    if (
      s.name.toLowerCase() === c.name.toLowerCase() &&
      s.clockRate === c.clockRate &&
      (s.channels ?? 1) === (c.channels ?? 1)
    ) {
      return pt;
    }
  }
  return undefined;
}
