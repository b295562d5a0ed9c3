import { type DigestAlgorithm, type DigestHashFamily, hashFamily } from './algorithm.js';
import { computeHa1, computeUserhash } from './digest.js';

/** What a server asks its user store when verifying credentials. */
export interface Ha1Query {
  /** The username from the credentials, or `H(username:realm)` when `userhash` is true. */
  readonly username: string;
  /** Whether `username` is hashed (RFC 7616 §3.4.4). */
  readonly userhash: boolean;
  /** The realm. */
  readonly realm: string;
  /** The algorithm the client used; `-sess` variants use the HA1 of their base algorithm. */
  readonly algorithm: DigestAlgorithm;
}

/** A stored HA1 with the real username (needed when the client sent a hashed username). */
export interface Ha1Record {
  /** The user's name. */
  readonly username: string;
  /** `H(username:realm:password)`, hex, with the hash of the queried algorithm. */
  readonly ha1: string;
}

/**
 * The server's access to stored credentials: HA1 per username, realm and algorithm, never the password.
 * Return a bare HA1 string, an {@link Ha1Record}, or `undefined` for an unknown user. Synchronous; for an
 * async store, look up first with the values of `parseDigestCredentials` and pass a closure over the result.
 */
export type Ha1Lookup = (query: Ha1Query) => string | Ha1Record | undefined;

/** One user for {@link createHa1Lookup}. */
export interface Ha1User {
  /** Username. */
  readonly username: string;
  /** Plain password, hashed at set-up and then dropped. */
  readonly password: string;
}

/**
 * An in-memory {@link Ha1Lookup} for tests and small deployments: hashes each password once per hash
 * family (MD5, SHA-256, SHA-512/256) at set-up and keeps only the HA1 values and userhash index.
 */
export function createHa1Lookup(realm: string, users: readonly Ha1User[]): Ha1Lookup {
  const families: readonly [DigestHashFamily, DigestAlgorithm][] = [
    ['MD5', 'MD5'],
    ['SHA-256', 'SHA-256'],
    ['SHA-512-256', 'SHA-512-256'],
  ];
  const byName = new Map<string, Map<DigestHashFamily, string>>();
  const byHash = new Map<string, string>();
  for (const u of users) {
    const ha1s = new Map<DigestHashFamily, string>();
    for (const [family, algorithm] of families) {
      ha1s.set(family, computeHa1(u.username, realm, u.password, algorithm));
      byHash.set(`${family} ${computeUserhash(u.username, realm, algorithm)}`, u.username);
    }
    byName.set(u.username, ha1s);
  }
  return (q) => {
    if (q.realm !== realm) return undefined;
    const family = hashFamily(q.algorithm);
    const username = q.userhash ? byHash.get(`${family} ${q.username.toLowerCase()}`) : q.username;
    if (username === undefined) return undefined;
    const ha1 = byName.get(username)?.get(family);
    return ha1 === undefined ? undefined : { username, ha1 };
  };
}
