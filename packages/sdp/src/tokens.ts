import { SdpParseError } from './errors.js';

/** Splits on single spaces, dropping empty tokens (runs of spaces are tolerated). */
export function splitSpaces(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i === s.length || s.charCodeAt(i) === 0x20) {
      if (i > start) out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  return out;
}

/** True when `s` is a non-empty run of ASCII digits. */
export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Parses a non-negative decimal integer no larger than `max`, or throws `SdpParseError`. */
export function parseUint(s: string, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!isDigits(s)) throw new SdpParseError(`${what} must be a decimal number, got "${s}"`);
  const n = Number(s);
  if (n > max) throw new SdpParseError(`${what} ${s} exceeds ${max}`);
  return n;
}

/**
 * RFC 8866 §9 token: visible ASCII except the separators listed there. Used for attribute names,
 * encoding names and other identifiers.
 */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // RFC 8866 §9: token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E
    const ok =
      c === 0x21 ||
      (c >= 0x23 && c <= 0x27) ||
      c === 0x2a ||
      c === 0x2b ||
      c === 0x2d ||
      c === 0x2e ||
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x5e && c <= 0x7e);
    if (!ok) return false;
  }
  return true;
}

/** True when `s` is non-empty and contains no space or control character. */
export function isVisible(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return false;
  }
  return true;
}
