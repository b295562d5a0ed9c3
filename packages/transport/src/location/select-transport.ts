/**
 * RFC 3263 §4.1 transport selection and §4.2 port rules, as pure decisions over a URI.
 * @module
 */
import { isSecureTransport, type TransportProtocol } from '../address.js';
import { LocateError } from '../errors.js';
import { isIPv4, isIPv6, stripBrackets } from '../ip.js';

/**
 * The parts of a SIP or SIPS URI that server location reads. Structurally compatible with the
 * `SipUri` of `@tsvoip/sip` (`scheme`, `host`, `port`, `params`).
 */
export interface LocateUri {
  /** `sip` or `sips`. */
  readonly scheme: 'sip' | 'sips';
  /** A host name, an IPv4 address, or an IPv6 reference (`[::1]`, brackets optional). */
  readonly host: string;
  /** The port, when the URI has one. */
  readonly port?: number;
  /** uri-parameters with lower-cased names (`transport`, `maddr`); `null` for a name alone. */
  readonly params?: ReadonlyMap<string, string | null>;
}

/**
 * What RFC 3263 §4.1/§4.2 decide before any DNS query.
 *
 * - `numeric`: TARGET is an IP address: no DNS at all.
 * - `port`: TARGET is a name with an explicit port: A/AAAA only (§4.2).
 * - `srv`: the transport is known (URI parameter) but no port: SRV for it, then A/AAAA (§4.2).
 * - `naptr`: nothing is known: NAPTR, then SRV, then A/AAAA (§4.1).
 */
export type LocateDecision =
  | {
      readonly kind: 'numeric';
      readonly transport: TransportProtocol;
      readonly address: string;
      readonly port: number;
    }
  | {
      readonly kind: 'port';
      readonly transport: TransportProtocol;
      readonly target: string;
      readonly port: number;
    }
  | { readonly kind: 'srv'; readonly transport: TransportProtocol; readonly target: string }
  | { readonly kind: 'naptr'; readonly target: string };

/** The default port of a transport (RFC 3261 §19.1.2: 5060, and 5061 for TLS; RFC 7118 keeps them). */
export function defaultPort(transport: TransportProtocol): number {
  return isSecureTransport(transport) ? 5061 : 5060;
}

/**
 * The SRV owner name for a transport (RFC 3263 §4.2: `_sips._tcp`, `_sip._tcp`, `_sip._udp`), or
 * `undefined` for WS/WSS, for which no SRV service is defined (RFC 7118 defines NAPTR services only).
 */
export function srvName(transport: TransportProtocol, domain: string): string | undefined {
  switch (transport) {
    case 'UDP':
      return `_sip._udp.${domain}`;
    case 'TCP':
      return `_sip._tcp.${domain}`;
    case 'TLS':
      return `_sips._tcp.${domain}`;
    default:
      return undefined;
  }
}

/**
 * The transport a `transport=` URI parameter asks for, given the scheme (RFC 3261 §19.1.1/§26.2.2:
 * `sips` with `transport=tcp` means TLS over TCP; RFC 7118 §5.1: `transport=ws`, secure for `sips`).
 * `undefined` for a transport this package does not know or a SIPS URI over UDP.
 */
export function uriParamTransport(value: string, sips: boolean): TransportProtocol | undefined {
  switch (value.toLowerCase()) {
    case 'udp':
      return sips ? undefined : 'UDP';
    case 'tcp':
      return sips ? 'TLS' : 'TCP';
    case 'tls':
      return 'TLS';
    case 'ws':
      return sips ? 'WSS' : 'WS';
    case 'wss':
      return 'WSS';
    default:
      return undefined;
  }
}

/** The transport used when only A/AAAA answer: UDP for SIP, TLS for SIPS (RFC 3263 §4.1), if supported. */
export function fallbackTransport(
  sips: boolean,
  supported: readonly TransportProtocol[],
): TransportProtocol | undefined {
  const order: readonly TransportProtocol[] = sips ? ['TLS', 'WSS'] : ['UDP', 'TCP', 'TLS', 'WS', 'WSS'];
  return order.find((t) => supported.includes(t));
}

/**
 * Applies RFC 3263 §4.1 ("Selecting a Transport Protocol") and §4.2 ("Determining Port and IP
 * Address") up to the first DNS query. Throws {@link LocateError} `unsupported-transport` when the
 * URI names a transport outside `supported` (or one a SIPS URI cannot use).
 */
export function decideLocate(uri: LocateUri, supported: readonly TransportProtocol[]): LocateDecision {
  const sips = uri.scheme === 'sips';
  // RFC 3263 §4: "If the URI contains an maddr parameter with a value, TARGET is the maddr value".
  const maddr = uri.params?.get('maddr');
  const target = stripBrackets(maddr ?? uri.host);
  const numeric = isIPv4(target) || isIPv6(target);
  const param = uri.params?.get('transport');
  let transport: TransportProtocol | undefined;
  if (param !== undefined && param !== null) {
    // RFC 3263 §4.1: "If the URI specifies a transport protocol in the transport parameter, that
    // transport protocol SHOULD be used."
    transport = uriParamTransport(param, sips);
    if (transport === undefined || !supported.includes(transport)) {
      throw new LocateError(
        'unsupported-transport',
        `transport=${param} is not supported for a ${uri.scheme} URI`,
      );
    }
  } else if (numeric || uri.port !== undefined) {
    // RFC 3263 §4.1: numeric TARGET, or an explicit port: UDP for SIP, TCP (here TLS) for SIPS.
    transport = fallbackTransport(sips, supported);
    if (transport === undefined) {
      throw new LocateError('unsupported-transport', `no supported transport for a ${uri.scheme} URI`);
    }
  }
  if (numeric) {
    const t = transport!;
    return { kind: 'numeric', transport: t, address: target, port: uri.port ?? defaultPort(t) };
  }
  // RFC 3263 §4.2: "If the TARGET was not a numeric IP address, but a port is present in the URI,
  // the client performs an A or AAAA record lookup of the domain name."
  if (uri.port !== undefined) return { kind: 'port', transport: transport!, target, port: uri.port };
  // RFC 3263 §4.2: a transport chosen by the URI but no port: "the client SHOULD perform an SRV query".
  if (transport !== undefined) return { kind: 'srv', transport, target };
  return { kind: 'naptr', target };
}
