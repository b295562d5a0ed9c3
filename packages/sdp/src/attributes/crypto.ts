import { SdpParseError } from '../errors.js';
import { isDigits, isVisible, parseUint, splitSpaces } from '../tokens.js';

/** One `inline:` key parameter of an SDES crypto attribute (RFC 4568 §6.1). */
export interface CryptoKeyParam {
  /** Key method; `inline` is the only one defined (RFC 4568 §6.1). */
  method: string;
  /** Base64 of the master key concatenated with the master salt, as written. */
  keySalt: string;
  /** Master key lifetime in packets (RFC 4568 §6.1), when given. */
  lifetime?: number;
  /** True when the lifetime was (or must be) written as a power of two, `2^n`. */
  lifetimeIsPowerOfTwo?: boolean;
  /** Master Key Identifier value and its length in bytes (`MKI:length`), when given. */
  mki?: { value: number; length: number };
}

/** `a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]` (RFC 4568 §9.1). */
export interface CryptoAttribute {
  /** Decimal tag, 1–999999999, used to match the answer to the offer. */
  tag: number;
  /** Crypto suite, e.g. `AES_CM_128_HMAC_SHA1_80`. */
  suite: string;
  /** One or more key parameters (separated by `;` on the wire). */
  keyParams: CryptoKeyParam[];
  /** Session parameters, e.g. `UNENCRYPTED_SRTCP`, `KDR=1`, `FEC_ORDER=FEC_SRTP`. */
  sessionParams: string[];
}

function isBase64(s: string): boolean {
  // Unpadded base64 (seen for 46-byte AES-256 keys) is accepted.
  if (s.length === 0 || s.length % 4 === 1) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const alnum = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
    const pad = c === 0x3d && i >= s.length - 2;
    if (!alnum && c !== 0x2b && c !== 0x2f && !pad) return false;
  }
  return true;
}

function parseKeyParam(s: string): CryptoKeyParam {
  const colon = s.indexOf(':');
  if (colon <= 0) throw new SdpParseError(`crypto key-params "${s}" needs "<method>:<info>"`);
  const method = s.slice(0, colon);
  const parts = s.slice(colon + 1).split('|');
  if (parts.length > 3) throw new SdpParseError('crypto key-info has too many "|" fields');
  // RFC 4568 §6.1: key||salt must be base64.
  if (!isBase64(parts[0])) throw new SdpParseError(`crypto key "${parts[0]}" is not base64`);
  const k: CryptoKeyParam = { method, keySalt: parts[0] };
  for (const p of parts.slice(1)) {
    const mkiColon = p.indexOf(':');
    if (mkiColon >= 0) {
      if (k.mki) throw new SdpParseError('crypto key-info has two MKI fields');
      // RFC 4568 §6.1: mki = mki-value ":" mki-length, length 1..128 bytes.
      k.mki = {
        value: parseUint(p.slice(0, mkiColon), 'crypto MKI value'),
        length: parseUint(p.slice(mkiColon + 1), 'crypto MKI length', 128),
      };
      if (k.mki.length === 0) throw new SdpParseError('crypto MKI length must be 1..128');
    } else {
      if (k.lifetime !== undefined || k.mki)
        throw new SdpParseError('crypto lifetime must precede MKI, once');
      if (p.startsWith('2^')) {
        const exp = parseUint(p.slice(2), 'crypto lifetime exponent', 53);
        k.lifetime = 2 ** exp;
        k.lifetimeIsPowerOfTwo = true;
      } else {
        k.lifetime = parseUint(p, 'crypto lifetime');
      }
    }
  }
  return k;
}

function formatKeyParam(k: CryptoKeyParam): string {
  if (!isBase64(k.keySalt)) throw new SdpParseError('crypto key is not base64');
  let s = `${k.method}:${k.keySalt}`;
  if (k.lifetime !== undefined) {
    const exp = Math.log2(k.lifetime);
    s += k.lifetimeIsPowerOfTwo && Number.isInteger(exp) ? `|2^${exp}` : `|${k.lifetime}`;
  }
  if (k.mki) s += `|${k.mki.value}:${k.mki.length}`;
  return s;
}

/** Parses the value of an `a=crypto` attribute. */
export function parseCrypto(value: string): CryptoAttribute {
  const f = splitSpaces(value);
  if (f.length < 3) throw new SdpParseError('crypto needs "<tag> <suite> <key-params>"');
  if (!isDigits(f[0]) || f[0].length > 9) throw new SdpParseError(`crypto tag "${f[0]}" must be 1-9 digits`);
  return {
    tag: Number(f[0]),
    suite: f[1],
    keyParams: f[2].split(';').map(parseKeyParam),
    sessionParams: f.slice(3),
  };
}

/** Formats the value of an `a=crypto` attribute. */
export function formatCrypto(c: CryptoAttribute): string {
  if (!Number.isInteger(c.tag) || c.tag < 0 || c.tag > 999_999_999)
    throw new SdpParseError('crypto tag range');
  if (!isVisible(c.suite)) throw new SdpParseError('crypto suite must be a token');
  if (c.keyParams.length === 0) throw new SdpParseError('crypto needs at least one key parameter');
  const base = `${c.tag} ${c.suite} ${c.keyParams.map(formatKeyParam).join(';')}`;
  return c.sessionParams.length === 0 ? base : `${base} ${c.sessionParams.join(' ')}`;
}

/** Decodes the base64 key||salt of a key parameter into bytes (master key, then master salt). */
export function decodeKeySalt(k: CryptoKeyParam): Uint8Array {
  return new Uint8Array(Buffer.from(k.keySalt, 'base64'));
}

/** Encodes master key || master salt as base64 for a key parameter. */
export function encodeKeySalt(keyAndSalt: Uint8Array): string {
  return Buffer.from(keyAndSalt).toString('base64');
}
