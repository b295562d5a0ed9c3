/**
 * Scanners shared by the header parsers: whitespace, quoted strings, comma-separated list
 * elements and `;name=value` parameters (RFC 3261 §25.1, §7.3.1). They test characters on bytes
 * (`b`, typed-array loads are cheaper than charCodeAt) and take substrings from the matching
 * string (`s`, same indexes): for a parsed message, its octets and their latin1 text; for a
 * string argument, {@link bytesOf}. They allocate only the substrings they return.
 */
import { octetsEqualLower } from './bytes.js';
import { C_GENVAL, C_TOKEN, CHAR_CLASS } from './chars.js';
import { SipParseError } from './errors.js';

export { NO_PARAMS, type Params } from './params.js';

/**
 * Character codes of `s` for the byte scanners: `bytesOf(s)[i]` is `s.charCodeAt(i)` for ASCII
 * characters and 0x80 (matches no syntax class) for any other, so indexes stay string indexes.
 */
export function bytesOf(s: string): Uint8Array {
  const n = s.length;
  let all = 0;
  for (let i = 0; i < n; i++) all |= s.charCodeAt(i);
  if (all < 0x80) return Buffer.from(s, 'latin1');
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    out[i] = Math.min(c, 0x80);
  }
  return out;
}

/** Index of the first non-SP/HTAB character at or after `i` (at most `end`). */
export function skipWs(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i];
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/** Index just past the last non-SP/HTAB character of `s[start, end)`. */
export function trimEnd(b: Uint8Array, start: number, end: number): number {
  while (end > start) {
    const c = b[end - 1];
    if (c !== 32 && c !== 9) break;
    end--;
  }
  return end;
}

/** Index just past a run of token characters starting at `i`. */
export function scanToken(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i];
    if ((CHAR_CLASS[c] & C_TOKEN) === 0) break;
    i++;
  }
  return i;
}

/**
 * Index just past the quoted-string opening at `s[i] === '"'` (RFC 3261 §25.1: quoted-pair
 * `\` escapes any octet but CR and LF). Throws on an unterminated string.
 */
export function skipQuoted(b: Uint8Array, i: number, end: number): number {
  let j = i + 1;
  while (j < end) {
    const c = b[j];
    if (c === 34) return j + 1;
    if (c === 92) {
      j += 2;
      continue;
    }
    if (c === 13 || c === 10) break;
    j++;
  }
  throw new SipParseError('unterminated quoted-string', i);
}

/** The content of a quoted-string with quoted-pairs resolved; other text is returned unchanged. */
export function unquote(raw: string): string {
  const n = raw.length;
  if (n < 2 || raw.charCodeAt(0) !== 34 || raw.charCodeAt(n - 1) !== 34) return raw;
  if (raw.indexOf('\\') < 0) return raw.slice(1, n - 1);
  let out = '';
  let run = 1;
  for (let i = 1; i < n - 1; i++) {
    if (raw.charCodeAt(i) === 92) {
      out += raw.slice(run, i);
      i++;
      run = i;
    }
  }
  return out + raw.slice(run, n - 1);
}

/** A quoted-string for `text`: `"` and `\` escaped (RFC 3261 §25.1 quoted-pair). */
export function quote(text: string): string {
  let out = '"';
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 92) {
      out += `${text.slice(run, i)}\\`;
      run = i;
    }
  }
  return `${out}${text.slice(run)}"`;
}

/**
 * Index of the comma that ends the list element starting at `i`, or `end`. Commas inside
 * quoted-strings and `<...>` do not count (RFC 3261 §7.3.1).
 */
export function findElementEnd(b: Uint8Array, i: number, end: number): number {
  let angle = false;
  while (i < end) {
    const c = b[i];
    if (c === 44) {
      if (!angle) return i;
    } else if (c === 34) {
      if (!angle) {
        i = skipQuoted(b, i, end);
        continue;
      }
    } else if (c === 60) {
      angle = true;
    } else if (c === 62) {
      angle = false;
    }
    i++;
  }
  return end;
}

/**
 * Splits a list header value at top-level commas into trimmed elements, dropping empty ones.
 * Throws {@link SipParseError} on an unterminated quoted-string or more than `maxElements`.
 */
export function splitList(s: string, maxElements = 128): string[] {
  const out: string[] = [];
  const end = s.length;
  const bytes = bytesOf(s);
  let i = 0;
  while (i <= end) {
    const e = findElementEnd(bytes, i, end);
    const a = skipWs(bytes, i, e);
    const z = trimEnd(bytes, a, e);
    if (z > a) {
      if (out.length >= maxElements) throw new SipParseError('too many list elements', i, 'limit');
      out.push(a === 0 && z === end ? s : s.slice(a, z));
    }
    i = e + 1;
  }
  return out;
}

/** Removes the CRLFs of line folding (RFC 3261 §7.3.1); the following whitespace stays as LWS. */
export function unfold(s: string): string {
  let out = '';
  let run = 0;
  let i = s.indexOf('\r');
  while (i >= 0) {
    out += s.slice(run, i);
    run = s.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
    i = s.indexOf('\r', run);
  }
  return run === 0 ? s : out + s.slice(run);
}

/**
 * Scans a generic-param value (token, host or IPv6 reference, or quoted-string; RFC 3261 §25.1
 * gen-value) starting at `i`; returns the index just past it.
 */
export function scanGenValue(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c === 34) return skipQuoted(b, i, end);
  if (c === 91) {
    let k = i + 1;
    while (k < end && b[k] !== 93) {
      const d = b[k];
      if (!(d === 58 || d === 46 || (d >= 48 && d <= 57) || ((d | 0x20) >= 97 && (d | 0x20) <= 102))) {
        throw new SipParseError('bad character in IPv6 reference', k);
      }
      k++;
    }
    if (k >= end) throw new SipParseError('unterminated IPv6 reference', i);
    return k + 1;
  }
  // token, plus ":" for a bare IPv6address (RFC 3261 §20.42 via-received; RFC 5118 §4.5).
  while (i < end) {
    const d = b[i];
    if ((CHAR_CLASS[d] & C_GENVAL) === 0) break;
    i++;
  }
  return i;
}

/**
 * Parses `*( SWS ";" SWS name [ SWS "=" SWS gen-value ] )` from `i` into the flat name/value
 * array `out` (lower-cased names, raw values). Stops at the first character that does not start a parameter and returns its index.
 * Throws on an empty name or value, or on more than `maxParams` parameters.
 */
export function parseParams(
  b: Uint8Array,
  s: string,
  i: number,
  end: number,
  out: Array<string | null>,
  maxParams: number,
): number {
  for (;;) {
    const j = skipWs(b, i, end);
    if (j >= end || b[j] !== 59) return j;
    const ns = skipWs(b, j + 1, end);
    const ne = scanToken(b, ns, end);
    if (ne === ns) throw new SipParseError('empty parameter name', ns);
    if (out.length >= maxParams * 2) throw new SipParseError('too many parameters', ns, 'limit');
    const name = lowerName(b, s, ns, ne);
    let k = skipWs(b, ne, end);
    if (k < end && b[k] === 61) {
      const vs = skipWs(b, k + 1, end);
      const ve = scanGenValue(b, vs, end);
      if (ve === vs) throw new SipParseError('empty parameter value', vs);
      out.push(name, s.slice(vs, ve));
      k = ve;
    } else {
      out.push(name, null);
    }
    i = k;
  }
}

/**
 * Scratch results of {@link checkParams}: `[count, vs0, ve0, vs1, ve1, ...]`, one value range per
 * wanted name (`-1, -1` when absent, `vs === ve` for a name written without a value).
 */
export const PARAM_HITS = new Int32Array(9);

/**
 * Checks the same grammar as {@link parseParams} (same errors, same offsets) without building
 * anything: returns the index past the list, leaves the count in `PARAM_HITS[0]` and the value
 * range of the first occurrence of each `want` name (lower-case, at most 4) after it.
 */
export function checkParams(
  b: Uint8Array,
  i: number,
  end: number,
  maxParams: number,
  want: readonly string[],
): number {
  const hits = PARAM_HITS;
  for (let w = 0; w < want.length; w++) {
    hits[1 + 2 * w] = -1;
    hits[2 + 2 * w] = -1;
  }
  let n = 0;
  for (;;) {
    const j = skipWs(b, i, end);
    if (j >= end || b[j] !== 59) {
      hits[0] = n;
      return j;
    }
    const ns = skipWs(b, j + 1, end);
    const ne = scanToken(b, ns, end);
    if (ne === ns) throw new SipParseError('empty parameter name', ns);
    if (n >= maxParams) throw new SipParseError('too many parameters', ns, 'limit');
    n++;
    let vs = -1;
    let ve = -1;
    let k = skipWs(b, ne, end);
    if (k < end && b[k] === 61) {
      vs = skipWs(b, k + 1, end);
      ve = scanGenValue(b, vs, end);
      if (ve === vs) throw new SipParseError('empty parameter value', vs);
      k = ve;
    }
    for (let w = 0; w < want.length; w++) {
      if (hits[1 + 2 * w] < 0 && equalsLowerRange(b, ns, ne, want[w])) {
        hits[1 + 2 * w] = vs < 0 ? ne : vs;
        hits[2 + 2 * w] = vs < 0 ? ne : ve;
      }
    }
    i = k;
  }
}

/** True when `b[start, end)` equals the lower-case ASCII `name`, ignoring ASCII case. */
export function equalsLowerRange(b: Uint8Array, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) {
    let c = b[start + i];
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** @internal {@link parseParams} as a {@link ParamsParser} over an already-checked range. */
export function fillParams(
  b: Uint8Array,
  s: string,
  start: number,
  end: number,
  out: Array<string | null>,
): void {
  parseParams(b, s, start, end, out, 0x7fffffff);
}

/** ASCII lower-case of a token (returns the same string when already lower-case). */
export function lowerToken(t: string): string {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 65 && c <= 90) return t.toLowerCase();
  }
  return t;
}

/** Parses a non-negative decimal integer filling `s[start, end)`; -1 when empty, not digits or > max. */
export function parseDecimal(b: Uint8Array, start: number, end: number, max: number): number {
  if (end <= start) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
    if (v > max) return -1;
  }
  return v;
}

// Parameter names met on every message, returned as constants instead of fresh substrings.
const COMMON_NAMES: ReadonlyArray<readonly string[]> = (() => {
  const names = [
    'lr',
    'tag',
    'branch',
    'received',
    'rport',
    'transport',
    'expires',
    'q',
    'maddr',
    'user',
    'ttl',
    'method',
    'ob',
    'sip',
    'sips',
    'tel',
  ];
  const out: string[][] = [];
  for (const n of names) {
    while (out.length <= n.length) out.push([]);
    out[n.length].push(n);
  }
  return out;
})();

/** Lower-cased name of the token `s[start, end)`; common names come back as shared constants. */
export function lowerName(b: Uint8Array, s: string, start: number, end: number): string {
  const len = end - start;
  if (len < COMMON_NAMES.length) {
    const bucket = COMMON_NAMES[len];
    for (let k = 0; k < bucket.length; k++) {
      if (octetsEqualLower(b, start, bucket[k])) return bucket[k];
    }
  }
  return lowerToken(s.slice(start, end));
}

/** {@link parseDecimal} on a whole string (short values such as a parameter). */
export function decimalText(t: string, max: number): number {
  if (t.length === 0) return -1;
  let v = 0;
  for (let i = 0; i < t.length; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
    if (v > max) return -1;
  }
  return v;
}

/** True when `t` is a non-empty token (RFC 3261 §25.1). */
export function isToken(t: string): boolean {
  if (t.length === 0) return false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 128 || (CHAR_CLASS[c] & C_TOKEN) === 0) return false;
  }
  return true;
}
