import { type DigestAlgorithm, parseDigestAlgorithm } from './algorithm.js';
import {
  type AuthParam,
  authParamRecord,
  formatAuthHeaderValue,
  parseAuthHeaderValue,
  readAuthScheme,
} from './auth-params.js';
import { isDigestScheme } from './challenge.js';
import { formatNonceCount, parseNonceCount } from './digest.js';
import { AuthHeaderParseError } from './errors.js';

/** Parsed Digest credentials of an `Authorization` / `Proxy-Authorization` value (RFC 7616 §3.4). */
export interface DigestCredentials {
  /** The username, or its hash when `userhash` is true (decoded from `username*` when that form is used). */
  readonly username: string;
  /** Whether `username` is `H(username:realm)` (RFC 7616 §3.4.4). */
  readonly userhash: boolean;
  /** Protection space. */
  readonly realm: string;
  /** The server nonce being answered. */
  readonly nonce: string;
  /** digest-uri: must match the request-URI (RFC 7616 §3.4.6). */
  readonly uri: string;
  /** The request digest, lower-cased hex. */
  readonly response: string;
  /** The algorithm, or `undefined` for an algorithm this implementation does not know. */
  readonly algorithm: DigestAlgorithm | undefined;
  /** The `algorithm` parameter as written (`MD5` when absent). */
  readonly algorithmName: string;
  /** The qop chosen (lower-cased), absent for an RFC 2069 compatible response. */
  readonly qop: string | undefined;
  /** Nonce count, when qop is present and `nc` is 8 hex digits. */
  readonly nc: number | undefined;
  /** The `nc` parameter as written. */
  readonly ncText: string | undefined;
  /** Client nonce. */
  readonly cnonce: string | undefined;
  /** Echoed opaque. */
  readonly opaque: string | undefined;
}

/** What a client writes; see {@link formatDigestCredentials}. */
export interface DigestCredentialsFields {
  /** Username, or its hash with `userhash`. */
  readonly username: string;
  /** Protection space. */
  readonly realm: string;
  /** Server nonce. */
  readonly nonce: string;
  /** digest-uri. */
  readonly uri: string;
  /** Request digest, hex. */
  readonly response: string;
  /** Algorithm (written as a token, RFC 7616 §3.4). */
  readonly algorithm: DigestAlgorithm;
  /** Client nonce (with qop). */
  readonly cnonce?: string | undefined;
  /** Opaque from the challenge. */
  readonly opaque?: string | undefined;
  /** qop chosen. */
  readonly qop?: string | undefined;
  /** Nonce count (with qop). */
  readonly nc?: number | undefined;
  /** Whether to send `userhash=true`. */
  readonly userhash?: boolean | undefined;
}

/** Decodes an RFC 8187 ext-value `UTF-8''J%C3%A4s%C3%B8n%20Doe` (used by RFC 7616 §3.4 `username*`). */
function decodeExtValue(v: string): string | undefined {
  const first = v.indexOf("'");
  const second = first < 0 ? -1 : v.indexOf("'", first + 1);
  if (second < 0 || v.slice(0, first).toUpperCase() !== 'UTF-8') return undefined;
  try {
    return decodeURIComponent(v.slice(second + 1));
  } catch {
    return undefined;
  }
}

/**
 * Parses one `Authorization` / `Proxy-Authorization` header value. Returns `undefined` when the scheme is
 * not Digest.
 * @throws {AuthHeaderParseError} on a syntax error or a missing username, realm, nonce, uri or response.
 */
export function parseDigestCredentials(value: string): DigestCredentials | undefined {
  // Other schemes (Basic, Bearer, token68 forms…) are skipped without being parsed.
  if (!isDigestScheme(readAuthScheme(value))) return undefined;
  const parsed = parseAuthHeaderValue(value);
  const p = authParamRecord(parsed.params);
  let username: string | undefined = p.username;
  if (p['username*'] !== undefined) {
    // RFC 7616 §3.4: username and username* MUST NOT both be present.
    if (username !== undefined) throw new AuthHeaderParseError('both username and username*', value, -1);
    username = decodeExtValue(p['username*']);
    if (username === undefined) throw new AuthHeaderParseError('invalid username* ext-value', value, -1);
  }
  for (const [name, v] of [
    ['username', username],
    ['realm', p.realm],
    ['nonce', p.nonce],
    ['uri', p.uri],
    ['response', p.response],
  ] as const) {
    if (v === undefined) throw new AuthHeaderParseError(`Digest credentials without ${name}`, value, -1);
  }
  return {
    username: username!,
    userhash: p.userhash !== undefined && p.userhash.toLowerCase() === 'true',
    realm: p.realm,
    nonce: p.nonce,
    uri: p.uri,
    response: p.response.toLowerCase(),
    algorithm: parseDigestAlgorithm(p.algorithm),
    algorithmName: p.algorithm ?? 'MD5',
    qop: p.qop?.toLowerCase(),
    nc: p.nc === undefined ? undefined : parseNonceCount(p.nc),
    ncText: p.nc,
    cnonce: p.cnonce,
    opaque: p.opaque,
  };
}

/**
 * Writes a Digest credentials header value in RFC 3261 §22.4 style:
 * `Digest username="bob", realm="…", nonce="…", uri="sip:…", response="…", algorithm=SHA-256,
 * cnonce="…", opaque="…", qop=auth, nc=00000001`.
 */
export function formatDigestCredentials(c: DigestCredentialsFields): string {
  const params: AuthParam[] = [
    { name: 'username', value: c.username, quoted: true },
    { name: 'realm', value: c.realm, quoted: true },
    { name: 'nonce', value: c.nonce, quoted: true },
    { name: 'uri', value: c.uri, quoted: true },
    { name: 'response', value: c.response, quoted: true },
    { name: 'algorithm', value: c.algorithm, quoted: false },
  ];
  if (c.cnonce !== undefined) params.push({ name: 'cnonce', value: c.cnonce, quoted: true });
  if (c.opaque !== undefined) params.push({ name: 'opaque', value: c.opaque, quoted: true });
  // RFC 3261 §25.1: message-qop = "qop" EQUAL qop-value (a token); nonce-count = "nc" EQUAL 8LHEX
  if (c.qop !== undefined) params.push({ name: 'qop', value: c.qop, quoted: false });
  if (c.nc !== undefined) params.push({ name: 'nc', value: formatNonceCount(c.nc), quoted: false });
  if (c.userhash === true) params.push({ name: 'userhash', value: 'true', quoted: false });
  return formatAuthHeaderValue({ scheme: 'Digest', params });
}
