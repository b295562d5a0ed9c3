/**
 * SIP over WebSocket (RFC 7118): WS and WSS listeners and clients through the `ws` package.
 * Each WebSocket message carries exactly one SIP message (RFC 7118 §5.2), text or binary.
 * @module
 */
import { isUtf8 } from 'node:buffer';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { ConnectionOptions, TlsOptions } from 'node:tls';
import { type ClientOptions, type RawData, WebSocket, WebSocketServer } from 'ws';
import { formatHostPort, type TransportAddress } from '../address.js';
import { TransportError } from '../errors.js';
import { isNumericHost } from '../ip.js';
import type { Connection, ConnectionLink } from './connection.js';
import { ConnectionTransport, type ConnectionTransportOptions } from './connection-transport.js';
import { listenServer } from './listen-server.js';
import { fromSystemError, type SendTarget } from './transport.js';

/** The WebSocket subprotocol of SIP (RFC 7118 §4). */
export const SIP_SUBPROTOCOL = 'sip';

/** Options of {@link WsTransport}. */
export interface WsTransportOptions extends ConnectionTransportOptions {
  /** WSS (WebSocket over TLS) instead of WS. */
  readonly secure?: boolean;
  /** WSS server side: key and certificate (needed to listen with `secure`). */
  readonly server?: TlsOptions;
  /** WSS client side: trusted CAs, `rejectUnauthorized`... */
  readonly client?: Omit<ConnectionOptions, 'host' | 'port' | 'servername' | 'socket' | 'path'>;
  /** Resource path clients connect to (default `/`). */
  readonly path?: string;
  /** Frame type for sent messages: `auto` (text when the bytes are UTF-8, else binary; default), `text`, `binary`. */
  readonly frames?: 'auto' | 'text' | 'binary';
}

/** True when an Upgrade request offers the `sip` subprotocol (RFC 7118 §4.1). */
export function offersSipSubprotocol(header: string | string[] | undefined): boolean {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  for (const v of values) for (const p of v.split(',')) if (p.trim() === SIP_SUBPROTOCOL) return true;
  return false;
}

/** The WS / WSS transport. */
export class WsTransport extends ConnectionTransport {
  readonly #options: WsTransportOptions;
  readonly #wss: WebSocketServer;
  #server: Server | undefined;
  #listening: TransportAddress | undefined;

  /** Creates a transport; with `secure`, it is WSS and needs `server` options to listen. */
  constructor(options: WsTransportOptions = {}) {
    super(options.secure ? 'WSS' : 'WS', options);
    this.#options = options;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.maxMessageSize,
      clientTracking: false,
      handleProtocols: (protocols) => (protocols.has(SIP_SUBPROTOCOL) ? SIP_SUBPROTOCOL : false),
    });
  }

  /** The listening address. */
  get listening(): TransportAddress | undefined {
    return this.#listening;
  }

  /** Listens for WebSocket upgrades on `host:port`; plain HTTP requests get 426. */
  async listen(host: string, port: number): Promise<TransportAddress> {
    if (this.#server) throw new TransportError('closed', `${this.protocol} transport already listening`);
    const server = this.#options.secure ? createHttpsServer(this.#options.server ?? {}) : createHttpServer();
    this.#server = server;
    server.on('request', (_req, res) => {
      res.writeHead(426, { Connection: 'close', Upgrade: 'websocket' }).end();
    });
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) =>
      this.#upgrade(req, socket, head),
    );
    server.on('tlsClientError', (err: Error, socket: Socket) =>
      this.emit(
        'transportError',
        fromSystemError(err, formatHostPort(socket.remoteAddress ?? '?', socket.remotePort ?? 0)),
      ),
    );
    const bound = await listenServer(server, host, port).catch((err: unknown) => {
      this.#server = undefined;
      throw err;
    });
    this.#listening = { transport: this.protocol, host: bound.host, port: bound.port };
    return this.#listening;
  }

  #upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const remote = formatHostPort(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    if (this.closing) {
      socket.destroy();
      return;
    }
    // RFC 7118 §4.1: the handshake must negotiate the "sip" subprotocol; refuse one that does not.
    if (!offersSipSubprotocol(req.headers['sec-websocket-protocol'])) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      this.emit(
        'transportError',
        new TransportError('protocol', `${remote}: WebSocket upgrade without the sip subprotocol`, {
          remote,
        }),
      );
      return;
    }
    const remoteAddr = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    const localAddr = { address: socket.localAddress ?? '', port: socket.localPort ?? 0 };
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#wire(ws, remoteAddr, localAddr, false, this.#listening);
    });
  }

  #wire(
    ws: WebSocket,
    remote: { address: string; port: number },
    local: { address: string; port: number },
    outbound: boolean,
    listener?: TransportAddress,
  ): Connection {
    const frames = this.#options.frames ?? 'auto';
    const link: ConnectionLink = {
      write: (bytes) =>
        new Promise<void>((resolve, reject) => {
          if (ws.readyState !== WebSocket.OPEN) {
            reject(new TransportError('closed', 'WebSocket not open'));
            return;
          }
          const binary = frames === 'binary' || (frames === 'auto' && !isUtf8(bytes));
          ws.send(bytes, { binary }, (err) => (err ? reject(err) : resolve()));
        }),
      end: () => ws.close(1000),
      destroy: () => ws.terminate(),
    };
    const conn = this.adopt(link, remote, local, outbound, false, listener);
    let failure: Error | undefined;
    ws.on('message', (data: RawData) => {
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : data;
      this.receiveFrame(conn, bytes);
    });
    ws.on('error', (err) => {
      failure = err;
    });
    ws.on('close', () => this.linkClosed(conn, failure));
    return conn;
  }

  /** Opens a WebSocket to `ws[s]://address:port/path` offering the `sip` subprotocol (RFC 7118 §4.1). */
  protected connect(target: SendTarget): Promise<Connection> {
    const scheme = this.#options.secure ? 'wss' : 'ws';
    const hostPart = formatHostPort(target.address, target.port);
    const remote = formatHostPort(target.address, target.port);
    const name = target.host !== undefined && !isNumericHost(target.host) ? target.host : undefined;
    const ws = new WebSocket(`${scheme}://${hostPart}${this.#options.path ?? '/'}`, SIP_SUBPROTOCOL, {
      ...this.#options.client,
      maxPayload: this.maxMessageSize,
      handshakeTimeout: this.connectTimeoutMs,
      perMessageDeflate: false,
      // RFC 5922 §7.2 (by analogy for WSS): check the certificate against the located host name.
      ...(name !== undefined ? { servername: name } : {}),
    } as ClientOptions);
    return new Promise((resolve, reject) => {
      let socket: Socket | undefined;
      const fail = (err: unknown) => {
        cleanup();
        ws.terminate();
        reject(err instanceof TransportError ? err : fromSystemError(err, remote));
      };
      const onUpgrade = (res: IncomingMessage) => {
        socket = res.socket as Socket;
      };
      const onUnexpected = (_req: unknown, res: IncomingMessage) =>
        fail(
          new TransportError('protocol', `${remote}: WebSocket handshake answered ${res.statusCode}`, {
            remote,
          }),
        );
      const onOpen = () => {
        cleanup();
        if (this.closing) {
          ws.terminate();
          reject(new TransportError('closed', `${this.protocol} transport closed`, { remote }));
          return;
        }
        const local = { address: socket?.localAddress ?? '', port: socket?.localPort ?? 0 };
        resolve(this.#wire(ws, { address: target.address, port: target.port }, local, true));
      };
      const cleanup = () => {
        ws.off('upgrade', onUpgrade);
        ws.off('unexpected-response', onUnexpected);
        ws.off('open', onOpen);
        ws.off('error', fail);
      };
      ws.on('upgrade', onUpgrade);
      ws.on('unexpected-response', onUnexpected);
      ws.on('open', onOpen);
      ws.on('error', fail);
    });
  }

  /** Stops listening. */
  protected closeListeners(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#listening = undefined;
    if (!server?.listening) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
