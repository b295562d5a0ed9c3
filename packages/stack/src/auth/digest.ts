import { createHash } from 'node:crypto';
import {
  type DigestAlgorithm,
  type DigestHashFamily,
  type DigestQop,
  hashFamily,
  isSessionAlgorithm,
  nodeHashName,
} from './algorithm.js';

/** Hex digest of `data` (UTF-8 for strings) with the hash of `family`. */
export function hashHex(family: DigestHashFamily, data: string | Uint8Array): string {
  const h = createHash(nodeHashName(family));
  if (typeof data === 'string') h.update(data, 'utf8');
  else h.update(data);
  return h.digest('hex');
}

/**
 * The stored form of a password: `H(username ":" realm ":" password)` (RFC 7616 §3.4.2, RFC 3261 §22.4).
 * A `-sess` algorithm stores the same value as its base algorithm; the session part is added per request.
 */
export function computeHa1(
  username: string,
  realm: string,
  password: string,
  algorithm: DigestAlgorithm,
): string {
  return hashHex(hashFamily(algorithm), `${username}:${realm}:${password}`);
}

/** The hashed username sent when the challenge says `userhash=true`: `H(username ":" realm)` (RFC 7616 §3.4.4). */
export function computeUserhash(username: string, realm: string, algorithm: DigestAlgorithm): string {
  return hashHex(hashFamily(algorithm), `${username}:${realm}`);
}

/** The 8-hex-digit nonce count (RFC 7616 §3.4: `nc=00000001`). */
export function formatNonceCount(nc: number): string {
  if (!Number.isInteger(nc) || nc < 1 || nc > 0xffffffff)
    throw new RangeError(`nonce count out of range: ${nc}`);
  return nc.toString(16).padStart(8, '0');
}

/** The value of an `nc` parameter, or `undefined` unless it is exactly 8 hex digits and not zero. */
export function parseNonceCount(value: string): number | undefined {
  if (value.length !== 8) return undefined;
  let n = 0;
  for (let i = 0; i < 8; i++) {
    const c = value.charCodeAt(i);
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
    else return undefined;
    n = n * 16 + d;
  }
  return n === 0 ? undefined : n;
}

/** Everything that goes into a digest `response` value. */
export interface DigestResponseInput {
  /** The algorithm named in the challenge. */
  readonly algorithm: DigestAlgorithm;
  /** `H(username:realm:password)` with the algorithm's hash (see {@link computeHa1}). */
  readonly ha1: string;
  /** The server nonce. */
  readonly nonce: string;
  /** Request method (for SIP, the method of the request being authorized). */
  readonly method: string;
  /** The digest-uri (the `uri` parameter; for SIP, the Request-URI). */
  readonly uri: string;
  /** Quality of protection; absent for an RFC 2069 compatible response. */
  readonly qop?: DigestQop | undefined;
  /** Nonce count; required with qop. */
  readonly nc?: number | undefined;
  /** Client nonce; required with qop and with `-sess` algorithms. */
  readonly cnonce?: string | undefined;
  /** Message body, hashed into A2 for `auth-int` (an absent body hashes as empty). */
  readonly body?: Uint8Array | string | undefined;
}

/**
 * The `response` value (RFC 7616 §3.4.1, RFC 3261 §22.4):
 * with qop, `KD(HA1, nonce:nc:cnonce:qop:H(A2))`; without qop (RFC 2069), `H(HA1:nonce:H(A2))`;
 * A2 is `method:uri`, plus `:H(body)` for auth-int; HA1 is `H(HA1:nonce:cnonce)` for `-sess`.
 * @throws {RangeError} when qop is given without nc/cnonce, or a `-sess` algorithm without cnonce.
 */
export function computeDigestResponse(input: DigestResponseInput): string {
  const family = hashFamily(input.algorithm);
  let ha1 = input.ha1.toLowerCase();
  if (isSessionAlgorithm(input.algorithm)) {
    if (input.cnonce === undefined) throw new RangeError(`${input.algorithm} needs a cnonce`);
    // RFC 7616 §3.4.2: A1 = H(username:realm:passwd):nonce-prime:cnonce-prime for -sess
    ha1 = hashHex(family, `${ha1}:${input.nonce}:${input.cnonce}`);
  }
  // RFC 7616 §3.4.3: A2 = Method:request-uri, or Method:request-uri:H(entity-body) for auth-int
  const a2 =
    input.qop === 'auth-int'
      ? `${input.method}:${input.uri}:${hashHex(family, input.body ?? '')}`
      : `${input.method}:${input.uri}`;
  const ha2 = hashHex(family, a2);
  if (input.qop === undefined) {
    // RFC 2617 §3.2.2.1 / RFC 2069: request-digest = KD(H(A1), nonce:H(A2))
    return hashHex(family, `${ha1}:${input.nonce}:${ha2}`);
  }
  if (input.nc === undefined || input.cnonce === undefined) throw new RangeError('qop needs nc and cnonce');
  // RFC 7616 §3.4.1: response = KD(H(A1), nonce:nc:cnonce:qop:H(A2)), KD(s, d) = H(s:d)
  return hashHex(
    family,
    `${ha1}:${input.nonce}:${formatNonceCount(input.nc)}:${input.cnonce}:${input.qop}:${ha2}`,
  );
}
