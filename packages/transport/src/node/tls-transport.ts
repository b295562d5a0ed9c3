/**
 * SIP over TLS (RFC 3261 §26.2; server identity per RFC 5922 through SNI and certificate checks).
 * @module
 */
import type { Server, Socket } from 'node:net';
import { type ConnectionOptions, connect, createServer, type TlsOptions } from 'node:tls';
import { formatHostPort } from '../address.js';
import { isNumericHost } from '../ip.js';
import type { ConnectionTransportOptions } from './connection-transport.js';
import { SocketTransport } from './socket-transport.js';
import { fromSystemError, type SendTarget } from './transport.js';

/** Options of {@link TlsTransport}. */
export interface TlsTransportOptions extends ConnectionTransportOptions {
  /** Server side: key, certificate and the rest (needed to listen). */
  readonly server?: TlsOptions;
  /**
   * Client side: trusted CAs (`ca`), client certificate, `rejectUnauthorized` (default true).
   * Host, port and servername are set per target.
   */
  readonly client?: Omit<ConnectionOptions, 'host' | 'port' | 'servername' | 'socket' | 'path'>;
}

/** The TLS transport: TCP's connection handling over `node:tls`. */
export class TlsTransport extends SocketTransport {
  readonly #options: TlsTransportOptions;

  /** Creates a transport; `server` options are needed to listen. */
  constructor(options: TlsTransportOptions = {}) {
    super('TLS', options);
    this.#options = options;
  }

  /** A `tls.Server`; handshake failures are reported as `transportError` events. */
  protected createServer(): Server {
    const server = createServer(this.#options.server ?? {}, (socket) => this.accept(socket));
    server.on('tlsClientError', (err, socket) =>
      this.emit(
        'transportError',
        fromSystemError(err, formatHostPort(socket.remoteAddress ?? '?', socket.remotePort ?? 0)),
      ),
    );
    return server;
  }

  /**
   * A `tls.TLSSocket` to the target. RFC 5922 §7.2: the certificate is checked against the host
   * name the target was located from (`target.host`), sent as SNI; for a numeric target, against
   * its IP address.
   */
  protected createSocket(target: SendTarget): { socket: Socket; readyEvent: string } {
    const name = target.host !== undefined && !isNumericHost(target.host) ? target.host : undefined;
    const socket = connect({
      ...this.#options.client,
      host: target.address,
      port: target.port,
      ...(name !== undefined ? { servername: name } : {}),
    });
    return { socket, readyEvent: 'secureConnect' };
  }
}
