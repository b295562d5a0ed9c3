/**
 * Which URIs name this proxy: its listening addresses (for Route and Record-Route values, RFC 3261
 * §16.4) and the domains it is responsible for (for the Request-URI, §16.5).
 */
import { parseNameAddr, parseUri, type SipUri, type Uri } from '@tsvoip/sip';
import { defaultPort, type SipAddress, stripBrackets } from '@tsvoip/stack';

/** What the proxy knows about itself. */
export interface Locality {
  /** The addresses it listens on (the first of each transport is its Via sent-by). */
  readonly localAddresses: readonly SipAddress[];
  /** Domains (host names) it is responsible for; lower-case. */
  readonly domains: ReadonlySet<string>;
}

/** The transport a SIP URI asks for (`transport` parameter, sips → TLS, else UDP). */
export function uriTransport(uri: SipUri): SipAddress['transport'] {
  const p = uri.params.get('transport');
  if (typeof p === 'string') {
    switch (p.toLowerCase()) {
      case 'tcp':
        return uri.scheme === 'sips' ? 'TLS' : 'TCP';
      case 'tls':
        return 'TLS';
      case 'ws':
        return uri.scheme === 'sips' ? 'WSS' : 'WS';
      case 'wss':
        return 'WSS';
      default:
        return 'UDP';
    }
  }
  return uri.scheme === 'sips' ? 'TLS' : 'UDP';
}

/**
 * True when `uri` is one of our addresses: the host is a local address and the port (or the
 * default one of its transport) one we listen on. This is how our Route / Record-Route values and
 * a strict router's Request-URI are recognised (RFC 3261 §16.4).
 */
export function isOurAddressUri(uri: Uri | undefined, loc: Locality): uri is SipUri {
  if (uri === undefined || uri.kind !== 'sip') return false;
  const host = stripBrackets(uri.host).toLowerCase();
  const transport = uriTransport(uri);
  for (const a of loc.localAddresses) {
    if (a.host.toLowerCase() !== host) continue;
    const port = uri.port ?? defaultPort(transport);
    if (a.port === port) return true;
  }
  return false;
}

/** True when the URI names us: one of our addresses, or a host of one of our domains (§16.5). */
export function isOurUri(uri: Uri | undefined, loc: Locality): boolean {
  if (uri === undefined || uri.kind !== 'sip') return false;
  if (loc.domains.has(stripBrackets(uri.host).toLowerCase())) return true;
  return isOurAddressUri(uri, loc);
}

/** The URI inside a Route / Record-Route value, or undefined when it does not parse. */
export function routeUri(value: string): Uri | undefined {
  try {
    return parseNameAddr(value).uri;
  } catch {
    return undefined; // a malformed Route value is not ours; the next hop will fail to resolve it
  }
}

/** Parses a URI, undefined when malformed. */
export function tryParseUri(text: string): Uri | undefined {
  try {
    return parseUri(text);
  } catch {
    return undefined; // callers turn this into a 400/416 or an unreachable target
  }
}
