/**
 * Transport addresses as the stack core sees them. Structurally the same as `TransportAddress` of
 * `@tsvoip/transport`, so drivers pass the transport package's addresses straight through.
 */

/** The SIP transports (RFC 3261 §18, RFC 7118 for WS/WSS). */
export type TransportName = 'UDP' | 'TCP' | 'TLS' | 'WS' | 'WSS';

/** A transport endpoint. */
export interface SipAddress {
  /** The transport carrying messages to or from this endpoint. */
  readonly transport: TransportName;
  /** An IP address (IPv6 without brackets) or, before resolution, a host name. */
  readonly host: string;
  /** The port. */
  readonly port: number;
}

/**
 * True for the reliable transports (RFC 3261 §17: timers A, E, G are not started and D, I, J, K
 * are zero over them).
 */
export function isReliable(t: TransportName): boolean {
  return t !== 'UDP';
}

/** The default port of a transport (RFC 3261 §19.1.2: 5060, 5061 for TLS; RFC 7118: 80/443 for WS). */
export function defaultPort(t: TransportName): number {
  switch (t) {
    case 'TLS':
      return 5061;
    case 'WS':
      return 80;
    case 'WSS':
      return 443;
    default:
      return 5060;
  }
}

/** Parses a Via transport token (already upper-cased by the parser) into a {@link TransportName}. */
export function transportOf(token: string): TransportName | undefined {
  switch (token) {
    case 'UDP':
    case 'TCP':
    case 'TLS':
    case 'WS':
    case 'WSS':
      return token;
    default:
      return undefined;
  }
}

/** Removes the brackets of an IPv6 reference (`[::1]` → `::1`). */
export function stripBrackets(host: string): string {
  return host.charCodeAt(0) === 0x5b && host.charCodeAt(host.length - 1) === 0x5d ? host.slice(1, -1) : host;
}

/** Formats a host for a Via sent-by or a URI: IPv6 addresses get their brackets. */
export function bracketHost(host: string): string {
  return host.includes(':') && host.charCodeAt(0) !== 0x5b ? `[${host}]` : host;
}
