/**
 * What TCP and TLS share: a `net.Server`-like listener and sockets carrying a byte stream.
 * @module
 */
import type { Server, Socket } from 'node:net';
import { formatHostPort, type TransportAddress, type TransportProtocol } from '../address.js';
import { TransportError } from '../errors.js';
import type { Connection } from './connection.js';
import { ConnectionTransport, type ConnectionTransportOptions } from './connection-transport.js';
import { listenServer } from './listen-server.js';
import { socketLink, whenConnected } from './socket-link.js';
import { fromSystemError, type SendTarget } from './transport.js';

/** Base of {@link TcpTransport} and {@link TlsTransport}. */
export abstract class SocketTransport extends ConnectionTransport {
  #server: Server | undefined;
  #listening: TransportAddress | undefined;

  /** Creates the shared state. */
  protected constructor(protocol: TransportProtocol, options: ConnectionTransportOptions) {
    super(protocol, options);
  }

  /** Creates the listening server; it must call {@link accept} with each ready socket. */
  protected abstract createServer(): Server;
  /** Starts connecting to `target`; `readyEvent` is the socket event that says it is usable. */
  protected abstract createSocket(target: SendTarget): { socket: Socket; readyEvent: string };

  /** The listening address. */
  get listening(): TransportAddress | undefined {
    return this.#listening;
  }

  /** Listens on `host:port` (port 0 for any). */
  async listen(host: string, port: number): Promise<TransportAddress> {
    if (this.#server) throw new TransportError('closed', `${this.protocol} transport already listening`);
    const server = this.createServer();
    this.#server = server;
    const bound = await listenServer(server, host, port).catch((err: unknown) => {
      this.#server = undefined;
      throw err;
    });
    this.#listening = { transport: this.protocol, host: bound.host, port: bound.port };
    return this.#listening;
  }

  /** Registers an accepted, ready socket. */
  protected accept(socket: Socket): void {
    if (this.closing) socket.destroy();
    else this.#wire(socket, false, this.#listening);
  }

  #wire(socket: Socket, outbound: boolean, listener?: TransportAddress): Connection {
    socket.setNoDelay(true);
    const conn = this.adopt(
      socketLink(socket),
      { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
      { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
      outbound,
      true,
      listener,
    );
    let failure: Error | undefined;
    socket.on('data', (chunk: Buffer) => this.receiveBytes(conn, chunk));
    socket.on('error', (err) => {
      failure = err;
    });
    socket.on('close', () => this.linkClosed(conn, failure));
    return conn;
  }

  /** Opens a connection to `target`. */
  protected async connect(target: SendTarget): Promise<Connection> {
    const remote = formatHostPort(target.address, target.port);
    const { socket, readyEvent } = this.createSocket(target);
    try {
      await whenConnected(socket, readyEvent, this.connectTimeoutMs, remote);
    } catch (err) {
      throw fromSystemError(err, remote);
    }
    if (this.closing) {
      socket.destroy();
      throw new TransportError('closed', `${this.protocol} transport closed`, { remote });
    }
    return this.#wire(socket, true);
  }

  /** Stops listening. */
  protected closeListeners(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#listening = undefined;
    if (!server?.listening) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
