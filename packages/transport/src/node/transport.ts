/**
 * The one interface every Node socket transport (UDP, TCP, TLS, WS, WSS) implements, and the events
 * it emits.
 * @module
 */
import type { EventEmitter } from 'node:events';
import type { ParseOptions, SipMessage, SipParseError } from '@tsvoip/sip';
import type { TransportAddress, TransportProtocol } from '../address.js';
import { TransportError, type TransportErrorCode } from '../errors.js';

/** Where to send a message. */
export interface SendTarget {
  /** Destination IP address (IPv6 without brackets). */
  readonly address: string;
  /** Destination port. */
  readonly port: number;
  /**
   * The connection a request came in on: a response goes back over it while it is open
   * (RFC 3261 §18.2.2); otherwise a connection to address:port is reused or opened.
   */
  readonly connectionId?: string;
  /** The host name, for TLS server name indication and certificate checks, and the WS Host header. */
  readonly host?: string;
}

/** What a send did. */
export interface SendResult {
  /** The connection used (streams only). */
  readonly connectionId?: string;
  /** The local address the message left from. */
  readonly local: TransportAddress;
}

/** A message received and parsed. */
export interface ReceivedMessage {
  /** The parsed message. */
  readonly message: SipMessage;
  /** Who sent it: the packet's source address and port (for Via received/rport, RFC 3261 §18.2.1). */
  readonly source: TransportAddress;
  /** The local socket address it arrived on. */
  readonly local: TransportAddress;
  /** The listening address, when it arrived on a listener (or a connection accepted by one). */
  readonly listener?: TransportAddress;
  /** The stream connection it arrived on (send responses back with it, RFC 3261 §18.2.2). */
  readonly connectionId?: string;
}

/** A message that was framed but did not parse; a UAS may answer a request with `error.status`. */
export interface InvalidMessage {
  /** Why it failed. */
  readonly error: SipParseError;
  /** The raw message. */
  readonly bytes: Uint8Array;
  /** Who sent it. */
  readonly source: TransportAddress;
  /** The stream connection, if any. */
  readonly connectionId?: string;
}

/** A stream connection that opened or closed. */
export interface ConnectionInfo {
  /** Its identifier, unique within the transport. */
  readonly id: string;
  /** The peer. */
  readonly remote: TransportAddress;
  /** Our end. */
  readonly local: TransportAddress;
  /** True when we opened it. */
  readonly outbound: boolean;
}

/** Why a connection closed. */
export type CloseReason = 'idle' | 'remote' | 'error' | 'local' | 'keepalive-timeout';

/** The events of a {@link Transport}. */
export interface TransportEvents {
  /** A message arrived. */
  message: [ReceivedMessage];
  /** A message arrived but failed to parse. */
  invalid: [InvalidMessage];
  /**
   * A non-fatal problem: an oversized or unframeable input dropped, a connection failing. Named
   * `transportError` (not `error`) so that an unlistened problem never throws.
   */
  transportError: [TransportError];
  /** A stream connection opened. */
  connection: [ConnectionInfo];
  /** A stream connection closed. */
  close: [ConnectionInfo & { readonly reason: CloseReason }];
  /** A CRLF keep-alive pong arrived (RFC 5626 §4.4.1). */
  pong: [ConnectionInfo];
}

/** A SIP transport driver. */
export interface Transport extends EventEmitter<TransportEvents> {
  /** The protocol carried. */
  readonly protocol: TransportProtocol;
  /** The listening address, once {@link listen} has resolved. */
  readonly listening: TransportAddress | undefined;
  /** Binds (UDP) or starts listening (streams) on `host:port` (port 0 for any). */
  listen(host: string, port: number): Promise<TransportAddress>;
  /** Sends one serialized message; rejects with a {@link TransportError}. */
  send(target: SendTarget, bytes: Uint8Array): Promise<SendResult>;
  /** Closes listeners and every connection. */
  close(): Promise<void>;
}

/** Options shared by every transport. */
export interface TransportOptions {
  /** Largest message sent or received, in octets (default 65535). Larger inputs are dropped with a `too-large` error. */
  readonly maxMessageSize?: number;
  /** Parser limits (the transport's `maxMessageSize` wins). */
  readonly parse?: ParseOptions;
}

/** The default {@link TransportOptions.maxMessageSize}. */
export const DEFAULT_MAX_MESSAGE_SIZE = 65535;

/** Maps a Node system error (or a `ws` / TLS error) to a {@link TransportErrorCode}. */
export function systemErrorCode(err: unknown): TransportErrorCode {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return 'too-large';
    if (code.startsWith('WS_ERR_') || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_'))
      return 'protocol';
    if (code.includes('CERT') || code.includes('SELF_SIGNED') || code.startsWith('UNABLE_TO_'))
      return 'protocol';
  }
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EADDRNOTAVAIL':
    case 'EAI_AGAIN':
      return 'unreachable';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'EMSGSIZE':
      return 'too-large';
    default:
      return 'closed';
  }
}

/** Wraps a Node error as a {@link TransportError}. */
export function fromSystemError(err: unknown, remote: string, connectionId?: string): TransportError {
  if (err instanceof TransportError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new TransportError(systemErrorCode(err), `${remote}: ${message}`, {
    remote,
    connectionId,
    cause: err,
  });
}
