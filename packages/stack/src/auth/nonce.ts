import { createHmac, timingSafeEqual } from 'node:crypto';

/** Bytes in a nonce: 8 issue time + 8 random + 16 truncated HMAC-SHA-256. */
const NONCE_BYTES = 32;
const MAC_OFFSET = 16;
const MAC_BYTES = 16;

/** How a received nonce stands. */
export type NonceStatus =
  /** Issued by this secret for this realm, not yet expired. */
  | { readonly state: 'valid'; readonly issuedAt: number }
  /** Issued by us but older than the lifetime, or dated in the future (a restarted clock): re-challenge stale. */
  | { readonly state: 'expired'; readonly issuedAt: number }
  /** Not a nonce of ours: wrong length, bad encoding, or a MAC that does not match (other secret or realm). */
  | { readonly state: 'invalid' };

function mac(secret: Uint8Array, head: Uint8Array, realm: string): Buffer {
  return createHmac('sha256', secret).update(head).update(realm, 'utf8').digest().subarray(0, MAC_BYTES);
}

/**
 * A self-validating nonce (RFC 7616 §3.3 suggests `time-stamp H(time-stamp ":" ETag ":" secret-data)`):
 * base64url of issue time (float64), 8 random bytes and HMAC-SHA-256(secret, time | random | realm)
 * truncated to 128 bits. The server keeps no state to validate it.
 * @param secret server secret (≥ 16 bytes; `crypto.randomBytes(32)` in production)
 * @param realm the realm the nonce is bound to
 * @param now issue time in ms
 * @param random 8 random bytes (injectable so tests are deterministic)
 */
export function createNonce(secret: Uint8Array, realm: string, now: number, random: Uint8Array): string {
  if (random.length < 8) throw new RangeError('createNonce needs 8 random bytes');
  const buf = Buffer.alloc(NONCE_BYTES);
  buf.writeDoubleBE(now, 0);
  buf.set(random.subarray(0, 8), 8);
  mac(secret, buf.subarray(0, MAC_OFFSET), realm).copy(buf, MAC_OFFSET);
  return buf.toString('base64url');
}

/**
 * Checks a nonce made by {@link createNonce}: its MAC (constant-time), then its age against `lifetimeMs`
 * (RFC 7616 §3.3: an expired but genuine nonce is answered with `stale=true`).
 */
export function checkNonce(
  secret: Uint8Array,
  realm: string,
  nonce: string,
  now: number,
  lifetimeMs: number,
): NonceStatus {
  // 32 bytes are 43 base64url characters without padding.
  if (nonce.length !== 43) return { state: 'invalid' };
  const buf = Buffer.from(nonce, 'base64url');
  if (buf.length !== NONCE_BYTES || buf.toString('base64url') !== nonce) return { state: 'invalid' };
  const expected = mac(secret, buf.subarray(0, MAC_OFFSET), realm);
  if (!timingSafeEqual(expected, buf.subarray(MAC_OFFSET))) return { state: 'invalid' };
  const issuedAt = buf.readDoubleBE(0);
  if (!Number.isFinite(issuedAt) || issuedAt > now || now - issuedAt > lifetimeMs) {
    return { state: 'expired', issuedAt };
  }
  return { state: 'valid', issuedAt };
}
