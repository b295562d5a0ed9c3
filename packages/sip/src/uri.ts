/**
 * SIP, SIPS and tel URIs, and other absolute URIs kept opaque (RFC 3261 §19.1, §25.1; RFC 3966).
 * Components are kept as written (escapes included) so a formatted URI reproduces its input;
 * {@link uriEquals} decodes them for comparison (RFC 3261 §19.1.4).
 */
import {
  C_HEX,
  C_HNV,
  C_HOST,
  C_PARAM,
  C_PASSWORD,
  C_UNRESERVED,
  C_USER,
  CHAR_CLASS,
  hexValue,
} from './chars.js';
import { SipParseError } from './errors.js';
import { LazyParams, NO_PARAMS, ParamList, type Params } from './params.js';
import { bytesOf, lowerName } from './scan.js';

/** A `sip:` or `sips:` URI (RFC 3261 §19.1.1). */
export interface SipUri {
  /** Discriminant. */
  readonly kind: 'sip';
  /** `sip` or `sips`, lower-cased. */
  readonly scheme: 'sip' | 'sips';
  /** User part as written (escapes kept), if any. */
  readonly user?: string;
  /** Password as written, if any (its use is NOT RECOMMENDED, RFC 3261 §19.1.1). */
  readonly password?: string;
  /** Host as written: a name, an IPv4 address or an IPv6 reference with its brackets. */
  readonly host: string;
  /** Port, if written. */
  readonly port?: number;
  /** uri-parameters: lower-cased names, values as written (`null` for a name alone). */
  readonly params: Params;
  /** headers after `?`, in order, names and values as written. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** A `tel:` URI (RFC 3966). */
export interface TelUri {
  /** Discriminant. */
  readonly kind: 'tel';
  /** Always `tel`. */
  readonly scheme: 'tel';
  /** The telephone-subscriber number as written (visual separators kept). */
  readonly number: string;
  /** Parameters: lower-cased names, values as written. */
  readonly params: Params;
}

/** Any other absolute URI (RFC 3261 §25.1 absoluteURI), kept opaque. */
export interface AbsoluteUri {
  /** Discriminant. */
  readonly kind: 'absolute';
  /** Scheme, lower-cased. */
  readonly scheme: string;
  /** Everything after the first `:`. */
  readonly opaque: string;
}

/** A parsed URI. */
export type Uri = SipUri | TelUri | AbsoluteUri;

const URI_USER = C_UNRESERVED | C_USER;
const URI_PASSWORD = C_UNRESERVED | C_PASSWORD;
const URI_PARAM = C_UNRESERVED | C_PARAM;
const URI_HEADER = C_UNRESERVED | C_HNV;

/**
 * Index past a run of characters of class `mask` or `%HH` escapes starting at `i`.
 * Throws on a malformed escape.
 */
function scanClass(b: Uint8Array, i: number, end: number, mask: number): number {
  while (i < end) {
    const c = b[i];
    if (c === 37) {
      const h1 = b[i + 1];
      const h2 = b[i + 2];
      if (
        i + 2 >= end ||
        h1 >= 128 ||
        h2 >= 128 ||
        (CHAR_CLASS[h1] & C_HEX) === 0 ||
        (CHAR_CLASS[h2] & C_HEX) === 0
      ) {
        throw new SipParseError('bad %-escape in URI', i);
      }
      i += 3;
      continue;
    }
    if ((CHAR_CLASS[c] & mask) === 0) break;
    i++;
  }
  return i;
}

/** Index past the scheme (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`); throws when there is none. */
function scanScheme(b: Uint8Array, start: number, end: number): number {
  let i = start;
  const c0 = b[i] | 0x20;
  if (!(c0 >= 97 && c0 <= 122)) throw new SipParseError('URI does not start with a scheme', start);
  i++;
  while (i < end) {
    const c = b[i];
    const l = c | 0x20;
    if ((l >= 97 && l <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) i++;
    else break;
  }
  if (i >= end || b[i] !== 58) throw new SipParseError('URI scheme not followed by ":"', i);
  return i;
}

/**
 * Scans a host (hostname, IPv4 address or IPv6 reference) at `i`; returns the index past it.
 * IPv6 references accept hex digits, `:` and `.` (RFC 5118 §4.10: tolerate both ABNF readings).
 */
export function scanHost(b: Uint8Array, i: number, end: number): number {
  if (b[i] === 91) {
    let k = i + 1;
    while (k < end) {
      const d = b[k];
      if (d === 93) break;
      if (!(d === 58 || d === 46 || (CHAR_CLASS[d] & C_HEX) !== 0)) {
        throw new SipParseError('bad character in IPv6 reference', k);
      }
      k++;
    }
    if (k >= end || k === i + 1) throw new SipParseError('unterminated IPv6 reference', i);
    return k + 1;
  }
  let k = i;
  while (k < end) {
    const c = b[k];
    if ((CHAR_CLASS[c] & C_HOST) === 0) break;
    k++;
  }
  if (k === i) throw new SipParseError('empty host', i);
  return k;
}

/** Parses the digits of a port starting at `i` (after the colon); throws when empty or > 65535. */
function scanPort(b: Uint8Array, i: number, end: number): number {
  let v = 0;
  let k = i;
  while (k < end) {
    const d = b[k] - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    if (v > 65535) throw new SipParseError('port out of range', i);
    k++;
  }
  if (k === i) throw new SipParseError('empty port', i);
  return v;
}

/**
 * Parses a URI. `sip:`/`sips:` URIs are parsed into their components and checked against the
 * RFC 3261 §25.1 grammar; `tel:` per RFC 3966 (loosely); any other scheme is kept opaque.
 * Throws {@link SipParseError} with the character offset on malformed input.
 */
export function parseUri(s: string, maxParams = 64): Uri {
  return parseUriRange(bytesOf(s), s, 0, s.length, maxParams);
}

/** {@link parseUri} on `s[start, end)` (`b` holds its character codes, see scan.ts); error offsets are indexes into `s`. */
export function parseUriRange(b: Uint8Array, s: string, start: number, end: number, maxParams = 64): Uri {
  // The usual `sip:` / `sips:` (any case) without the generic scheme scan.
  if (
    start + 4 <= end &&
    (b[start] | 0x20) === 115 &&
    (b[start + 1] | 0x20) === 105 &&
    (b[start + 2] | 0x20) === 112
  ) {
    const c3 = b[start + 3];
    if (c3 === 58) return parseSipUri(b, s, 'sip', start + 4, end, maxParams);
    if ((c3 | 0x20) === 115 && start + 4 < end && b[start + 4] === 58) {
      return parseSipUri(b, s, 'sips', start + 5, end, maxParams);
    }
  }
  const colon = scanScheme(b, start, end);
  const scheme = lowerName(b, s, start, colon);
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(b, s, scheme, colon + 1, end, maxParams);
  if (scheme === 'tel') return parseTelUri(b, s, colon + 1, end, maxParams);
  for (let i = colon + 1; i < end; i++) {
    const c = b[i];
    if (c <= 32 || c === 34 || c === 60 || c === 62 || c === 127) {
      throw new SipParseError('bad character in URI', i);
    }
  }
  if (colon + 1 >= end) throw new SipParseError('empty URI after scheme', colon + 1);
  return { kind: 'absolute', scheme, opaque: s.slice(colon + 1, end) };
}

function parseSipUri(
  b: Uint8Array,
  s: string,
  scheme: 'sip' | 'sips',
  i: number,
  end: number,
  maxParams: number,
): SipUri {
  let user: string | undefined;
  let password: string | undefined;
  // Bounded scan: an indexOf on the message text would run on past the URI when it has no user.
  let at = i;
  while (at < end && b[at] !== 64) at++;
  if (at < end) {
    const ue = scanClass(b, i, at, URI_USER);
    if (ue === i) throw new SipParseError('empty user in URI', i);
    user = s.slice(i, ue);
    if (ue < at) {
      if (b[ue] !== 58) throw new SipParseError('bad character in URI user', ue);
      const pe = scanClass(b, ue + 1, at, URI_PASSWORD);
      if (pe !== at) throw new SipParseError('bad character in URI password', pe);
      password = s.slice(ue + 1, at);
    }
    i = at + 1;
  }
  const he = scanHost(b, i, end);
  const host = s.slice(i, he);
  i = he;
  let port: number | undefined;
  if (i < end && b[i] === 58) {
    port = scanPort(b, i + 1, end);
    i++;
    while (i < end && b[i] >= 48 && b[i] <= 57) i++;
  }
  let params: Params = NO_PARAMS;
  if (i < end && b[i] === 59) {
    const ps = i;
    let n = 0;
    while (i < end && b[i] === 59) {
      const ns = i + 1;
      const ne = scanClass(b, ns, end, URI_PARAM);
      if (ne === ns) throw new SipParseError('empty URI parameter name', ns);
      if (n >= maxParams) throw new SipParseError('too many URI parameters', ns, 'limit');
      n++;
      if (ne < end && b[ne] === 61) {
        const ve = scanClass(b, ne + 1, end, URI_PARAM);
        if (ve === ne + 1) throw new SipParseError('empty URI parameter value', ve);
        i = ve;
      } else {
        i = ne;
      }
    }
    params = new LazyParams(b, s, ps, i, n, fillUriParams);
  }
  let headers: Array<readonly [string, string]> = NO_HEADERS as Array<readonly [string, string]>;
  if (i < end && b[i] === 63) {
    headers = [];
    let sep = 63;
    while (i < end && b[i] === sep) {
      const ns = i + 1;
      const ne = scanClass(b, ns, end, URI_HEADER);
      if (ne === ns) throw new SipParseError('empty URI header name', ns);
      if (ne >= end || b[ne] !== 61) throw new SipParseError('URI header without "="', ne);
      const ve = scanClass(b, ne + 1, end, URI_HEADER);
      if (headers.length >= maxParams) throw new SipParseError('too many URI headers', ns, 'limit');
      headers.push([s.slice(ns, ne), s.slice(ne + 1, ve)]);
      i = ve;
      sep = 38;
    }
  }
  if (i !== end) throw new SipParseError('unexpected character in URI', i);
  return { kind: 'sip', scheme, user, password, host, port, params, headers };
}

/** Builds the pairs of a checked `;name[=value]` URI parameter range. */
function fillUriParams(b: Uint8Array, s: string, i: number, end: number, out: Array<string | null>): void {
  while (i < end) {
    const ns = i + 1;
    const ne = scanClass(b, ns, end, URI_PARAM);
    const name = lowerName(b, s, ns, ne);
    if (ne < end && b[ne] === 61) {
      const ve = scanClass(b, ne + 1, end, URI_PARAM);
      out.push(name, s.slice(ne + 1, ve));
      i = ve;
    } else {
      out.push(name, null);
      i = ne;
    }
  }
}

const NO_HEADERS: ReadonlyArray<readonly [string, string]> = Object.freeze([]);

function parseTelUri(b: Uint8Array, s: string, i: number, end: number, maxParams: number): TelUri {
  const start = i;
  while (i < end) {
    const c = b[i];
    // RFC 3966 §3: digits, hex digits, "*", "#", "+", visual separators "-" "." "(" ")".
    if ((c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 102) || c === 42 || c === 35) i++;
    else if (c === 43 || c === 45 || c === 46 || c === 40 || c === 41) i++;
    else break;
  }
  if (i === start) throw new SipParseError('empty telephone number', start);
  const number = s.slice(start, i);
  let params: Params = NO_PARAMS;
  if (i < end) {
    const kv: Array<string | null> = [];
    while (i < end && b[i] === 59) {
      const ns = i + 1;
      const ne = scanClass(b, ns, end, URI_PARAM);
      if (ne === ns) throw new SipParseError('empty tel parameter name', ns);
      if (kv.length >= maxParams * 2) throw new SipParseError('too many tel parameters', ns, 'limit');
      const name = lowerName(b, s, ns, ne);
      if (ne < end && b[ne] === 61) {
        const ve = scanClass(b, ne + 1, end, URI_PARAM);
        if (ve === ne + 1) throw new SipParseError('empty tel parameter value', ve);
        kv.push(name, s.slice(ne + 1, ve));
        i = ve;
      } else {
        kv.push(name, null);
        i = ne;
      }
    }
    params = new ParamList(kv);
  }
  if (i !== end) throw new SipParseError('unexpected character in tel URI', i);
  return { kind: 'tel', scheme: 'tel', number, params };
}

/** Formats a URI back to text; `formatUri(parseUri(s))` equals `s` up to scheme and parameter-name case. */
export function formatUri(u: Uri): string {
  if (u.kind === 'absolute') return `${u.scheme}:${u.opaque}`;
  if (u.kind === 'tel') return `tel:${u.number}${formatUriParams(u.params)}`;
  let out = `${u.scheme}:`;
  if (u.user !== undefined) {
    out += u.user;
    if (u.password !== undefined) out += `:${u.password}`;
    out += '@';
  }
  out += u.host;
  if (u.port !== undefined) out += `:${u.port}`;
  out += formatUriParams(u.params);
  for (let k = 0; k < u.headers.length; k++) {
    const [n, v] = u.headers[k];
    out += `${k === 0 ? '?' : '&'}${n}=${v}`;
  }
  return out;
}

function formatUriParams(p: Params): string {
  let out = '';
  for (const [k, v] of p) out += v === null ? `;${k}` : `;${k}=${v}`;
  return out;
}

/** Decodes `%HH` escapes (as code units; used for comparison, RFC 3261 §19.1.4). */
export function percentDecode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  let out = '';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) === 37 && i + 2 < s.length) {
      const h = hexValue(s.charCodeAt(i + 1));
      const l = hexValue(s.charCodeAt(i + 2));
      if (h >= 0 && l >= 0) {
        out += s.slice(run, i) + String.fromCharCode(h * 16 + l);
        i += 2;
        run = i + 1;
      }
    }
  }
  return out + s.slice(run);
}

function eqCi(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === b) return true;
  if (a == null || b == null) return false;
  return percentDecode(a).toLowerCase() === percentDecode(b).toLowerCase();
}

// RFC 3261 §19.1.4: these parameters must match when present in either URI.
const STRICT_PARAMS = ['user', 'ttl', 'method', 'maddr', 'transport'];

/**
 * URI equality. For SIP/SIPS, RFC 3261 §19.1.4: same scheme; user and password compared
 * case-sensitively after decoding escapes; host case-insensitively; ports equal (an explicit
 * port never equals an absent one); user, ttl, method, maddr and transport parameters must match
 * when present in either URI, other parameters only when present in both; header components
 * must all match. tel URIs: RFC 3966 §4 (visual separators ignored). Others: exact text.
 */
export function uriEquals(a: Uri, b: Uri): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'absolute') {
    const bb = b as AbsoluteUri;
    return a.scheme === bb.scheme && a.opaque === bb.opaque;
  }
  if (a.kind === 'tel') {
    const bb = b as TelUri;
    if (telDigits(a.number) !== telDigits(bb.number)) return false;
    if (a.params.size !== bb.params.size) return false;
    for (const [k, v] of a.params) {
      if (!bb.params.has(k) || !eqCi(v, bb.params.get(k))) return false;
    }
    return true;
  }
  const bb = b as SipUri;
  if (a.scheme !== bb.scheme) return false;
  if (!eqDecoded(a.user, bb.user) || !eqDecoded(a.password, bb.password)) return false;
  if (a.host.toLowerCase() !== bb.host.toLowerCase()) return false;
  if (a.port !== bb.port) return false;
  for (const p of STRICT_PARAMS) {
    const ha = a.params.has(p);
    if (ha !== bb.params.has(p)) return false;
    if (ha && !eqCi(a.params.get(p), bb.params.get(p))) return false;
  }
  for (const [k, v] of a.params) {
    if (bb.params.has(k) && !eqCi(v, bb.params.get(k))) return false;
  }
  if (a.headers.length !== bb.headers.length) return false;
  for (const [n, v] of a.headers) {
    let found = false;
    for (const [m, w] of bb.headers) {
      if (n.toLowerCase() === m.toLowerCase() && percentDecode(v) === percentDecode(w)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

function eqDecoded(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return percentDecode(a) === percentDecode(b);
}

function telDigits(n: string): string {
  let out = '';
  for (let i = 0; i < n.length; i++) {
    const c = n.charCodeAt(i);
    if (c !== 45 && c !== 46 && c !== 40 && c !== 41) out += n[i];
  }
  return out.toLowerCase();
}
