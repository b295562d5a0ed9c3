/**
 * Where responses go (RFC 3261 §18.2.2) and what the server transport stamps on the top Via of a
 * received request (§18.2.1, RFC 3581 rport).
 */
import { formatVia, type SipMessage, type Via } from '@tsvoip/sip';
import { defaultPort, isReliable, type SipAddress, stripBrackets, transportOf } from './address.js';
import { ownString } from './own-string.js';

/**
 * RFC 3261 §18.2.1: add `received` when the sent-by host is not the source address; RFC 3581 §4:
 * fill an empty `rport` with the source port (and then always add `received`). Rewrites only the
 * top Via element; returns the new top Via, or the old one when nothing changed.
 */
export function stampTopVia(request: SipMessage, via: Via, source: SipAddress): Via {
  const wantsRport = via.rport === true;
  if (!wantsRport && stripBrackets(via.host) === source.host) return via;
  const params = new Map(via.params);
  params.set('received', source.host);
  if (wantsRport) params.set('rport', String(source.port));
  const stamped: Via = { ...via, params, received: source.host, rport: wantsRport ? source.port : via.rport };
  request.removeFirstHeader('Via');
  request.addHeader('Via', formatVia(stamped), { position: 'first' });
  return stamped;
}

/**
 * RFC 3261 §18.2.2: the destination of a response, from the top Via of the request and where the
 * request came from. Reliable: back over the connection it came on. Unreliable: `maddr` if
 * present, else `received` (with the `rport` port, RFC 3581 §4), else the sent-by.
 */
export function responseRoute(
  via: Via,
  source: SipAddress,
  connectionId?: string,
  cache?: RouteCache,
): { readonly to: SipAddress; readonly connectionId?: string } {
  // The response goes back on the transport the request came over (the Via should name it too).
  const transport = source.transport;
  let host: string;
  let port: number;
  if (isReliable(transport)) {
    // Back over the connection; if it is gone the driver opens one to the source (received + port).
    host = source.host;
    port = source.port;
  } else {
    port = via.port ?? defaultPort(transport);
    const maddr = via.params.get('maddr');
    if (maddr != null && maddr.length > 0) host = stripBrackets(maddr);
    else if (via.received !== undefined) {
      host = stripBrackets(via.received);
      if (typeof via.rport === 'number') port = via.rport;
    } else host = stripBrackets(via.host);
  }
  const last = cache?.last;
  if (
    last !== undefined &&
    last.connectionId === connectionId &&
    last.to.port === port &&
    last.to.host === host &&
    last.to.transport === transport
  )
    return last;
  // A server transaction keeps its route for Timer J/L (32 s): the host copied out of the request text.
  const to: SipAddress = { transport, host: ownString(host), port };
  const route = connectionId === undefined ? { to } : { to, connectionId };
  if (cache !== undefined) cache.last = route;
  return route;
}

/**
 * The last route {@link responseRoute} built, reused while requests come from the same place:
 * one route object (and host string) for all their transactions, not one each for 32 s.
 */
export interface RouteCache {
  last: { readonly to: SipAddress; readonly connectionId?: string } | undefined;
}

/**
 * RFC 3261 §18.2.2 for a response sent outside a transaction (a 2xx retransmission by the TU):
 * the top Via alone, already stamped with `received`/`rport` when the request was received.
 */
export function routeByVia(via: Via): SipAddress {
  const transport = transportOf(via.transport) ?? 'UDP';
  const maddr = via.params.get('maddr');
  const port = via.port ?? defaultPort(transport);
  if (maddr != null && maddr.length > 0) return { transport, host: stripBrackets(maddr), port };
  if (via.received !== undefined) {
    return {
      transport,
      host: stripBrackets(via.received),
      port: typeof via.rport === 'number' ? via.rport : port,
    };
  }
  return { transport, host: stripBrackets(via.host), port };
}
