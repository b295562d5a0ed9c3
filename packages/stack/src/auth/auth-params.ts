import { AuthHeaderParseError, AuthParamFormatError } from './errors.js';

/** One `name=value` pair of a challenge or credentials header value. */
export interface AuthParam {
  /** Parameter name, lower-cased by the parser (names are case-insensitive, RFC 7235 §2.1). */
  readonly name: string;
  /** The value, unquoted and unescaped. */
  readonly value: string;
  /** Whether the value is (or is to be) written as a quoted-string rather than a token. */
  readonly quoted: boolean;
}

/**
 * One challenge (`WWW-Authenticate` / `Proxy-Authenticate`) or credentials (`Authorization` /
 * `Proxy-Authorization`) header value: `Digest realm="x", nonce="y", ...`.
 */
export interface AuthHeaderValue {
  /** The scheme as written (`Digest`); compare it case-insensitively. */
  readonly scheme: string;
  /** Parameters in the order they were written. */
  readonly params: readonly AuthParam[];
}

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const DQUOTE = 0x22;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const BACKSLASH = 0x5c;

// RFC 3261 §25.1 token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~",
// plus the RFC 7230 §3.2.6 tchar extras "#" / "$" / "&" / "^" / "|" so HTTP-style values parse too.
const TOKEN_CHAR = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) TOKEN_CHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN_CHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN_CHAR[c] = 1;
for (const ch of "-.!%*_+`'~#$&^|") TOKEN_CHAR[ch.charCodeAt(0)] = 1;

function isTokenChar(c: number): boolean {
  return c < 128 && TOKEN_CHAR[c] === 1;
}

/** Whether `value` is a non-empty token that can be written without quotes. */
export function isToken(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) if (!isTokenChar(value.charCodeAt(i))) return false;
  return true;
}

/** Skips SWS: spaces, tabs and CRLF line folds followed by whitespace (RFC 3261 §25.1 LWS). */
function skipWs(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === SP || c === TAB) i++;
    else if (c === CR && s.charCodeAt(i + 1) === LF && isWsp(s.charCodeAt(i + 2))) i += 3;
    else return i;
  }
}

function isWsp(c: number): boolean {
  return c === SP || c === TAB;
}

function readToken(s: string, i: number): number {
  while (i < s.length && isTokenChar(s.charCodeAt(i))) i++;
  return i;
}

/** The auth scheme of a header value (its leading token, possibly empty), without parsing the rest. */
export function readAuthScheme(input: string): string {
  const start = skipWs(input, 0);
  return input.slice(start, readToken(input, start));
}

/**
 * Parses one challenge or credentials header value (RFC 3261 §25.1 `challenge` / `credentials`,
 * RFC 7616 §3.3/§3.4): a scheme, whitespace, then comma-separated `name=token` or `name="quoted-string"`.
 * Parameter names are lower-cased; quoted-string escapes (`\"`, `\\`) are undone. Several challenges in one
 * value, a token68 form, duplicated names, empty list elements and CR/LF inside a quoted-string are errors.
 * @throws {AuthHeaderParseError} with the offset of the first offending character.
 */
export function parseAuthHeaderValue(input: string): AuthHeaderValue {
  let i = skipWs(input, 0);
  const schemeEnd = readToken(input, i);
  if (schemeEnd === i) throw new AuthHeaderParseError('expected an auth scheme', input, i);
  const scheme = input.slice(i, schemeEnd);
  i = skipWs(input, schemeEnd);
  const params: AuthParam[] = [];
  if (i >= input.length) return { scheme, params };
  if (i === schemeEnd) throw new AuthHeaderParseError('expected whitespace after the scheme', input, i);
  const seen = new Set<string>();
  for (;;) {
    const nameStart = i;
    const nameEnd = readToken(input, i);
    if (nameEnd === nameStart) throw new AuthHeaderParseError('expected a parameter name', input, i);
    const name = input.slice(nameStart, nameEnd).toLowerCase();
    i = skipWs(input, nameEnd);
    if (input.charCodeAt(i) !== EQUALS) {
      // RFC 3261 §25.1: one challenge per header value; `Digest a=b, Basic c=d` lands here on "Basic c".
      if (i > nameEnd && isTokenChar(input.charCodeAt(i))) {
        throw new AuthHeaderParseError('several challenges in one header value', input, nameStart);
      }
      throw new AuthHeaderParseError("expected '='", input, i);
    }
    i = skipWs(input, i + 1);
    let value: string;
    let quoted: boolean;
    if (input.charCodeAt(i) === DQUOTE) {
      const r = readQuoted(input, i);
      value = r.value;
      i = r.end;
      quoted = true;
    } else {
      const valueEnd = readToken(input, i);
      if (valueEnd === i) throw new AuthHeaderParseError('expected a token or quoted-string value', input, i);
      value = input.slice(i, valueEnd);
      i = valueEnd;
      quoted = false;
    }
    // RFC 7235 §2.1: each parameter name MUST only occur once per challenge.
    if (seen.has(name)) throw new AuthHeaderParseError(`duplicate parameter '${name}'`, input, nameStart);
    seen.add(name);
    params.push({ name, value, quoted });
    i = skipWs(input, i);
    if (i >= input.length) return { scheme, params };
    if (input.charCodeAt(i) !== COMMA)
      throw new AuthHeaderParseError("expected ',' or end of value", input, i);
    i = skipWs(input, i + 1);
  }
}

/** Reads a quoted-string starting at the opening DQUOTE; returns the unescaped value and the index after it. */
function readQuoted(s: string, start: number): { value: string; end: number } {
  let out = '';
  let runStart = start + 1;
  let i = runStart;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === DQUOTE) return { value: out + s.slice(runStart, i), end: i + 1 };
    if (c === BACKSLASH) {
      // RFC 3261 §25.1: quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
      const next = s.charCodeAt(i + 1);
      if (i + 1 >= s.length || next === CR || next === LF || next > 0x7f) {
        throw new AuthHeaderParseError('invalid quoted-pair', s, i);
      }
      out += s.slice(runStart, i);
      runStart = i + 1;
      i += 2;
      continue;
    }
    if (c === CR || c === LF) {
      if (c === CR && s.charCodeAt(i + 1) === LF && isWsp(s.charCodeAt(i + 2))) {
        // RFC 3261 §7.3.1: a line fold is equivalent to a single space.
        out += `${s.slice(runStart, i)} `;
        i += 3;
        runStart = i;
        continue;
      }
      throw new AuthHeaderParseError('CR or LF inside a quoted-string', s, i);
    }
    i++;
  }
  throw new AuthHeaderParseError('unterminated quoted-string', s, start);
}

/**
 * Writes `value` as a quoted-string, escaping `"` and `\` (and control characters, which qdtext does not
 * allow) with a backslash (RFC 3261 §25.1 quoted-pair).
 * @throws {AuthParamFormatError} when the value contains CR or LF, which no quoted-string can carry.
 */
export function quoteString(value: string, param = ''): string {
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === CR || c === LF) {
      throw new AuthParamFormatError(`value of '${param}' contains CR or LF`, param);
    }
    if (c === DQUOTE || c === BACKSLASH || c < 0x20 || c === 0x7f) {
      if (c !== TAB) {
        out += `${value.slice(runStart, i)}\\`;
        runStart = i;
      }
    }
  }
  return `${out}${value.slice(runStart)}"`;
}

/**
 * Writes a challenge or credentials header value: `scheme name=value, name="value", ...`.
 * `parseAuthHeaderValue(formatAuthHeaderValue(v))` gives back `v` (with lower-cased names).
 * @throws {AuthParamFormatError} when the scheme, a name or an unquoted value is not a token, or a quoted
 * value holds CR/LF.
 */
export function formatAuthHeaderValue(value: AuthHeaderValue): string {
  if (!isToken(value.scheme)) throw new AuthParamFormatError('scheme is not a token', 'scheme');
  let out = value.scheme;
  for (let k = 0; k < value.params.length; k++) {
    const p = value.params[k];
    if (!isToken(p.name)) throw new AuthParamFormatError(`parameter name '${p.name}' is not a token`, p.name);
    let v: string;
    if (p.quoted) v = quoteString(p.value, p.name);
    else if (isToken(p.value)) v = p.value;
    else throw new AuthParamFormatError(`value of '${p.name}' is not a token and must be quoted`, p.name);
    out += `${k === 0 ? ' ' : ', '}${p.name}=${v}`;
  }
  return out;
}

/** The parameters as a record keyed by lower-cased name (the parser already rejected duplicates). */
export function authParamRecord(params: readonly AuthParam[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of params) out[p.name.toLowerCase()] = p.value;
  return out;
}
