/** Checks on header text written through the mutation API and the builders. */
import { SipParseError } from './errors.js';
import { bytesOf, isToken, skipWs, trimEnd } from './scan.js';

/**
 * Rejects header text that would break the message framing (CR/LF, or a bad name); returns
 * whether the value is ASCII.
 */
export function checkHeaderText(name: string, value: string): boolean {
  if (!isToken(name)) {
    throw new SipParseError(`bad header name "${name}"`, 0);
  }
  let all = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 13 || c === 10) throw new SipParseError(`CR/LF in ${name} value`, i);
    all |= c;
  }
  return all < 0x80;
}

/** {@link checkHeaderText} for a name known to be a token: checks the value only. */
export function checkValueText(name: string, value: string): boolean {
  let all = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 13 || c === 10) throw new SipParseError(`CR/LF in ${name} value`, i);
    all |= c;
  }
  return all < 0x80;
}

/** True when every character of `s` is ASCII. */
export function isAsciiText(s: string): boolean {
  let all = 0;
  for (let i = 0; i < s.length; i++) all |= s.charCodeAt(i);
  return all < 0x80;
}

/** Content-Length value of header text (surrounding whitespace allowed); -1 when absent or bad. */
export function parseContentLengthText(v: string | undefined): number {
  if (v === undefined) return -1;
  let n = 0;
  const bytes = bytesOf(v);
  const a = skipWs(bytes, 0, v.length);
  const b = trimEnd(bytes, a, v.length);
  if (b === a) return -1;
  for (let i = a; i < b; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
