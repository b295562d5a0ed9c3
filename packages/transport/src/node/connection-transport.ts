/**
 * What TCP, TLS, WS and WSS share: the connection table and its reuse rules (RFC 3261 §18), idle
 * timeouts, CRLF keep-alives (RFC 5626 §4.4.1), size limits and delivery of parsed messages.
 * @module
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { type ParseOptions, parseMessage, SipParseError, SipStreamFramer } from '@tsvoip/sip';
import { formatHostPort, type TransportAddress, type TransportProtocol } from '../address.js';
import { TransportError } from '../errors.js';
import { stripBrackets } from '../ip.js';
import { Connection, type ConnectionLink } from './connection.js';
import {
  DEFAULT_MAX_MESSAGE_SIZE,
  fromSystemError,
  type SendResult,
  type SendTarget,
  type Transport,
  type TransportEvents,
  type TransportOptions,
} from './transport.js';

/** Options of the connection-oriented transports. */
export interface ConnectionTransportOptions extends TransportOptions {
  /** Close a connection after this long without traffic, in ms (default 120 000). */
  readonly idleTimeoutMs?: number;
  /** Give up connecting (and handshaking) after this long, in ms (default 10 000). */
  readonly connectTimeoutMs?: number;
  /**
   * Send a CRLFCRLF ping on connections we opened after this long without sending, in ms
   * (RFC 5626 §4.4.1, STUN-less). Off when absent.
   */
  readonly keepAliveIntervalMs?: number;
  /** Close the connection when a ping gets no pong within this long, in ms (default 10 000, RFC 5626 §4.4.1). */
  readonly keepAliveTimeoutMs?: number;
}

const CRLF = new Uint8Array([13, 10]);
const CRLFCRLF = new Uint8Array([13, 10, 13, 10]);

/** An IPv4-mapped IPv6 source (`::ffff:192.0.2.1`) written as the IPv4 address. */
export function normalizeAddress(address: string): string {
  const a = stripBrackets(address);
  return a.length > 7 && a.slice(0, 7).toLowerCase() === '::ffff:' && a.includes('.') ? a.slice(7) : a;
}

const remoteKey = (address: string, port: number) => `${normalizeAddress(address)}|${port}`;

/** Base of the stream transports: subclasses provide listening and connecting. */
export abstract class ConnectionTransport extends EventEmitter<TransportEvents> implements Transport {
  /** The protocol carried. */
  readonly protocol: TransportProtocol;
  /** Largest message, in octets. */
  protected readonly maxMessageSize: number;
  /** Connect / handshake timeout, ms. */
  protected readonly connectTimeoutMs: number;
  readonly #parse: ParseOptions;
  readonly #idleTimeoutMs: number;
  readonly #keepAliveIntervalMs: number | undefined;
  readonly #keepAliveTimeoutMs: number;
  readonly #byId = new Map<string, Connection>();
  readonly #byRemote = new Map<string, Connection>();
  readonly #connecting = new Map<string, Promise<Connection>>();
  #timer: NodeJS.Timeout | undefined;
  #nextId = 1;
  /** Set by {@link close}: no new connections. */
  protected closing = false;

  /** Creates the shared state. */
  protected constructor(protocol: TransportProtocol, options: ConnectionTransportOptions) {
    super();
    this.protocol = protocol;
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.#parse = { ...options.parse, maxMessageSize: this.maxMessageSize };
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 120_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.#keepAliveIntervalMs = options.keepAliveIntervalMs;
    this.#keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? 10_000;
  }

  /** The listening address, once listening. */
  abstract get listening(): TransportAddress | undefined;
  /** Starts listening. */
  abstract listen(host: string, port: number): Promise<TransportAddress>;
  /** Opens a connection to `target` (the subclass calls {@link adopt} and resolves with its result). */
  protected abstract connect(target: SendTarget): Promise<Connection>;
  /** Stops the listeners. */
  protected abstract closeListeners(): Promise<void>;

  /** Open connections. */
  get connections(): readonly Connection['info'][] {
    return [...this.#byId.values()].map((c) => c.info);
  }

  /**
   * Registers a new connection. `byteStream` connections get a framer (TCP, TLS); WebSocket ones
   * deliver whole messages through {@link receiveFrame}.
   */
  protected adopt(
    link: ConnectionLink,
    remote: { address: string; port: number },
    local: { address: string; port: number },
    outbound: boolean,
    byteStream: boolean,
    listener?: TransportAddress,
  ): Connection {
    const id = `${this.protocol.toLowerCase()}-${local.port}-${this.#nextId++}`;
    const info = {
      id,
      remote: { transport: this.protocol, host: normalizeAddress(remote.address), port: remote.port },
      local: { transport: this.protocol, host: normalizeAddress(local.address), port: local.port },
      outbound,
    };
    const framer = byteStream ? new SipStreamFramer(this.#parse) : undefined;
    const conn = new Connection(info, link, performance.now(), framer, listener);
    this.#byId.set(id, conn);
    const key = remoteKey(remote.address, remote.port);
    if (!this.#byRemote.has(key)) this.#byRemote.set(key, conn);
    this.#startTimer();
    this.emit('connection', info);
    return conn;
  }

  /** Feeds bytes of a byte stream (TCP, TLS) through the framer. */
  protected receiveBytes(conn: Connection, chunk: Uint8Array): void {
    if (conn.closed) return;
    conn.lastActivity = performance.now();
    let events: ReturnType<SipStreamFramer['push']>;
    try {
      events = conn.framer!.push(chunk);
    } catch (err) {
      if (!(err instanceof SipParseError)) throw err;
      // RFC 3261 §18.3: a stream that cannot be framed cannot be resynchronised: close it.
      const code = err.kind === 'limit' ? 'too-large' : 'protocol';
      this.#fail(conn, new TransportError(code, `${conn.info.id}: ${err.message}`, this.#details(conn, err)));
      return;
    }
    for (const ev of events) {
      if (conn.closed) return;
      switch (ev.type) {
        case 'message':
          this.emit('message', this.#received(conn, ev.message));
          break;
        case 'invalid':
          this.emit('invalid', {
            error: ev.error,
            bytes: ev.bytes,
            source: conn.info.remote,
            connectionId: conn.info.id,
          });
          break;
        case 'ping':
          this.#pong(conn);
          break;
        case 'pong':
          conn.pingSentAt = undefined;
          this.emit('pong', conn.info);
          break;
      }
    }
  }

  /** Handles one WebSocket message: exactly one SIP message or a keep-alive (RFC 7118 §5.2). */
  protected receiveFrame(conn: Connection, data: Uint8Array): void {
    if (conn.closed) return;
    conn.lastActivity = performance.now();
    if (data.length > this.maxMessageSize) {
      this.emit(
        'transportError',
        new TransportError(
          'too-large',
          `${conn.info.id}: dropped a ${data.length}-octet message`,
          this.#details(conn),
        ),
      );
      return;
    }
    if (data.length === 4 && data[0] === 13 && data[1] === 10 && data[2] === 13 && data[3] === 10) {
      this.#pong(conn);
      return;
    }
    if (data.length === 2 && data[0] === 13 && data[1] === 10) {
      conn.pingSentAt = undefined;
      this.emit('pong', conn.info);
      return;
    }
    let message: ReturnType<typeof parseMessage>;
    try {
      message = parseMessage(data, this.#parse);
    } catch (err) {
      if (!(err instanceof SipParseError)) throw err;
      this.emit('invalid', { error: err, bytes: data, source: conn.info.remote, connectionId: conn.info.id });
      return;
    }
    this.emit('message', this.#received(conn, message));
  }

  #received(conn: Connection, message: ReturnType<typeof parseMessage>) {
    return {
      message,
      source: conn.info.remote,
      local: conn.info.local,
      ...(conn.listener ? { listener: conn.listener } : {}),
      connectionId: conn.info.id,
    };
  }

  // RFC 5626 §4.4.1: "When a server receives a double CRLF sequence between SIP messages on a
  // connection-oriented transport [...], it MUST immediately respond with a single CRLF".
  #pong(conn: Connection): void {
    conn.link
      .write(CRLF)
      .catch((err) => this.#fail(conn, fromSystemError(err, this.#remote(conn), conn.info.id)));
  }

  /** Called by the subclass when the link is gone; `err` when it failed. */
  protected linkClosed(conn: Connection, err?: unknown): void {
    if (conn.closed) return;
    conn.closed = true;
    this.#byId.delete(conn.info.id);
    const key = remoteKey(conn.info.remote.host, conn.info.remote.port);
    if (this.#byRemote.get(key) === conn) {
      this.#byRemote.delete(key);
      // Another open connection to the same peer takes over for reuse.
      for (const other of this.#byId.values()) {
        if (remoteKey(other.info.remote.host, other.info.remote.port) === key) {
          this.#byRemote.set(key, other);
          break;
        }
      }
    }
    if (err !== undefined && conn.closeReason === undefined) {
      conn.closeReason = 'error';
      this.emit('transportError', fromSystemError(err, this.#remote(conn), conn.info.id));
    }
    this.emit('close', { ...conn.info, reason: conn.closeReason ?? 'remote' });
    if (this.#byId.size === 0) this.#stopTimer();
  }

  #fail(conn: Connection, error: TransportError): void {
    if (conn.closed) return;
    conn.closeReason ??= 'error';
    this.emit('transportError', error);
    conn.link.destroy();
  }

  #remote(conn: Connection): string {
    return formatHostPort(conn.info.remote.host, conn.info.remote.port);
  }

  #details(conn: Connection, cause?: unknown) {
    return { remote: this.#remote(conn), connectionId: conn.info.id, cause };
  }

  /**
   * Sends one message. Uses `target.connectionId` while that connection is open (RFC 3261
   * §18.2.2: a response goes back over the request's connection), else an open connection to
   * `address:port` (§18: connection reuse), else opens one.
   */
  async send(target: SendTarget, bytes: Uint8Array): Promise<SendResult> {
    const address = normalizeAddress(target.address);
    const remote = formatHostPort(address, target.port);
    if (bytes.length > this.maxMessageSize) {
      throw new TransportError(
        'too-large',
        `message of ${bytes.length} octets over the limit ${this.maxMessageSize}`,
        {
          remote,
        },
      );
    }
    if (this.closing) throw new TransportError('closed', `${this.protocol} transport closed`, { remote });
    let conn = target.connectionId === undefined ? undefined : this.#byId.get(target.connectionId);
    conn ??= this.#byRemote.get(remoteKey(address, target.port));
    if (conn === undefined || conn.closed) conn = await this.#open({ ...target, address });
    try {
      await conn.link.write(bytes);
    } catch (err) {
      throw fromSystemError(err, remote, conn.info.id);
    }
    const now = performance.now();
    conn.lastActivity = now;
    conn.lastSent = now;
    return { connectionId: conn.info.id, local: conn.info.local };
  }

  #open(target: SendTarget): Promise<Connection> {
    const key = remoteKey(target.address, target.port);
    let pending = this.#connecting.get(key);
    if (pending === undefined) {
      pending = this.connect(target).finally(() => this.#connecting.delete(key));
      this.#connecting.set(key, pending);
    }
    return pending;
  }

  /** Closes one connection (reason `local`). */
  closeConnection(id: string): boolean {
    const conn = this.#byId.get(id);
    if (!conn) return false;
    conn.closeReason ??= 'local';
    conn.link.end();
    return true;
  }

  #startTimer(): void {
    if (this.#timer) return;
    const period = Math.max(
      5,
      Math.min(
        this.#idleTimeoutMs,
        this.#keepAliveIntervalMs ?? Number.POSITIVE_INFINITY,
        this.#keepAliveTimeoutMs,
      ) / 4,
    );
    this.#timer = setInterval(() => this.#sweep(performance.now()), period);
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #sweep(now: number): void {
    for (const conn of [...this.#byId.values()]) {
      if (conn.pingSentAt !== undefined && now - conn.pingSentAt > this.#keepAliveTimeoutMs) {
        // RFC 5626 §4.4.1: no pong in time: the flow has failed.
        conn.closeReason = 'keepalive-timeout';
        this.#fail(
          conn,
          new TransportError('timeout', `${conn.info.id}: no keep-alive pong`, this.#details(conn)),
        );
      } else if (now - conn.lastActivity >= this.#idleTimeoutMs) {
        conn.closeReason = 'idle';
        conn.link.destroy();
      } else if (
        conn.info.outbound &&
        this.#keepAliveIntervalMs !== undefined &&
        conn.pingSentAt === undefined &&
        now - conn.lastSent >= this.#keepAliveIntervalMs
      ) {
        conn.pingSentAt = now;
        conn.lastSent = now;
        conn.link
          .write(CRLFCRLF)
          .catch((err) => this.#fail(conn, fromSystemError(err, this.#remote(conn), conn.info.id)));
      }
    }
  }

  /** Closes the listeners and every connection. */
  async close(): Promise<void> {
    this.closing = true;
    this.#stopTimer();
    for (const conn of [...this.#byId.values()]) {
      conn.closeReason ??= 'local';
      conn.link.destroy();
    }
    await this.closeListeners();
  }
}
