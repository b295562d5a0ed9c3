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
): { to: SipAddress; connectionId?: string } {
  // The response goes back on the transport the request came over (the Via should name it too).
  const transport = source.transport;
  if (isReliable(transport)) {
    // Back over the connection; if it is gone the driver opens one to the source (received + port).
    return connectionId === undefined ? { to: source } : { to: source, connectionId };
  }
  // A server transaction keeps its route for Timer J/L (32 s): hosts copied out of the request text.
  const port = via.port ?? defaultPort(transport);
  const maddr = via.params.get('maddr');
  if (maddr != null && maddr.length > 0) {
    return { to: { transport, host: ownString(stripBrackets(maddr)), port } };
  }
  if (via.received !== undefined) {
    const rport = typeof via.rport === 'number' ? via.rport : port;
    return { to: { transport, host: ownString(stripBrackets(via.received)), port: rport } };
  }
  return { to: { transport, host: ownString(stripBrackets(via.host)), port } };
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
