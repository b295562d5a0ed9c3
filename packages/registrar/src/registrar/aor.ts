import { percentDecode, type Uri } from '@tsvoip/sip';

/** An address-of-record in canonical form, with its parts. */
export interface CanonicalAor {
  /** `sip:user@domain` (or `sips:`), the key of the location service. */
  readonly aor: string;
  /** The user part, escapes decoded. */
  readonly user: string;
  /** The host, lower-cased. */
  readonly domain: string;
}

/**
 * RFC 3261 §10.3 step 5: the address-of-record of a To URI in canonical form. The URI is reduced as
 * for §19.1.4 comparison: scheme and host lower-cased, escaped characters of the user part decoded,
 * every URI parameter (including `user=phone`), the password, port and headers removed.
 * Returns `undefined` when the URI is not a SIP/SIPS URI with a user part (no AoR to bind).
 */
export function canonicalAor(uri: Uri): CanonicalAor | undefined {
  if (uri.kind !== 'sip' || uri.user === undefined || uri.user.length === 0) return undefined;
  const user = percentDecode(uri.user);
  const domain = uri.host.toLowerCase();
  return { aor: `${uri.scheme}:${user}@${domain}`, user, domain };
}

/**
 * RFC 3261 §10.3 step 1: the domain of a Request-URI, lower-cased, or `undefined` when the URI is not
 * a SIP/SIPS URI (the registrar is not responsible for it).
 */
export function requestDomain(uri: Uri | undefined): string | undefined {
  return uri?.kind === 'sip' ? uri.host.toLowerCase() : undefined;
}
