/**
 * The default next-hop resolution of the dialog layer: a SIP URI names its transport, host and
 * port directly. Real deployments inject an RFC 3263 resolver (NAPTR/SRV) instead.
 */
import { parseUri, type Uri } from '@tsvoip/sip';
import type { SipAddress, TransportName } from '../core/address.js';
import { defaultPort, stripBrackets, transportOf } from '../core/address.js';
import { DialogError } from './errors.js';

/** Maps the URI a request goes to (first Route or Request-URI) to a transport address. */
export type TargetResolver = (uri: Uri) => SipAddress;

/**
 * Resolves `sip:host:port;transport=x` without DNS (RFC 3263 §4.1/§4.2 when the host is an
 * address and the port is given): transport from the `transport` parameter (TLS for sips:),
 * default port per transport. Throws {@link DialogError} for a non-SIP URI.
 */
export const defaultResolver: TargetResolver = (uri) => {
  if (uri.kind !== 'sip') throw new DialogError(`cannot route to a ${uri.scheme}: URI without a resolver`);
  const param = uri.params.get('transport');
  let transport: TransportName = uri.scheme === 'sips' ? 'TLS' : 'UDP';
  if (typeof param === 'string') transport = transportOf(param.toUpperCase()) ?? transport;
  return { transport, host: stripBrackets(uri.host), port: uri.port ?? defaultPort(transport) };
};

/** Parses a URI written in a name-addr (`<sip:x;lr>`) or bare. */
export function uriOfRoute(value: string): Uri {
  const lt = value.indexOf('<');
  if (lt < 0) return parseUri(value.trim());
  const gt = value.indexOf('>', lt);
  return parseUri(value.slice(lt + 1, gt < 0 ? value.length : gt).trim());
}
