import { SdpParseError } from '../errors.js';
import { isVisible, splitSpaces } from '../tokens.js';

// RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/".
function isIceChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok =
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2b ||
      c === 0x2f;
    if (!ok) return false;
  }
  return true;
}

/** Parses `a=ice-ufrag` (RFC 8839 §5.4: 4–256 ice-chars). */
export function parseIceUfrag(value: string): string {
  if (value.length < 4 || value.length > 256 || !isIceChars(value)) {
    throw new SdpParseError(`ice-ufrag "${value}" must be 4-256 ALPHA/DIGIT/+/`);
  }
  return value;
}

/** Parses `a=ice-pwd` (RFC 8839 §5.4: 22–256 ice-chars). */
export function parseIcePwd(value: string): string {
  if (value.length < 22 || value.length > 256 || !isIceChars(value)) {
    throw new SdpParseError('ice-pwd must be 22-256 ALPHA/DIGIT/+/');
  }
  return value;
}

/** Parses `a=ice-options` (RFC 8839 §5.6): space-separated option tags, e.g. `trickle`, `ice2`. */
export function parseIceOptions(value: string): string[] {
  const tags = splitSpaces(value);
  if (tags.length === 0) throw new SdpParseError('ice-options lists no option');
  for (const t of tags) if (!isVisible(t)) throw new SdpParseError(`ice-option "${t}" is invalid`);
  return tags;
}

/** Formats the value of `a=ice-options`. */
export function formatIceOptions(tags: readonly string[]): string {
  if (tags.length === 0) throw new SdpParseError('ice-options lists no option');
  return tags.join(' ');
}

/** `a=ice-lite`, a session-level property attribute (RFC 8839 §5.3). */
export const ICE_LITE = 'ice-lite';
/** `a=end-of-candidates` (RFC 8840 §8.2). */
export const END_OF_CANDIDATES = 'end-of-candidates';
