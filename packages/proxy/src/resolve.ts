/**
 * Next-hop resolution (RFC 3261 §16.6 item 7, RFC 3263) for the drivers: numeric hosts at once,
 * names through `locate` of `@tsvoip/transport` when a DNS resolver is given.
 */
import type { SipAddress } from '@tsvoip/stack';
import { decideLocate, LocateError, locate, type Resolver, TRANSPORT_PROTOCOLS } from '@tsvoip/transport';
import { tryParseUri } from './locality.js';
import type { NextHopResolver } from './types.js';

/**
 * A resolver answering numeric hosts synchronously (RFC 3263 §4.1/§4.2: the transport from the
 * `transport` parameter, else UDP for sip and TLS for sips; the port or the default one) and,
 * with `dns`, host names through RFC 3263 `locate` (every target, in order, for §4.3 fail-over).
 * Without `dns`, a host name is unresolvable (undefined).
 */
export function createNextHopResolver(dns?: Resolver): NextHopResolver {
  return (text: string) => {
    const uri = tryParseUri(text);
    if (uri === undefined || uri.kind !== 'sip') return undefined;
    const target = { scheme: uri.scheme, host: uri.host, port: uri.port, params: new Map(uri.params) };
    let decision: ReturnType<typeof decideLocate>;
    try {
      decision = decideLocate(target, TRANSPORT_PROTOCOLS);
    } catch (e) {
      if (e instanceof LocateError) return undefined;
      throw e;
    }
    if (decision.kind === 'numeric') {
      return { transport: decision.transport, host: decision.address, port: decision.port };
    }
    if (dns === undefined) return undefined;
    // RFC 3263 §4.3: every target, in the order to try them.
    return locate(target, { resolver: dns, supported: TRANSPORT_PROTOCOLS }).then(
      (list): SipAddress[] => list.map((t) => ({ transport: t.transport, host: t.address, port: t.port })),
      (e: unknown) => {
        if (e instanceof LocateError) return undefined;
        throw e;
      },
    );
  };
}
