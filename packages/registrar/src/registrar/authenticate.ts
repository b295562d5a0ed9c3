import { parseUri, type SipMessage, SipParseError, uriEquals } from '@tsvoip/sip';
import {
  AuthHeaderParseError,
  type DigestServer,
  type DigestVerifyResult,
  parseDigestCredentials,
} from '@tsvoip/stack';
import { digestAlgorithmOf } from '../store/ha1.js';
import type { UserStore } from '../store/user-store.js';
import { scanCredentials } from './credentials-scan.js';

/**
 * RFC 7616 §3.4.6 with RFC 3261 §19.1.4 URI comparison: does the digest-uri name the Request-URI?
 * Pass it as the `uriMatches` option of the {@link DigestServer} the registrar uses.
 */
export function sipUriMatches(digestUri: string, requestUri: string): boolean {
  if (digestUri === requestUri) return true;
  try {
    return uriEquals(parseUri(digestUri), parseUri(requestUri));
  } catch (e) {
    if (e instanceof SipParseError) return false;
    throw e;
  }
}

/** What the HA1 is fetched for: the user, and the algorithm as written. */
interface Ha1Target {
  readonly username: string;
  readonly userhash: boolean;
  readonly algorithmName: string | undefined;
}

/** The credentials of `request` addressed to `realm`, or `undefined` (absent, malformed, other realm). */
function credentialsFor(values: readonly string[], realm: string): Ha1Target | undefined {
  for (const v of values) {
    // The usual single plain value: read the three fields quickly, the verifier parses it in full.
    // With several values the full parse picks the same one the verifier will (malformed ones skipped).
    const quick = values.length === 1 ? scanCredentials(v) : null;
    if (quick !== null) return quick.realm === realm ? { ...quick, userhash: false } : undefined;
    try {
      const c = parseDigestCredentials(v);
      if (c !== undefined && c.realm === realm) return c;
    } catch (e) {
      if (!(e instanceof AuthHeaderParseError)) throw e;
    }
  }
  return undefined;
}

/**
 * RFC 3261 §10.3 step 3 / §22.4: verifies the Authorization of a request against the HA1 kept in a
 * {@link UserStore} (async), through the sans-IO {@link DigestServer}. The HA1 goes from the store to
 * the verifier and nowhere else: it is never logged nor returned.
 */
export async function verifyDigest(
  request: SipMessage,
  digest: DigestServer,
  users: UserStore,
  now: number,
): Promise<DigestVerifyResult> {
  const authorization = request.getHeaders(digest.credentialsHeader);
  const info = { method: request.method, uri: request.requestUri, authorization };
  const creds = credentialsFor(authorization, digest.realm);
  const algorithm =
    creds === undefined || creds.userhash ? undefined : digestAlgorithmOf(creds.algorithmName);
  const ha1 =
    creds === undefined || algorithm === undefined
      ? undefined
      : await users.getHa1(creds.username, digest.realm, algorithm);
  // The verifier re-parses the values; it reports missing/malformed/unknown-user itself.
  // The HA1 is handed over only for the user and algorithm it was fetched for.
  return digest.verify(info, now, (q) =>
    ha1 !== undefined &&
    q.username === creds?.username &&
    !q.userhash &&
    digestAlgorithmOf(q.algorithm) === algorithm
      ? ha1
      : undefined,
  );
}
