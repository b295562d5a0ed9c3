import { createHash } from 'node:crypto';

/** Digest algorithms a user's HA1 is kept for (RFC 7616 §3.3, RFC 8760 for SIP). */
export type DigestAlgorithm = 'MD5' | 'SHA-256' | 'SHA-512-256';

/** Every {@link DigestAlgorithm}, strongest last. */
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'SHA-256', 'SHA-512-256'];

/** One HA1 per algorithm, lowercase hex. */
export type Ha1Set = Readonly<Record<DigestAlgorithm, string>>;

const NODE_HASH: Readonly<Record<DigestAlgorithm, string>> = {
  MD5: 'md5',
  'SHA-256': 'sha256',
  // RFC 7616 §3.2: SHA-512/256 is SHA-512 with its own initial values, truncated to 256 bits
  // (FIPS 180-4 §6.7), not a truncated SHA-512.
  'SHA-512-256': 'sha512-256',
};

/**
 * HA1 = H(A1) with A1 = username ":" realm ":" password (RFC 7616 §3.4.2; RFC 3261 §22.4 for MD5),
 * the strings encoded as UTF-8 (RFC 7616 §4). Returns lowercase hex.
 */
export function computeHa1(
  algorithm: DigestAlgorithm,
  username: string,
  realm: string,
  password: string,
): string {
  return createHash(NODE_HASH[algorithm]).update(`${username}:${realm}:${password}`, 'utf8').digest('hex');
}

/** The HA1 of one credential for every {@link DigestAlgorithm}. */
export function computeHa1Set(username: string, realm: string, password: string): Ha1Set {
  return {
    MD5: computeHa1('MD5', username, realm, password),
    'SHA-256': computeHa1('SHA-256', username, realm, password),
    'SHA-512-256': computeHa1('SHA-512-256', username, realm, password),
  };
}

/**
 * The stored algorithm behind a Digest `algorithm` parameter, case-insensitively, or `undefined` when
 * unsupported. RFC 7616 §3.4.2: a `-sess` variant starts from the same H(username:realm:password), so
 * `SHA-256-sess` maps to `SHA-256`. An absent parameter means MD5 (RFC 7616 §3.3).
 */
export function digestAlgorithmOf(param: string | undefined): DigestAlgorithm | undefined {
  if (param === undefined) return 'MD5';
  const upper = param.toUpperCase();
  const base = upper.endsWith('-SESS') ? upper.slice(0, -5) : upper;
  return (DIGEST_ALGORITHMS as readonly string[]).includes(base) ? (base as DigestAlgorithm) : undefined;
}
