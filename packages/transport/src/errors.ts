/**
 * Typed errors of `@tsvoip/transport`.
 * @module
 */

/** Base class of every error thrown by `@tsvoip/transport`. */
export class TransportPackageError extends Error {
  override name = 'TransportPackageError';
}

/**
 * Why a transport could not carry a message.
 *
 * - `unreachable`: no route to the host, or the name did not resolve.
 * - `refused`: the peer refused the connection (TCP reset, ICMP port unreachable where reported).
 * - `closed`: the connection or the transport was closed before or while sending.
 * - `timeout`: connecting (or the TLS / WebSocket handshake) took longer than allowed.
 * - `too-large`: the message exceeds the configured maximum size (or what the transport can carry).
 * - `protocol`: the peer broke the framing or the handshake (bad stream, no `sip` WebSocket subprotocol).
 */
export type TransportErrorCode = 'unreachable' | 'refused' | 'closed' | 'timeout' | 'too-large' | 'protocol';

/** A failure to send or receive on a SIP transport; `code` says what the caller can do about it. */
export class TransportError extends TransportPackageError {
  override name = 'TransportError';
  /** What went wrong. */
  readonly code: TransportErrorCode;
  /** The remote `address:port` concerned, when known. */
  readonly remote?: string;
  /** The stream connection concerned, when there is one. */
  readonly connectionId?: string;

  /** Creates an error; `cause` keeps the underlying system error, if any. */
  constructor(
    code: TransportErrorCode,
    message: string,
    details: { remote?: string; connectionId?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.remote !== undefined) this.remote = details.remote;
    if (details.connectionId !== undefined) this.connectionId = details.connectionId;
  }
}

/**
 * How a DNS query failed.
 *
 * - `not-found`: the name does not exist (NXDOMAIN).
 * - `no-data`: the name exists but has no record of the type asked (NODATA).
 * - `failure`: the resolver could not answer (server failure, timeout, refused).
 */
export type ResolverErrorCode = 'not-found' | 'no-data' | 'failure';

/** Thrown by a {@link Resolver} when a query yields no records. */
export class ResolverError extends TransportPackageError {
  override name = 'ResolverError';
  /** What went wrong. */
  readonly code: ResolverErrorCode;
  /** The record type asked for (`NAPTR`, `SRV`, `A`, `AAAA`). */
  readonly rrtype: string;
  /** The name queried. */
  readonly query: string;

  /** Creates an error for a query of `rrtype` on `query`. */
  constructor(code: ResolverErrorCode, rrtype: string, query: string, cause?: unknown) {
    super(`${rrtype} ${query}: ${code}`, cause === undefined ? undefined : { cause });
    this.code = code;
    this.rrtype = rrtype;
    this.query = query;
  }
}

/**
 * Why server location failed.
 *
 * - `unsupported-transport`: the URI names a transport this element does not support (RFC 3263 §4.1).
 * - `no-targets`: every lookup came back empty.
 * - `resolver-failure`: the resolver failed (not merely found nothing).
 */
export type LocateErrorCode = 'unsupported-transport' | 'no-targets' | 'resolver-failure';

/** Thrown by {@link locate} when no target can be produced for a URI. */
export class LocateError extends TransportPackageError {
  override name = 'LocateError';
  /** What went wrong. */
  readonly code: LocateErrorCode;

  /** Creates an error; `cause` keeps a {@link ResolverError} when there is one. */
  constructor(code: LocateErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
  }
}

/** Thrown by the simulated network and its clock when a test misuses them (e.g. a run that never idles). */
export class SimulationError extends TransportPackageError {
  override name = 'SimulationError';
}
