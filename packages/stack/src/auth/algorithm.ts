/**
 * A digest algorithm (RFC 7616 §3.2, RFC 8760 §2.1). The `-sess` variants hash the nonce and cnonce into
 * HA1 (RFC 7616 §3.4.2).
 */
export type DigestAlgorithm =
  | 'MD5'
  | 'MD5-sess'
  | 'SHA-256'
  | 'SHA-256-sess'
  | 'SHA-512-256'
  | 'SHA-512-256-sess';

/** The hash function behind an algorithm; HA1 values are stored per hash family. */
export type DigestHashFamily = 'MD5' | 'SHA-256' | 'SHA-512-256';

/** The quality of protection values this implementation computes (RFC 7616 §3.3). */
export type DigestQop = 'auth' | 'auth-int';

/** Every supported algorithm, strongest first (RFC 8760 §2.4: SHA-512-256, SHA-256, MD5). */
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = [
  'SHA-512-256',
  'SHA-512-256-sess',
  'SHA-256',
  'SHA-256-sess',
  'MD5',
  'MD5-sess',
];

const BY_UPPER: ReadonlyMap<string, DigestAlgorithm> = new Map(
  DIGEST_ALGORITHMS.map((a) => [a.toUpperCase(), a]),
);

/**
 * The algorithm named by an `algorithm` parameter, matched case-insensitively; an absent parameter means
 * MD5 (RFC 7616 §3.3). Returns `undefined` for an algorithm this implementation does not know.
 */
export function parseDigestAlgorithm(token: string | undefined): DigestAlgorithm | undefined {
  if (token === undefined) return 'MD5';
  return BY_UPPER.get(token.toUpperCase());
}

/** The hash family of an algorithm (`SHA-256-sess` → `SHA-256`). */
export function hashFamily(algorithm: DigestAlgorithm): DigestHashFamily {
  switch (algorithm) {
    case 'MD5':
    case 'MD5-sess':
      return 'MD5';
    case 'SHA-256':
    case 'SHA-256-sess':
      return 'SHA-256';
    case 'SHA-512-256':
    case 'SHA-512-256-sess':
      return 'SHA-512-256';
  }
}

/** Whether the algorithm is a `-sess` variant (RFC 7616 §3.4.2). */
export function isSessionAlgorithm(algorithm: DigestAlgorithm): boolean {
  return algorithm.endsWith('-sess');
}

/** The node:crypto hash name of a family. SHA-512/256 is the FIPS 180-4 truncation with its own IV. */
export function nodeHashName(family: DigestHashFamily): string {
  switch (family) {
    case 'MD5':
      return 'md5';
    case 'SHA-256':
      return 'sha256';
    case 'SHA-512-256':
      return 'sha512-256';
  }
}

/** Length in hex characters of a digest of this family (32 for MD5, 64 for the others). */
export function hexLength(family: DigestHashFamily): number {
  return family === 'MD5' ? 32 : 64;
}

/** Relative strength for choosing among challenges: higher is stronger (RFC 8760 §2.4). */
export function algorithmStrength(algorithm: DigestAlgorithm): number {
  switch (hashFamily(algorithm)) {
    case 'SHA-512-256':
      return 3;
    case 'SHA-256':
      return 2;
    case 'MD5':
      return 1;
  }
}
