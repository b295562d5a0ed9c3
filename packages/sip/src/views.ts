/**
 * Builders of the typed header views of {@link SipMessage}: each reads the header lines of one id
 * and parses them. Called once per message and id; the message caches the result.
 *
 * Original, unfolded header values of an ASCII message are scanned in place (message octets for
 * the character tests, the message text for substrings, offsets are message offsets). Added,
 * folded or non-ASCII values are scanned from their decoded string.
 */
import { SipParseError } from './errors.js';
import { H } from './header-names.js';
import {
  type AuthValue,
  type CSeq,
  type MediaType,
  parseAuthValue,
  parseCSeqRange,
  parseDeltaSeconds,
  parseMediaType,
} from './headers.js';
import { F, FOLDED, type SipMessageCore as SipMessage } from './message-core.js';
import { type NameAddr, nameAddrStop, parseNameAddrElement, parseNameAddrRange } from './name-addr.js';
import { bytesOf, parseDecimal, scanToken, skipWs, splitList, trimEnd } from './scan.js';
import { parseViaList, type Via } from './via.js';

/** A value parser: `s[start, end)` with `b` holding its character codes. */
type RangeParser<T, O> = (b: Uint8Array, s: string, start: number, end: number, m: SipMessage, out: O) => T;

/**
 * Runs `fn` on the value of entry `k`, re-throwing a {@link SipParseError} with the header name
 * in the reason and the offset in message octets when the header is original.
 */
function parseEntry<T, O>(m: SipMessage, k: number, fn: RangeParser<T, O>, out: O): T {
  const idx = m._idx;
  const base = k * F;
  const ns = idx[base + 1];
  let b: Uint8Array;
  let s: string;
  let start: number;
  let end: number;
  let shift = 0;
  if (ns >= 0 && m._ascii && (idx[base] & FOLDED) === 0) {
    b = m._src;
    s = m._head;
    start = idx[base + 3];
    end = idx[base + 4];
  } else {
    s = m._value(k);
    b = bytesOf(s);
    start = 0;
    end = s.length;
    shift = Math.max(0, m._valueOffset(k));
  }
  try {
    return fn(b, s, start, end, m, out);
  } catch (e) {
    if (e instanceof SipParseError) {
      throw new SipParseError(`${m._name(k)}: ${e.reason}`, e.offset + shift, e.kind, e.status);
    }
    throw e;
  }
}

function first<T>(m: SipMessage, id: number, fn: RangeParser<T, undefined>): T | undefined {
  const k = m._find(id, '', 0);
  return k < 0 ? undefined : parseEntry(m, k, fn, undefined);
}

function all<T>(m: SipMessage, id: number, fn: RangeParser<void, T[]>): T[] {
  const out: T[] = [];
  for (let k = m._find(id, '', 0); k >= 0; k = m._find(id, '', k + 1)) parseEntry(m, k, fn, out);
  return out;
}

function viaLine(b: Uint8Array, s: string, start: number, end: number, m: SipMessage, out: Via[]): void {
  parseViaList(b, s, start, end, out, m._options.maxParams, m._options.maxListElements);
}

function nameAddrLine(
  b: Uint8Array,
  s: string,
  start: number,
  end: number,
  m: SipMessage,
  out: NameAddr[],
): void {
  let i = start;
  let n = 0;
  const max = m._options.maxListElements;
  const maxParams = m._options.maxParams;
  for (;;) {
    if (++n > max) throw new SipParseError('too many list elements', i, 'limit');
    // One pass: the element parser stops at the comma ending its element.
    out.push(parseNameAddrElement(b, s, i, end, maxParams, true));
    const e = nameAddrStop;
    if (e >= end) return;
    i = e + 1;
  }
}

function contactLine(
  b: Uint8Array,
  s: string,
  start: number,
  end: number,
  m: SipMessage,
  out: Array<NameAddr | '*'>,
): void {
  const a = skipWs(b, start, end);
  // RFC 3261 §20.10: Contact: * (REGISTER wildcard) stands alone.
  if (b[a] === 42 && trimEnd(b, a, end) === a + 1) {
    out.push('*');
    return;
  }
  nameAddrLine(b, s, start, end, m, out as NameAddr[]);
}

function nameAddrOne(b: Uint8Array, s: string, start: number, end: number, m: SipMessage): NameAddr {
  return parseNameAddrRange(b, s, start, end, m._options.maxParams);
}

function callIdOne(b: Uint8Array, s: string, start: number, end: number): string {
  // RFC 3261 §25.1: callid = word [ "@" word ]: no whitespace, not empty.
  if (end <= start) throw new SipParseError('empty Call-ID', start);
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c <= 32 || c === 127) throw new SipParseError('bad character in Call-ID', i);
  }
  return s.slice(start, end);
}

function cseqOne(b: Uint8Array, s: string, start: number, end: number): CSeq {
  return parseCSeqRange(b, s, start, end);
}

function maxForwardsOne(b: Uint8Array, _s: string, start: number, end: number): number {
  // RFC 3261 §20.22: 1*DIGIT (0-255 in practice; larger values are tolerated here).
  const n = parseDecimal(b, start, end, 0x7fffffff);
  if (n < 0) throw new SipParseError('bad Max-Forwards', start);
  return n;
}

function tokenLine(
  _b: Uint8Array,
  s: string,
  start: number,
  end: number,
  m: SipMessage,
  out: string[],
): void {
  for (const t of splitList(s.slice(start, end), m._options.maxListElements)) {
    if (scanToken(bytesOf(t), 0, t.length) !== t.length) throw new SipParseError('bad token in list', start);
    out.push(t);
  }
}

function authLine(
  _b: Uint8Array,
  s: string,
  start: number,
  end: number,
  m: SipMessage,
  out: AuthValue[],
): void {
  out.push(parseAuthValue(s.slice(start, end), m._options.maxParams));
}

function contentTypeOne(_b: Uint8Array, s: string, start: number, end: number, m: SipMessage): MediaType {
  return parseMediaType(s.slice(start, end), m._options.maxParams);
}

function expiresOne(_b: Uint8Array, s: string, start: number, end: number): number {
  return parseDeltaSeconds(s.slice(start, end));
}

/** @internal */
export const buildVia = (m: SipMessage): Via[] => all(m, H.via, viaLine);
/** @internal */
export const buildFrom = (m: SipMessage): NameAddr | undefined => first(m, H.from, nameAddrOne);
/** @internal */
export const buildTo = (m: SipMessage): NameAddr | undefined => first(m, H.to, nameAddrOne);
/** @internal */
export const buildCallId = (m: SipMessage): string | undefined => first(m, H.callId, callIdOne);
/** @internal */
export const buildCSeq = (m: SipMessage): CSeq | undefined => first(m, H.cseq, cseqOne);
/** @internal */
export const buildContact = (m: SipMessage): Array<NameAddr | '*'> => all(m, H.contact, contactLine);
/** @internal */
export const buildRoute = (m: SipMessage): NameAddr[] => all(m, H.route, nameAddrLine);
/** @internal */
export const buildRecordRoute = (m: SipMessage): NameAddr[] => all(m, H.recordRoute, nameAddrLine);
/** @internal */
export const buildMaxForwards = (m: SipMessage): number | undefined =>
  first(m, H.maxForwards, maxForwardsOne);
/** @internal */
export const buildContentType = (m: SipMessage): MediaType | undefined =>
  first(m, H.contentType, contentTypeOne);
/** @internal */
export const buildExpires = (m: SipMessage): number | undefined => first(m, H.expires, expiresOne);
/** @internal */
export const buildWwwAuthenticate = (m: SipMessage): AuthValue[] => all(m, H.wwwAuthenticate, authLine);
/** @internal */
export const buildProxyAuthenticate = (m: SipMessage): AuthValue[] => all(m, H.proxyAuthenticate, authLine);
/** @internal */
export const buildAuthorization = (m: SipMessage): AuthValue[] => all(m, H.authorization, authLine);
/** @internal */
export const buildProxyAuthorization = (m: SipMessage): AuthValue[] => all(m, H.proxyAuthorization, authLine);
/** @internal */
export const buildSupported = (m: SipMessage): string[] => all(m, H.supported, tokenLine);
/** @internal */
export const buildRequire = (m: SipMessage): string[] => all(m, H.require, tokenLine);
/** @internal */
export const buildAllow = (m: SipMessage): string[] => all(m, H.allow, tokenLine);
