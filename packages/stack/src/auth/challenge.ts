import { type DigestAlgorithm, parseDigestAlgorithm } from './algorithm.js';
import {
  type AuthParam,
  authParamRecord,
  formatAuthHeaderValue,
  parseAuthHeaderValue,
  readAuthScheme,
} from './auth-params.js';
import { AuthHeaderParseError } from './errors.js';

/** A parsed Digest challenge (RFC 7616 §3.3, RFC 3261 §25.1 `digest-cln`). */
export interface DigestChallenge {
  /** Protection space the credentials belong to. */
  readonly realm: string;
  /** Server nonce. */
  readonly nonce: string;
  /** The algorithm, or `undefined` when the server named one this implementation does not know. */
  readonly algorithm: DigestAlgorithm | undefined;
  /** The `algorithm` parameter as written (`MD5` when absent). */
  readonly algorithmName: string;
  /** qop options offered, lower-cased, in the server's order; empty when no qop (RFC 2069 compatible). */
  readonly qop: readonly string[];
  /** Opaque value the client must echo unchanged. */
  readonly opaque: string | undefined;
  /** `stale=true`: the previous nonce was stale, retry without asking for credentials again (RFC 7616 §3.3). */
  readonly stale: boolean;
  /** `userhash=true`: the server accepts a hashed username (RFC 7616 §3.4.4). */
  readonly userhash: boolean;
  /** `domain` parameter, if any. */
  readonly domain: string | undefined;
  /** `charset` parameter, if any (only `UTF-8` is defined, RFC 7616 §3.3). */
  readonly charset: string | undefined;
}

/** What a server puts in a challenge; see {@link formatDigestChallenge}. */
export interface DigestChallengeFields {
  /** Protection space. */
  readonly realm: string;
  /** Server nonce. */
  readonly nonce: string;
  /** Algorithm; written explicitly even for MD5. */
  readonly algorithm: DigestAlgorithm;
  /** qop options; omitted when empty (RFC 2069 compatible challenge). */
  readonly qop: readonly string[];
  /** Opaque value, if any. */
  readonly opaque?: string | undefined;
  /** Whether to send `stale=true`. */
  readonly stale?: boolean | undefined;
  /** Whether to send `userhash=true`. */
  readonly userhash?: boolean | undefined;
  /** Optional `domain` (space-separated URIs). */
  readonly domain?: string | undefined;
}

/** Whether a header value's scheme is Digest (case-insensitive). */
export function isDigestScheme(scheme: string): boolean {
  return scheme.length === 6 && scheme.toLowerCase() === 'digest';
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && v.toLowerCase() === 'true';
}

/**
 * Parses one `WWW-Authenticate` / `Proxy-Authenticate` header value. Returns `undefined` when the scheme
 * is not Digest (so a caller can skip `Basic`, `Bearer`, … among several header lines).
 * @throws {AuthHeaderParseError} on a syntax error, or a Digest challenge without realm or nonce.
 */
export function parseDigestChallenge(value: string): DigestChallenge | undefined {
  // Other schemes (Basic, Bearer, token68 forms…) are skipped without being parsed.
  if (!isDigestScheme(readAuthScheme(value))) return undefined;
  const parsed = parseAuthHeaderValue(value);
  const p = authParamRecord(parsed.params);
  if (p.realm === undefined) throw new AuthHeaderParseError('Digest challenge without realm', value, -1);
  if (p.nonce === undefined || p.nonce.length === 0) {
    throw new AuthHeaderParseError('Digest challenge without nonce', value, -1);
  }
  const qop: string[] = [];
  if (p.qop !== undefined) {
    // RFC 3261 §25.1: qop-options = "qop" EQUAL LDQUOT qop-value *("," qop-value) RDQUOT
    for (const part of p.qop.split(',')) {
      const q = part.trim().toLowerCase();
      if (q.length > 0 && !qop.includes(q)) qop.push(q);
    }
  }
  return {
    realm: p.realm,
    nonce: p.nonce,
    algorithm: parseDigestAlgorithm(p.algorithm),
    algorithmName: p.algorithm ?? 'MD5',
    qop,
    opaque: p.opaque,
    stale: isTrue(p.stale),
    userhash: isTrue(p.userhash),
    domain: p.domain,
    charset: p.charset,
  };
}

/**
 * Writes a Digest challenge header value (RFC 7616 §3.3), e.g.
 * `Digest realm="sip.example.com", nonce="…", opaque="…", algorithm=SHA-256, qop="auth"`.
 */
export function formatDigestChallenge(c: DigestChallengeFields): string {
  const params: AuthParam[] = [
    { name: 'realm', value: c.realm, quoted: true },
    { name: 'nonce', value: c.nonce, quoted: true },
  ];
  if (c.opaque !== undefined) params.push({ name: 'opaque', value: c.opaque, quoted: true });
  if (c.domain !== undefined) params.push({ name: 'domain', value: c.domain, quoted: true });
  if (c.stale === true) params.push({ name: 'stale', value: 'true', quoted: false });
  params.push({ name: 'algorithm', value: c.algorithm, quoted: false });
  if (c.qop.length > 0) params.push({ name: 'qop', value: c.qop.join(','), quoted: true });
  if (c.userhash === true) params.push({ name: 'userhash', value: 'true', quoted: false });
  return formatAuthHeaderValue({ scheme: 'Digest', params });
}
