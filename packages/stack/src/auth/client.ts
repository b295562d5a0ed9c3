import {
  algorithmStrength,
  type DigestAlgorithm,
  type DigestHashFamily,
  type DigestQop,
  hashFamily,
  isSessionAlgorithm,
} from './algorithm.js';
import { type DigestChallenge, parseDigestChallenge } from './challenge.js';
import { formatDigestCredentials } from './credentials.js';
import { computeDigestResponse, computeHa1, computeUserhash } from './digest.js';
import { AuthHeaderParseError } from './errors.js';

/**
 * What a client knows for one realm: the password, or precomputed HA1 values per hash family
 * (`H(username:realm:password)`; a `-sess` algorithm uses the HA1 of its base family).
 */
export type DigestSecret =
  | { readonly username: string; readonly password: string }
  | { readonly username: string; readonly ha1: Readonly<Partial<Record<DigestHashFamily, string>>> };

/** The HA1 of `secret` for `algorithm` in `realm`, or `undefined` when only other families are stored. */
export function secretHa1(
  secret: DigestSecret,
  realm: string,
  algorithm: DigestAlgorithm,
): string | undefined {
  if ('password' in secret) return computeHa1(secret.username, realm, secret.password, algorithm);
  return secret.ha1[hashFamily(algorithm)];
}

/**
 * The qop a client uses for a challenge: `auth` when offered, else `auth-int` (RFC 3261 §22.4, RFC 7616
 * §3.3); `undefined` (RFC 2069 compatible) when the challenge has no qop; `null` when only unknown qop
 * values are offered, or a `-sess` algorithm comes without qop (no cnonce could be sent for it).
 */
export function chooseQop(challenge: DigestChallenge): DigestQop | undefined | null {
  if (challenge.qop.length === 0) {
    return challenge.algorithm !== undefined && isSessionAlgorithm(challenge.algorithm) ? null : undefined;
  }
  if (challenge.qop.includes('auth')) return 'auth';
  if (challenge.qop.includes('auth-int')) return 'auth-int';
  return null;
}

/** Digest challenges read from several header values. */
export interface ParsedChallenges {
  /** Digest challenges in header order (other schemes skipped). */
  readonly challenges: readonly DigestChallenge[];
  /** Values that could not be parsed (reported, not fatal while another challenge is usable). */
  readonly errors: readonly AuthHeaderParseError[];
}

/** Parses every `WWW-Authenticate` / `Proxy-Authenticate` value of a response, skipping other schemes. */
export function parseDigestChallenges(values: readonly string[]): ParsedChallenges {
  const challenges: DigestChallenge[] = [];
  const errors: AuthHeaderParseError[] = [];
  for (const v of values) {
    try {
      const c = parseDigestChallenge(v);
      if (c !== undefined) challenges.push(c);
    } catch (e) {
      if (!(e instanceof AuthHeaderParseError)) throw e;
      errors.push(e);
    }
  }
  return { challenges, errors };
}

/**
 * The challenge to answer among `challenges` (all of one realm): the strongest algorithm the client can
 * answer (RFC 8760 §2.4: SHA-512-256 > SHA-256 > MD5), the topmost one on a tie.
 * @param canAnswer whether the client has what it needs (allowed algorithm, HA1) for a challenge
 */
export function selectDigestChallenge(
  challenges: readonly DigestChallenge[],
  canAnswer: (challenge: DigestChallenge) => boolean = () => true,
): DigestChallenge | undefined {
  let best: DigestChallenge | undefined;
  for (const c of challenges) {
    if (c.algorithm === undefined || chooseQop(c) === null || !canAnswer(c)) continue;
    if (best === undefined || algorithmStrength(c.algorithm) > algorithmStrength(best.algorithm!)) best = c;
  }
  return best;
}

/** Everything needed to answer one challenge. */
export interface DigestAuthorizationInput {
  /** The challenge answered; its algorithm must be known. */
  readonly challenge: DigestChallenge;
  /** Credentials. */
  readonly secret: DigestSecret;
  /** Request method. */
  readonly method: string;
  /** The digest-uri: for SIP, the Request-URI of the request. */
  readonly uri: string;
  /** Body, for auth-int. */
  readonly body?: Uint8Array | string | undefined;
  /** Nonce count, 1 for the first use of this nonce. */
  readonly nc: number;
  /** Client nonce (fresh random per request). */
  readonly cnonce: string;
}

/**
 * The `Authorization` / `Proxy-Authorization` value answering a challenge (RFC 3261 §22.4, RFC 7616 §3.4):
 * chosen qop, nonce count, cnonce, echoed opaque, hashed username when `userhash=true`.
 * @throws {RangeError} when the challenge cannot be answered (unknown algorithm or qop, no HA1 for it).
 */
export function createDigestAuthorization(input: DigestAuthorizationInput): string {
  const { challenge, secret } = input;
  const algorithm = challenge.algorithm;
  if (algorithm === undefined) throw new RangeError(`unsupported algorithm ${challenge.algorithmName}`);
  const qop = chooseQop(challenge);
  if (qop === null) throw new RangeError(`no supported qop in "${challenge.qop.join(',')}"`);
  const ha1 = secretHa1(secret, challenge.realm, algorithm);
  if (ha1 === undefined) throw new RangeError(`no HA1 for ${algorithm}`);
  const response = computeDigestResponse({
    algorithm,
    ha1,
    nonce: challenge.nonce,
    method: input.method,
    uri: input.uri,
    qop,
    nc: qop === undefined ? undefined : input.nc,
    cnonce: qop === undefined ? undefined : input.cnonce,
    body: input.body,
  });
  return formatDigestCredentials({
    // RFC 7616 §3.4.4: with userhash, username = H(unq(username) ":" unq(realm))
    username: challenge.userhash
      ? computeUserhash(secret.username, challenge.realm, algorithm)
      : secret.username,
    realm: challenge.realm,
    nonce: challenge.nonce,
    uri: input.uri,
    response,
    algorithm,
    cnonce: qop === undefined ? undefined : input.cnonce,
    opaque: challenge.opaque,
    qop,
    nc: qop === undefined ? undefined : input.nc,
    userhash: challenge.userhash,
  });
}
