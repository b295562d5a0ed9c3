/**
 * SIP over TCP (RFC 3261 §18): Content-Length framing, connection reuse, idle timeouts.
 * @module
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { ConnectionTransportOptions } from './connection-transport.js';
import { SocketTransport } from './socket-transport.js';
import type { SendTarget } from './transport.js';

/** The TCP transport. It can send (as a client) without listening. */
export class TcpTransport extends SocketTransport {
  /** Creates a transport; see {@link ConnectionTransportOptions}. */
  constructor(options: ConnectionTransportOptions = {}) {
    super('TCP', options);
  }

  /** A `net.Server` handing each socket to the transport. */
  protected createServer(): Server {
    return createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  /** A `net.Socket` connecting to the target. */
  protected createSocket(target: SendTarget): { socket: Socket; readyEvent: string } {
    return { socket: connect({ host: target.address, port: target.port }), readyEvent: 'connect' };
  }
}
