import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { DigestAlgorithm } from './algorithm.js';
import type { DigestChallenge } from './challenge.js';
import {
  chooseQop,
  createDigestAuthorization,
  type DigestSecret,
  parseDigestChallenges,
  secretHa1,
  selectDigestChallenge,
} from './client.js';
import { type DigestCredentials, parseDigestCredentials } from './credentials.js';
import { DigestClientError } from './errors.js';

/** Configuration of a {@link DigestClientSession}. */
export interface DigestClientOptions {
  /** One set of credentials for every realm, or a function giving them per realm (`undefined`: none). */
  readonly credentials: DigestSecret | ((realm: string) => DigestSecret | undefined);
  /** Algorithms this client accepts (default: all). */
  readonly algorithms?: readonly DigestAlgorithm[] | undefined;
  /** Random source for cnonces (default `crypto.randomBytes`). */
  readonly randomBytes?: ((size: number) => Uint8Array) | undefined;
  /** How many stale=true challenges in a row to fresh answers are retried before giving up (default 2). */
  readonly maxStaleRetries?: number | undefined;
}

/** The 401/407 response being answered, as plain values. */
export interface DigestChallengeResponse {
  /** 401 (challenges in WWW-Authenticate) or 407 (in Proxy-Authenticate). */
  readonly statusCode: number;
  /** Every WWW-Authenticate (401) or Proxy-Authenticate (407) header value of the response. */
  readonly challenges: readonly string[];
}

/** The request to authorize. */
export interface DigestClientRequest {
  /** Request method. */
  readonly method: string;
  /** Request-URI, used as digest-uri. */
  readonly uri: string;
  /** Body, for qop=auth-int. */
  readonly body?: Uint8Array | string | undefined;
}

/** The request that was challenged: what it carried tells a stale retry from wrong credentials. */
export interface DigestChallengedRequest extends DigestClientRequest {
  /** The Authorization and Proxy-Authorization header values the challenged request carried (may be empty). */
  readonly authorization: readonly string[];
}

/** One header to put on the request. */
export interface AuthorizationHeader {
  /** `Authorization` for a 401 realm, `Proxy-Authorization` for a 407 realm. */
  readonly name: 'Authorization' | 'Proxy-Authorization';
  /** Header value. */
  readonly value: string;
  /** The realm it answers. */
  readonly realm: string;
}

/** Outcome of {@link DigestClientSession.respond}. */
export type DigestClientResult =
  /** Replace the request's Authorization/Proxy-Authorization headers with these and send it again. */
  | { readonly ok: true; readonly headers: readonly AuthorizationHeader[] }
  /** Give up: report the error. */
  | { readonly ok: false; readonly error: DigestClientError };

interface RealmState {
  challenge: DigestChallenge;
  secret: DigestSecret;
  header: 'Authorization' | 'Proxy-Authorization';
  /** Last nonce count used with this nonce (also counted without qop, where it is not sent). */
  nc: number;
  /** Consecutive stale=true answers to first uses of a nonce. */
  staleStreak: number;
}

const MAX_NC = 0xffffffff;

/**
 * Client side of digest authentication (RFC 3261 §22.2–22.4, RFC 7616, RFC 8760), sans-IO. Answers
 * 401/407 challenges, remembers the nonce per realm for later requests (nc incremented each time),
 * retries transparently on `stale=true`, and reports wrong credentials as a typed error.
 */
export class DigestClientSession {
  readonly #credentials: (realm: string) => DigestSecret | undefined;
  readonly #algorithms: ReadonlySet<DigestAlgorithm> | undefined;
  readonly #random: (size: number) => Uint8Array;
  readonly #maxStale: number;
  readonly #realms = new Map<string, RealmState>();

  /** @param options credentials, accepted algorithms, random source */
  constructor(options: DigestClientOptions) {
    const c = options.credentials;
    this.#credentials = typeof c === 'function' ? c : () => c;
    this.#algorithms = options.algorithms === undefined ? undefined : new Set(options.algorithms);
    this.#random = options.randomBytes ?? cryptoRandomBytes;
    this.#maxStale = options.maxStaleRetries ?? 2;
  }

  /** Realms with a remembered nonce. */
  get realms(): string[] {
    return [...this.#realms.keys()];
  }

  /** Forgets the nonce of one realm, or of all. */
  forget(realm?: string): void {
    if (realm === undefined) this.#realms.clear();
    else this.#realms.delete(realm);
  }

  /**
   * Answers a 401/407. For each challenged realm, the strongest supported challenge is answered. If the
   * challenged request already carried credentials for that realm computed on the first use of a nonce,
   * a challenge without `stale=true` means the credentials are wrong: the result is an error rather than
   * a loop (RFC 3261 §22.2). Credentials for other realms the request carried are re-issued with the next
   * nonce count.
   */
  respond(response: DigestChallengeResponse, request: DigestChallengedRequest): DigestClientResult {
    const header = response.statusCode === 407 ? 'Proxy-Authorization' : 'Authorization';
    const parsed = parseDigestChallenges(response.challenges);
    const byRealm = new Map<string, DigestChallenge[]>();
    for (const c of parsed.challenges) {
      const list = byRealm.get(c.realm);
      if (list === undefined) byRealm.set(c.realm, [c]);
      else list.push(c);
    }
    const sent = new Map<string, DigestCredentials>();
    for (const v of request.authorization) {
      let c: DigestCredentials | undefined;
      try {
        c = parseDigestCredentials(v);
      } catch {
        continue; // not ours to judge: a value we did not write
      }
      if (c !== undefined && !sent.has(c.realm)) sent.set(c.realm, c);
    }

    const headers: AuthorizationHeader[] = [];
    let missing: string | undefined;
    for (const [realm, challenges] of byRealm) {
      const secret = this.#credentials(realm);
      if (secret === undefined) {
        missing ??= realm;
        continue;
      }
      const chosen = selectDigestChallenge(challenges, (c) => this.#canAnswer(c, secret));
      if (chosen === undefined) continue;
      const previous = sent.get(realm);
      const state = this.#realms.get(realm);
      let staleStreak = 0;
      if (previous !== undefined) {
        const firstUse =
          previous.nc !== undefined
            ? previous.nc === 1
            : state === undefined || state.challenge.nonce !== previous.nonce || state.nc <= 1;
        if (chosen.stale) {
          // RFC 7616 §3.3: stale=true, retry with the new nonce without asking for credentials again.
          staleStreak =
            firstUse && state !== undefined && state.challenge.nonce === previous.nonce
              ? state.staleStreak + 1
              : 1;
          if (staleStreak > this.#maxStale) {
            this.#realms.delete(realm);
            return this.#error('stale-loop', `realm "${realm}" keeps answering stale=true`, response, realm);
          }
        } else if (firstUse) {
          // RFC 3261 §22.2: a second challenge to fresh credentials means they were not accepted.
          this.#realms.delete(realm);
          return this.#error('rejected', `credentials for realm "${realm}" rejected`, response, realm);
        }
        // else: a reused nonce the server no longer accepts; answer the fresh challenge.
      }
      const next: RealmState = { challenge: chosen, secret, header, nc: 0, staleStreak };
      this.#realms.set(realm, next);
      headers.push(this.#answer(realm, next, request));
    }
    if (headers.length === 0) {
      if (missing !== undefined) {
        return this.#error('missing-credentials', `no credentials for realm "${missing}"`, response, missing);
      }
      const why = parsed.errors.length > 0 ? ` (${parsed.errors[0].message})` : '';
      return this.#error(
        'unsupported-challenge',
        `no Digest challenge this client can answer${why}`,
        response,
      );
    }
    // Credentials for realms not challenged this time (e.g. the proxy's, on a registrar's 401) go again.
    for (const realm of sent.keys()) {
      if (byRealm.has(realm)) continue;
      const state = this.#realms.get(realm);
      if (state === undefined) continue;
      const h = this.#reuse(realm, state, request);
      if (h !== undefined) headers.push(h);
    }
    return { ok: true, headers };
  }

  /**
   * Credentials for a new request from the remembered nonces (RFC 7616 §3.4: nonce reuse with the next nc),
   * one header per remembered realm, or only for `realms` when given. A realm whose nonce count is
   * exhausted is forgotten.
   */
  authorize(request: DigestClientRequest, realms?: readonly string[]): AuthorizationHeader[] {
    const headers: AuthorizationHeader[] = [];
    for (const [realm, state] of this.#realms) {
      if (realms !== undefined && !realms.includes(realm)) continue;
      const h = this.#reuse(realm, state, request);
      if (h !== undefined) headers.push(h);
    }
    return headers;
  }

  #reuse(realm: string, state: RealmState, request: DigestClientRequest): AuthorizationHeader | undefined {
    if (state.nc >= MAX_NC) {
      this.#realms.delete(realm);
      return undefined;
    }
    state.staleStreak = 0;
    return this.#answer(realm, state, request);
  }

  #answer(realm: string, state: RealmState, request: DigestClientRequest): AuthorizationHeader {
    state.nc += 1;
    const value = createDigestAuthorization({
      challenge: state.challenge,
      secret: state.secret,
      method: request.method,
      uri: request.uri,
      body: request.body,
      nc: state.nc,
      cnonce: Buffer.from(this.#random(16)).toString('hex'),
    });
    return { name: state.header, value, realm };
  }

  #canAnswer(c: DigestChallenge, secret: DigestSecret): boolean {
    if (c.algorithm === undefined || chooseQop(c) === null) return false;
    if (this.#algorithms !== undefined && !this.#algorithms.has(c.algorithm)) return false;
    return 'password' in secret || secretHa1(secret, c.realm, c.algorithm) !== undefined;
  }

  #error(
    code: DigestClientError['code'],
    message: string,
    response: DigestChallengeResponse,
    realm?: string,
  ): DigestClientResult {
    return { ok: false, error: new DigestClientError(code, message, response.statusCode, realm) };
  }
}
