/**
 * Transport names and addresses shared by every part of the package.
 * @module
 */

/** The SIP transports this package knows (RFC 3261 §18, RFC 7118 for WS/WSS). */
export type TransportProtocol = 'UDP' | 'TCP' | 'TLS' | 'WS' | 'WSS';

/** Every {@link TransportProtocol}, in a stable order. */
export const TRANSPORT_PROTOCOLS: readonly TransportProtocol[] = ['UDP', 'TCP', 'TLS', 'WS', 'WSS'];

/** A transport endpoint: what a Via sent-by or a socket address names. */
export interface TransportAddress {
  /** The transport carrying messages to or from this endpoint. */
  readonly transport: TransportProtocol;
  /** An IP address (IPv6 without brackets) or, before resolution, a host name. */
  readonly host: string;
  /** The port. */
  readonly port: number;
}

/** True for the connection-oriented, reliable transports (RFC 3261 §18: TCP, TLS; RFC 7118: WS, WSS). */
export function isStreamTransport(t: TransportProtocol): boolean {
  return t !== 'UDP';
}

/** True for the transports secured by TLS (a `sips` URI needs one of these, RFC 3261 §26.2.2). */
export function isSecureTransport(t: TransportProtocol): boolean {
  return t === 'TLS' || t === 'WSS';
}

/** Parses a transport token case-insensitively (`udp`, `TCP`, `ws`...); `undefined` if unknown. */
export function parseTransportProtocol(token: string): TransportProtocol | undefined {
  switch (token.toUpperCase()) {
    case 'UDP':
      return 'UDP';
    case 'TCP':
      return 'TCP';
    case 'TLS':
      return 'TLS';
    case 'WS':
      return 'WS';
    case 'WSS':
      return 'WSS';
    default:
      return undefined;
  }
}

/** Formats `host:port`, bracketing an IPv6 address (`[::1]:5060`). */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') && host.charCodeAt(0) !== 0x5b ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A stable key for an address: `UDP 127.0.0.1:5060`. */
export function addressKey(a: TransportAddress): string {
  return `${a.transport} ${formatHostPort(a.host, a.port)}`;
}
