/**
 * Parsers for the smaller typed header values: CSeq, media types, authentication challenges and
 * credentials, delta-seconds and token lists.
 */
import { SipParseError } from './errors.js';
import { ParamList } from './params.js';
import {
  bytesOf,
  lowerToken,
  NO_PARAMS,
  type Params,
  parseDecimal,
  parseParams,
  scanToken,
  skipQuoted,
  skipWs,
  trimEnd,
  unquote,
} from './scan.js';

/** The CSeq header (RFC 3261 §20.16). */
export interface CSeq {
  /** Sequence number, below 2**31 (RFC 3261 §8.1.1.5). */
  readonly seq: number;
  /** Method, case-sensitive as written. */
  readonly method: string;
}

/** Parses `1*DIGIT LWS Method`; throws {@link SipParseError} on a bad value or a number >= 2**31. */
export function parseCSeq(s: string): CSeq {
  return parseCSeqRange(bytesOf(s), s, 0, s.length);
}

/** {@link parseCSeq} on `s[start, end)` (`b`: its character codes, see scan.ts). */
export function parseCSeqRange(b: Uint8Array, s: string, start: number, end: number): CSeq {
  const ds = skipWs(b, start, end);
  let de = ds;
  while (de < end && b[de] >= 48 && b[de] <= 57) de++;
  // RFC 3261 §8.1.1.5: the sequence number MUST be less than 2**31.
  const seq = parseDecimal(b, ds, de, 0x7fffffff);
  if (seq < 0) throw new SipParseError('bad or too large sequence number', ds);
  const ms = skipWs(b, de, end);
  if (ms === de) throw new SipParseError('missing whitespace before method', de);
  const me = scanToken(b, ms, end);
  if (me === ms) throw new SipParseError('missing method', ms);
  if (skipWs(b, me, end) !== end) throw new SipParseError('unexpected character', me);
  return { seq, method: s.slice(ms, me) };
}

/** A media type (RFC 3261 §20.15 Content-Type, §20.1 Accept element). */
export interface MediaType {
  /** `type/subtype`, lower-cased, e.g. `application/sdp`. */
  readonly mediaType: string;
  /** Top-level type, lower-cased. */
  readonly type: string;
  /** Subtype, lower-cased. */
  readonly subtype: string;
  /** Parameters: lower-cased names, raw values (quotes kept). */
  readonly params: Params;
}

/** Parses `type "/" subtype *( ";" parameter )`; throws {@link SipParseError}. */
export function parseMediaType(s: string, maxParams = 64): MediaType {
  const end = s.length;
  const b = bytesOf(s);
  const ts = skipWs(b, 0, end);
  const te = scanToken(b, ts, end);
  if (te === ts) throw new SipParseError('media type: missing type', ts);
  const sl = skipWs(b, te, end);
  if (sl >= end || b[sl] !== 47) throw new SipParseError('media type: expected "/"', sl);
  const ss = skipWs(b, sl + 1, end);
  const se = scanToken(b, ss, end);
  if (se === ss) throw new SipParseError('media type: missing subtype', ss);
  let params: Params = NO_PARAMS;
  const p = skipWs(b, se, end);
  if (p < end) {
    const kv: Array<string | null> = [];
    const i = parseParams(b, s, p, end, kv, maxParams);
    if (i !== end) throw new SipParseError('media type: unexpected character', i);
    params = new ParamList(kv);
  }
  const type = lowerToken(s.slice(ts, te));
  const subtype = lowerToken(s.slice(ss, se));
  return { mediaType: `${type}/${subtype}`, type, subtype, params };
}

/**
 * A challenge (WWW-Authenticate, Proxy-Authenticate; RFC 3261 §20.27, §20.44) or credentials
 * (Authorization, Proxy-Authorization; §20.7, §20.28): a scheme and its auth-params.
 */
export interface AuthValue {
  /** Auth scheme as written, e.g. `Digest`. */
  readonly scheme: string;
  /** auth-params: lower-cased names, values with quotes removed and quoted-pairs resolved. */
  readonly params: ReadonlyMap<string, string>;
  /** A token68 form (RFC 7235) instead of params, if that is what the value holds. */
  readonly token68?: string;
}

/** A WWW-Authenticate or Proxy-Authenticate value. */
export type Challenge = AuthValue;
/** An Authorization or Proxy-Authorization value. */
export type Credentials = AuthValue;

/** Parses `scheme LWS auth-param *( COMMA auth-param )`; throws {@link SipParseError}. */
export function parseAuthValue(s: string, maxParams = 64): AuthValue {
  const end = s.length;
  const b = bytesOf(s);
  const ss = skipWs(b, 0, end);
  const se = scanToken(b, ss, end);
  if (se === ss) throw new SipParseError('auth: missing scheme', ss);
  const scheme = s.slice(ss, se);
  const params = new Map<string, string>();
  let i = skipWs(b, se, end);
  if (i < end && i === se) throw new SipParseError('auth: missing whitespace after scheme', i);
  while (i < end) {
    const ns = i;
    const ne = scanToken(b, ns, end);
    if (ne === ns) throw new SipParseError('auth: bad parameter name', ns);
    let k = skipWs(b, ne, end);
    if (k >= end || b[k] !== 61) {
      if (params.size === 0) return { scheme, params, token68: s.slice(ns, trimEnd(b, ns, end)) };
      throw new SipParseError('auth: expected "="', k);
    }
    k = skipWs(b, k + 1, end);
    if (k < end && b[k] === 61 && params.size === 0) {
      // token68 padding (`abc==`)
      return { scheme, params, token68: s.slice(ns, trimEnd(b, ns, end)) };
    }
    const ve = k < end && b[k] === 34 ? skipQuoted(b, k, end) : scanToken(b, k, end);
    if (ve === k) throw new SipParseError('auth: empty parameter value', k);
    if (params.size >= maxParams) throw new SipParseError('auth: too many parameters', ns, 'limit');
    params.set(lowerToken(s.slice(ns, ne)), unquote(s.slice(k, ve)));
    i = skipWs(b, ve, end);
    if (i < end) {
      if (b[i] !== 44) throw new SipParseError('auth: expected ","', i);
      i = skipWs(b, i + 1, end);
      if (i >= end) throw new SipParseError('auth: trailing ","', i);
    }
  }
  return { scheme, params };
}

/**
 * Parses delta-seconds (`1*DIGIT`, surrounding whitespace allowed). Values beyond 2**32-1 are
 * clamped to 2**32-1 (RFC 3261 §20.19 / §10.2.1 guidance). Throws on non-digits.
 */
export function parseDeltaSeconds(s: string): number {
  const end = s.length;
  const bytes = bytesOf(s);
  const a = skipWs(bytes, 0, end);
  const z = trimEnd(bytes, a, end);
  if (z === a) throw new SipParseError('empty delta-seconds', a);
  let v = 0;
  for (let i = a; i < z; i++) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) throw new SipParseError('bad delta-seconds', i);
    v = v * 10 + d;
    if (v > 0xffffffff) v = 0xffffffff;
  }
  return v;
}
