/**
 * Character classes of the RFC 3261 §25.1 grammar as bit flags in a 256-entry table, so scanners
 * test a class of any octet with one array load and a mask (no regex, no range check on the hot
 * path: octets >= 128 belong to no class).
 */

/** token (RFC 3261 §25.1): alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" */
export const C_TOKEN = 1;
/** unreserved (alphanum / mark) */
export const C_UNRESERVED = 2;
/** user-unreserved: "&" / "=" / "+" / "$" / "," / ";" / "?" / "/" */
export const C_USER = 4;
/** password chars besides unreserved: "&" / "=" / "+" / "$" / "," */
export const C_PASSWORD = 8;
/** param-unreserved: "[" / "]" / "/" / ":" / "&" / "+" / "$" */
export const C_PARAM = 16;
/** hnv-unreserved: "[" / "]" / "/" / "?" / ":" / "+" / "$" */
export const C_HNV = 32;
/** hostname / IPv4 characters: alphanum / "-" / "." */
export const C_HOST = 64;
/** hex digit */
export const C_HEX = 128;
/** gen-value characters outside quotes and brackets: token / ":" (a bare IPv6 address, RFC 5118 §4.5) */
export const C_GENVAL = 256;

function build(): Uint16Array {
  const t = new Uint16Array(256);
  const add = (chars: string, flag: number) => {
    for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] |= flag;
  };
  const alpha = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const digit = '0123456789';
  const alnum = alpha + digit;
  add(`${alnum}-.!%*_+\`'~`, C_TOKEN);
  add(`${alnum}-_.!~*'()`, C_UNRESERVED);
  add('&=+$,;?/', C_USER);
  add('&=+$,', C_PASSWORD);
  add('[]/:&+$', C_PARAM);
  add('[]/?:+$', C_HNV);
  add(`${alnum}-.`, C_HOST);
  add(`${digit}abcdefABCDEF`, C_HEX);
  add(`${alnum}-.!%*_+\`'~:`, C_GENVAL);
  return t;
}

/** The class table, indexed by octet (0-255; entries 128-255 are 0). */
export const CHAR_CLASS: Uint16Array = build();

/** True when `c` is a token character (RFC 3261 §25.1). */
export function isTokenChar(c: number): boolean {
  return c < 256 && (CHAR_CLASS[c] & C_TOKEN) !== 0;
}

/** True when `c` is SP or HTAB. */
export function isWsp(c: number): boolean {
  return c === 32 || c === 9;
}

/** Value of a hex digit, or -1. */
export function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
