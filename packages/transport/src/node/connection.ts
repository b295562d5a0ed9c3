/**
 * One stream connection (TCP, TLS, WS, WSS) as the transports see it.
 * @module
 */
import type { SipStreamFramer } from '@tsvoip/sip';
import type { TransportAddress } from '../address.js';
import type { CloseReason, ConnectionInfo } from './transport.js';

/** The I/O of one connection, provided by the socket-specific code. */
export interface ConnectionLink {
  /** Writes one message (a WebSocket link sends it as one frame); resolves when handed to the OS. */
  write(bytes: Uint8Array): Promise<void>;
  /** Closes gracefully. */
  end(): void;
  /** Closes at once. */
  destroy(): void;
}

/** The state a transport keeps per connection. */
export class Connection {
  /** Identity, endpoints and direction. */
  readonly info: ConnectionInfo;
  /** The listener that accepted it, for inbound connections. */
  readonly listener: TransportAddress | undefined;
  /** Its I/O. */
  readonly link: ConnectionLink;
  /** Stream framer (byte streams only; WebSocket frames carry whole messages). */
  readonly framer: SipStreamFramer | undefined;
  /** Last time (driver clock, ms) a message was sent or anything was received. */
  lastActivity: number;
  /** Last time a message or keep-alive was sent. */
  lastSent: number;
  /** When the outstanding keep-alive ping was sent, if one is outstanding. */
  pingSentAt: number | undefined;
  /** Why it is closing, once decided here (otherwise the peer closed it). */
  closeReason: CloseReason | undefined;
  /** True once closed and forgotten. */
  closed = false;

  /** Creates the state of a new connection at time `now`. */
  constructor(
    info: ConnectionInfo,
    link: ConnectionLink,
    now: number,
    framer: SipStreamFramer | undefined,
    listener: TransportAddress | undefined,
  ) {
    this.info = info;
    this.link = link;
    this.framer = framer;
    this.listener = listener;
    this.lastActivity = now;
    this.lastSent = now;
  }
}
