import { SdpParseError } from '../errors.js';
import { isToken, splitSpaces } from '../tokens.js';

/** `a=fingerprint:<hash-func> <fingerprint>` (RFC 8122 §5). */
export interface Fingerprint {
  /** `sha-256`, `sha-1`, … (compared case-insensitively). */
  hashFunction: string;
  /** Colon-separated hex bytes, as written (RFC 8122 §5 uses upper case). */
  fingerprint: string;
}

function isHexPairs(s: string): boolean {
  if ((s.length + 1) % 3 !== 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (i % 3 === 2) {
      if (c !== 0x3a) return false;
    } else if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))) {
      return false;
    }
  }
  return true;
}

/** Parses the value of an `a=fingerprint` attribute (lower-case hex is tolerated). */
export function parseFingerprint(value: string): Fingerprint {
  const f = splitSpaces(value);
  if (f.length !== 2) throw new SdpParseError('fingerprint needs "<hash-func> <hex>"');
  if (!isToken(f[0])) throw new SdpParseError(`fingerprint hash "${f[0]}" is not a token`);
  if (!isHexPairs(f[1])) throw new SdpParseError('fingerprint must be colon-separated hex bytes');
  return { hashFunction: f[0], fingerprint: f[1] };
}

/** Formats the value of an `a=fingerprint` attribute. */
export function formatFingerprint(f: Fingerprint): string {
  if (!isToken(f.hashFunction) || !isHexPairs(f.fingerprint)) throw new SdpParseError('invalid fingerprint');
  return `${f.hashFunction} ${f.fingerprint}`;
}

/** The fingerprint bytes. */
export function fingerprintBytes(f: Fingerprint): Uint8Array {
  const n = (f.fingerprint.length + 1) / 3;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Number.parseInt(f.fingerprint.slice(i * 3, i * 3 + 2), 16);
  return out;
}

/** Builds a fingerprint from digest bytes, upper-case hex as RFC 8122 §5 asks. */
export function fingerprintFromBytes(hashFunction: string, digest: Uint8Array): Fingerprint {
  const hex: string[] = [];
  for (const b of digest) hex.push(b.toString(16).toUpperCase().padStart(2, '0'));
  return { hashFunction, fingerprint: hex.join(':') };
}
