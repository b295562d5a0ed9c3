import { randomBytes as cryptoRandomBytes, timingSafeEqual } from 'node:crypto';
import {
  algorithmStrength,
  type DigestAlgorithm,
  type DigestQop,
  hashFamily,
  hexLength,
  isSessionAlgorithm,
} from './algorithm.js';
import { formatDigestChallenge } from './challenge.js';
import { type DigestCredentials, parseDigestCredentials } from './credentials.js';
import { computeDigestResponse } from './digest.js';
import { AuthHeaderParseError, DigestConfigError } from './errors.js';
import type { Ha1Lookup } from './ha1-lookup.js';
import { checkNonce, createNonce } from './nonce.js';
import { NonceCountTracker } from './nonce-count-tracker.js';

/** Configuration of a {@link DigestServer}. */
export interface DigestServerOptions {
  /** The realm challenged for (RFC 3261 §22.1: typically the domain, e.g. `sip.example.com`). */
  readonly realm: string;
  /** HMAC key for self-validating nonces, at least 16 bytes (`crypto.randomBytes(32)`). */
  readonly secret: Uint8Array;
  /** Algorithms offered, one challenge each, sent strongest first (RFC 8760 §2.3). Default SHA-256, MD5. */
  readonly algorithms?: readonly DigestAlgorithm[] | undefined;
  /** qop values offered (default `['auth']`); empty for RFC 2069 compatible challenges. */
  readonly qop?: readonly DigestQop[] | undefined;
  /** How long a nonce stays valid, in ms (default 300 000); older ones are answered with stale=true. */
  readonly nonceLifetimeMs?: number | undefined;
  /** Opaque value to send in challenges; when set, credentials must echo it. */
  readonly opaque?: string | undefined;
  /** Whether challenges say `userhash=true` (RFC 7616 §3.4.4). The lookup must then resolve hashed names. */
  readonly userhash?: boolean | undefined;
  /** A proxy challenges with 407 and Proxy-Authenticate instead of 401 and WWW-Authenticate (RFC 3261 §22.3). */
  readonly proxy?: boolean | undefined;
  /** Without qop (RFC 2069 responses) nonces cannot be counted: accept each nonce once only (default true). */
  readonly singleUseNonceWithoutQop?: boolean | undefined;
  /** Accept a response without qop although qop was offered (old RFC 2069 clients; default false). */
  readonly acceptMissingQop?: boolean | undefined;
  /** Most nonces whose counts are tracked for replay detection (default 10 000). */
  readonly maxTrackedNonces?: number | undefined;
  /** Random source for nonces (default `crypto.randomBytes`). */
  readonly randomBytes?: ((size: number) => Uint8Array) | undefined;
  /**
   * Whether the digest-uri matches the request-URI (RFC 7616 §3.4.6). Default: string equality. A SIP
   * layer may plug in RFC 3261 §19.1.4 URI comparison.
   */
  readonly uriMatches?: ((digestUri: string, requestUri: string) => boolean) | undefined;
}

/** The request being checked, as plain values. */
export interface DigestRequestInfo {
  /** Request method. */
  readonly method: string;
  /** The request-URI, compared with the credentials' digest-uri. */
  readonly uri: string;
  /** Message body, for qop=auth-int. */
  readonly body?: Uint8Array | string | undefined;
  /** Every `Authorization` (or, for a proxy, `Proxy-Authorization`) header value of the request. */
  readonly authorization: readonly string[];
}

/** Why verification failed. */
export type DigestFailureReason =
  | 'missing'
  | 'stale'
  | 'bad-response'
  | 'unknown-user'
  | 'replay'
  | 'malformed'
  | 'bad-uri'
  | 'bad-realm';

/** A successful verification. */
export interface DigestVerifySuccess {
  readonly ok: true;
  /** The authenticated user (the real name, also when the client sent a userhash). */
  readonly username: string;
  /** The realm. */
  readonly realm: string;
  /** The algorithm the client used. */
  readonly algorithm: DigestAlgorithm;
  /** The qop the client used, if any. */
  readonly qop: DigestQop | undefined;
  /** The nonce count, if qop was used. */
  readonly nc: number | undefined;
}

/** A failed verification, with the challenge to send back. */
export interface DigestVerifyFailure {
  readonly ok: false;
  /** Why it failed (for logs; the wire answer is the same challenge for all but stale/replay). */
  readonly reason: DigestFailureReason;
  /** One line of detail for logs. */
  readonly detail: string;
  /** 401, or 407 for a proxy. */
  readonly statusCode: 401 | 407;
  /** Header name for the challenges. */
  readonly challengeHeader: 'WWW-Authenticate' | 'Proxy-Authenticate';
  /** Challenge header values to send, one header each, strongest algorithm first. */
  readonly challenges: readonly string[];
}

/** Outcome of {@link DigestServer.verify}. */
export type DigestVerifyResult = DigestVerifySuccess | DigestVerifyFailure;

function isLowerHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/**
 * Server side of digest authentication (RFC 3261 §22, RFC 7616, RFC 8760), sans-IO: issues challenges with
 * self-validating nonces and verifies credentials against stored HA1 values. The only state is the bounded
 * nonce-count map used to reject replays; time is always a parameter.
 */
export class DigestServer {
  readonly #realm: string;
  readonly #secret: Uint8Array;
  readonly #algorithms: readonly DigestAlgorithm[];
  readonly #qop: readonly DigestQop[];
  readonly #lifetime: number;
  readonly #opaque: string | undefined;
  readonly #userhash: boolean;
  readonly #proxy: boolean;
  readonly #singleUse: boolean;
  readonly #acceptMissingQop: boolean;
  readonly #random: (size: number) => Uint8Array;
  readonly #uriMatches: (digestUri: string, requestUri: string) => boolean;
  readonly #tracker: NonceCountTracker;

  /** @throws {DigestConfigError} on a short secret, no algorithms, or a `-sess` algorithm without qop. */
  constructor(options: DigestServerOptions) {
    if (options.secret.length < 16) throw new DigestConfigError('secret must be at least 16 bytes');
    const algorithms = options.algorithms ?? ['SHA-256', 'MD5'];
    if (algorithms.length === 0) throw new DigestConfigError('at least one algorithm is needed');
    const qop = options.qop ?? ['auth'];
    if (qop.length === 0 && algorithms.some(isSessionAlgorithm)) {
      // RFC 2617 §3.2.2: cnonce is only sent with qop, and -sess needs it.
      throw new DigestConfigError('-sess algorithms need qop');
    }
    this.#realm = options.realm;
    this.#secret = options.secret;
    // RFC 8760 §2.3: the server adds one header per algorithm, most preferred first.
    this.#algorithms = [...new Set(algorithms)].sort((a, b) => algorithmStrength(b) - algorithmStrength(a));
    this.#qop = qop;
    this.#lifetime = options.nonceLifetimeMs ?? 300_000;
    this.#opaque = options.opaque;
    this.#userhash = options.userhash ?? false;
    this.#proxy = options.proxy ?? false;
    this.#singleUse = options.singleUseNonceWithoutQop ?? true;
    this.#acceptMissingQop = options.acceptMissingQop ?? false;
    this.#random = options.randomBytes ?? cryptoRandomBytes;
    this.#uriMatches = options.uriMatches ?? ((a, b) => a === b);
    this.#tracker = new NonceCountTracker({ capacity: options.maxTrackedNonces });
  }

  /** The realm this server challenges for. */
  get realm(): string {
    return this.#realm;
  }

  /** Status code of a challenge: 401, or 407 for a proxy. */
  get statusCode(): 401 | 407 {
    return this.#proxy ? 407 : 401;
  }

  /** Header carrying challenges: `WWW-Authenticate`, or `Proxy-Authenticate` for a proxy. */
  get challengeHeader(): 'WWW-Authenticate' | 'Proxy-Authenticate' {
    return this.#proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate';
  }

  /** Header carrying credentials: `Authorization`, or `Proxy-Authorization` for a proxy. */
  get credentialsHeader(): 'Authorization' | 'Proxy-Authorization' {
    return this.#proxy ? 'Proxy-Authorization' : 'Authorization';
  }

  /**
   * Fresh challenge header values, one per algorithm, strongest first, sharing one new nonce.
   * @param now current time in ms (stamped into the nonce)
   * @param stale whether to say `stale=true` (RFC 7616 §3.3)
   */
  challenge(now: number, stale = false): string[] {
    const nonce = createNonce(this.#secret, this.#realm, now, this.#random(8));
    return this.#algorithms.map((algorithm) =>
      formatDigestChallenge({
        realm: this.#realm,
        nonce,
        algorithm,
        qop: this.#qop,
        opaque: this.#opaque,
        stale,
        userhash: this.#userhash,
      }),
    );
  }

  /**
   * Verifies the credentials of a request. On failure the result carries fresh challenges to send (with
   * `stale=true` when the digest was right but the nonce stale or its count replayed).
   * @param request method, request-URI, body and the credentials header values
   * @param now current time in ms
   * @param lookup stored HA1 per username, realm and algorithm
   */
  verify(request: DigestRequestInfo, now: number, lookup: Ha1Lookup): DigestVerifyResult {
    let creds: DigestCredentials | undefined;
    let parseError: AuthHeaderParseError | undefined;
    let otherRealm: string | undefined;
    for (const value of request.authorization) {
      let c: DigestCredentials | undefined;
      try {
        c = parseDigestCredentials(value);
      } catch (e) {
        if (!(e instanceof AuthHeaderParseError)) throw e;
        parseError ??= e;
        continue;
      }
      if (c === undefined) continue;
      // RFC 3261 §22.3: several credentials may be present; use the one for our realm.
      if (c.realm === this.#realm) {
        creds = c;
        break;
      }
      otherRealm ??= c.realm;
    }
    if (creds === undefined) {
      if (parseError !== undefined) return this.#fail('malformed', parseError.message, now);
      if (otherRealm !== undefined)
        return this.#fail('bad-realm', `credentials for realm "${otherRealm}"`, now);
      return this.#fail('missing', 'no Digest credentials', now);
    }

    const algorithm = creds.algorithm;
    if (algorithm === undefined || !this.#algorithms.includes(algorithm)) {
      return this.#fail('malformed', `algorithm ${creds.algorithmName} not offered`, now);
    }
    let qop: DigestQop | undefined;
    if (creds.qop !== undefined) {
      if (!(this.#qop as readonly string[]).includes(creds.qop)) {
        return this.#fail('malformed', `qop ${creds.qop} not offered`, now);
      }
      qop = creds.qop as DigestQop;
      if (creds.nc === undefined) return this.#fail('malformed', 'qop without a valid nc', now);
      if (creds.cnonce === undefined || creds.cnonce.length === 0) {
        return this.#fail('malformed', 'qop without cnonce', now);
      }
    } else {
      // RFC 2617 §3.2.2: qop MUST be used when the server offered it (unless old clients are allowed).
      if (this.#qop.length > 0 && !this.#acceptMissingQop) return this.#fail('malformed', 'qop missing', now);
      if (isSessionAlgorithm(algorithm)) return this.#fail('malformed', `${algorithm} without qop`, now);
    }
    if (this.#opaque !== undefined && creds.opaque !== this.#opaque) {
      return this.#fail('malformed', 'opaque not echoed', now);
    }
    const family = hashFamily(algorithm);
    if (creds.response.length !== hexLength(family) || !isLowerHex(creds.response)) {
      return this.#fail('malformed', 'response is not a digest of the right length', now);
    }
    // RFC 7616 §3.4.6: the digest-uri must identify the same resource as the request-target.
    if (!this.#uriMatches(creds.uri, request.uri)) {
      return this.#fail('bad-uri', `uri "${creds.uri}" is not the request-URI`, now);
    }

    const found = lookup({
      username: creds.username,
      userhash: creds.userhash,
      realm: this.#realm,
      algorithm,
    });
    if (found === undefined) return this.#fail('unknown-user', `unknown user "${creds.username}"`, now);
    const ha1 = typeof found === 'string' ? found : found.ha1;
    const username = typeof found === 'string' ? creds.username : found.username;

    const expected = computeDigestResponse({
      algorithm,
      ha1,
      nonce: creds.nonce,
      method: request.method,
      uri: creds.uri,
      qop,
      nc: creds.nc,
      cnonce: creds.cnonce,
      body: request.body,
    });
    if (!timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(creds.response, 'latin1'))) {
      return this.#fail('bad-response', `wrong response for "${username}"`, now);
    }

    // The digest is right: any nonce problem from here on is answered with stale=true (RFC 7616 §3.3).
    const status = checkNonce(this.#secret, this.#realm, creds.nonce, now, this.#lifetime);
    if (status.state !== 'valid') return this.#fail('stale', `nonce ${status.state}`, now, true);
    if (qop !== undefined || this.#singleUse) {
      // RFC 7616 §5.5 / RFC 2617 §4.5: a repeated or lower nonce count is a replay.
      const use = this.#tracker.use(
        creds.nonce,
        creds.nc ?? 0,
        status.issuedAt,
        status.issuedAt + this.#lifetime,
        now,
      );
      if (use === 'replay')
        return this.#fail('replay', `nonce count ${creds.ncText ?? '(none)'} reused`, now, true);
      if (use === 'forgotten') return this.#fail('stale', 'nonce count history evicted', now, true);
    }
    return { ok: true, username, realm: this.#realm, algorithm, qop, nc: creds.nc };
  }

  #fail(reason: DigestFailureReason, detail: string, now: number, stale = false): DigestVerifyFailure {
    return {
      ok: false,
      reason,
      detail,
      statusCode: this.statusCode,
      challengeHeader: this.challengeHeader,
      challenges: this.challenge(now, stale),
    };
  }
}
