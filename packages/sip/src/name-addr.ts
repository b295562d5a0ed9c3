/**
 * name-addr / addr-spec values of From, To, Contact, Route, Record-Route and friends
 * (RFC 3261 §20.10, §25.1): optional display name, URI, header parameters.
 */
import { C_TOKEN, CHAR_CLASS } from './chars.js';
import { SipParseError } from './errors.js';
import { LazyParams } from './params.js';
import {
  bytesOf,
  checkParams,
  fillParams,
  NO_PARAMS,
  PARAM_HITS,
  type Params,
  quote,
  skipQuoted,
  skipWs,
  trimEnd,
  unquote,
} from './scan.js';
import { formatUri, parseUriRange, type Uri } from './uri.js';

const TAG_WANT = ['tag'];

/** A name-addr or addr-spec with its header parameters. */
export interface NameAddr {
  /** Display name: quoted-string content unescaped, or the token words as written. */
  readonly displayName?: string;
  /** The address. */
  readonly uri: Uri;
  /** Header parameters (not URI parameters): lower-cased names, raw values (quotes kept). */
  readonly params: Params;
  /** The `tag` parameter (RFC 3261 §19.3), if present. */
  readonly tag?: string;
}

/** Parses one name-addr or addr-spec filling the whole string; throws {@link SipParseError}. */
export function parseNameAddr(s: string, maxParams = 64): NameAddr {
  return parseNameAddrRange(bytesOf(s), s, 0, s.length, maxParams);
}

/**
 * Parses one name-addr or addr-spec filling `s[start, end)` (`b`: its character codes, see
 * scan.ts; surrounding whitespace allowed).
 * In the addr-spec form the URI ends at the first `;` or whitespace, and must not contain `?`
 * (RFC 3261 §20.10: such URIs must be enclosed in angle brackets).
 */
export function parseNameAddrRange(
  b: Uint8Array,
  s: string,
  start: number,
  end: number,
  maxParams = 64,
): NameAddr {
  return parseNameAddrElement(b, s, start, end, maxParams, false);
}

/** @internal Where the last {@link parseNameAddrElement} in list mode stopped (its comma, or the end). */
export let nameAddrStop = 0;

/**
 * @internal Parses one name-addr or addr-spec from `start`. With `list`, a top-level comma after
 * the element ends it (its index is left in {@link nameAddrStop}; an addr-spec then also ends
 * at a comma), so a list header is parsed in one pass; otherwise the element fills the range.
 */
export function parseNameAddrElement(
  b: Uint8Array,
  s: string,
  start: number,
  end: number,
  maxParams: number,
  list: boolean,
): NameAddr {
  let i = skipWs(b, start, end);
  if (i >= end || (list && b[i] === 44)) throw new SipParseError('empty address', i);
  let displayName: string | undefined;
  let uri: Uri;
  let c = b[i];
  if (c === 34) {
    const qe = skipQuoted(b, i, end);
    displayName = unquote(s.slice(i, qe));
    i = skipWs(b, qe, end);
    if (i >= end || b[i] !== 60) throw new SipParseError('expected "<" after display name', i);
    c = 60;
  } else if (c !== 60) {
    // *(token LWS) followed by "<" is a display name; anything else is an addr-spec.
    let j = i;
    while (j < end) {
      const d = b[j];
      if ((CHAR_CLASS[d] & C_TOKEN) !== 0 || d === 32 || d === 9) j++;
      else break;
    }
    if (j < end && b[j] === 60) {
      const de = trimEnd(b, i, j);
      if (de > i) displayName = s.slice(i, de);
      i = j;
      c = 60;
    }
  }
  if (c === 60) {
    // Native search: '>' is ASCII, so its index in `s` is its index in `b`.
    const gt = s.indexOf('>', i + 1);
    if (gt < 0 || gt >= end) throw new SipParseError('unterminated "<"', i);
    // RFC 4475 §3.1.2.14: whitespace inside the brackets is tolerated.
    const us = skipWs(b, i + 1, gt);
    uri = parseUriRange(b, s, us, trimEnd(b, us, gt), maxParams);
    i = gt + 1;
  } else {
    let ue = i;
    while (ue < end) {
      const d = b[ue];
      if (d === 59 || d === 32 || d === 9 || (list && d === 44)) break;
      if (d === 63) throw new SipParseError('"?" in an addr-spec without angle brackets', ue);
      ue++;
    }
    uri = parseUriRange(b, s, i, ue, maxParams);
    i = ue;
  }
  let params: Params = NO_PARAMS;
  let tag: string | undefined;
  const p = skipWs(b, i, end);
  let stop = p;
  if (p < end && !(list && b[p] === 44)) {
    stop = checkParams(b, p, end, maxParams, TAG_WANT);
    const h = PARAM_HITS;
    params = new LazyParams(b, s, p, stop, h[0], fillParams);
    if (h[2] > h[1]) tag = s.slice(h[1], h[2]);
  }
  if (stop !== end && !(list && b[stop] === 44)) {
    throw new SipParseError('unexpected character after address', stop);
  }
  if (list) nameAddrStop = stop;
  return { displayName, uri, params, tag };
}

/** Formats a name-addr: quoted display name (when present), `<uri>`, then `;name=value` params. */
export function formatNameAddr(x: NameAddr): string {
  let out =
    x.displayName !== undefined ? `${quote(x.displayName)} <${formatUri(x.uri)}>` : `<${formatUri(x.uri)}>`;
  out += formatParams(x.params);
  if (x.tag !== undefined && !x.params.has('tag')) out += `;tag=${x.tag}`;
  return out;
}

/** Formats header parameters as `;name=value;flag`. */
export function formatParams(p: Params): string {
  let out = '';
  for (const [k, v] of p) out += v === null ? `;${k}` : `;${k}=${v}`;
  return out;
}
