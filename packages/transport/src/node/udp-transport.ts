/**
 * SIP over UDP (RFC 3261 §18): one datagram, one message.
 * @module
 */
import { createSocket, type RemoteInfo, type Socket, type SocketOptions } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { type ParseOptions, parseMessage, SipParseError } from '@tsvoip/sip';
import { formatHostPort, type TransportAddress } from '../address.js';
import { TransportError } from '../errors.js';
import { isIPv6, stripBrackets } from '../ip.js';
import { ReceiveBatch, SendBatch } from './datagram-batch.js';
import { lookupNumeric } from './numeric-lookup.js';
import {
  DEFAULT_MAX_MESSAGE_SIZE,
  fromSystemError,
  type SendResult,
  type SendTarget,
  type Transport,
  type TransportEvents,
  type TransportOptions,
} from './transport.js';

/** The largest UDP payload over IPv4 (65535 − 8 − 20). */
const MAX_UDP_PAYLOAD = 65507;

/** Options of {@link UdpTransport}. */
export interface UdpTransportOptions extends TransportOptions {
  /**
   * SO_RCVBUF in bytes (default: the kernel's, ~208 KiB on Linux; capped by `net.core.rmem_max`).
   * Under load a small buffer overflows during a GC pause and the peer retransmits.
   */
  readonly receiveBufferSize?: number;
  /** SO_SNDBUF in bytes (default: the kernel's; capped by `net.core.wmem_max`). */
  readonly sendBufferSize?: number;
  /**
   * Send at once, without a promise per send (default false): a numeric address skips
   * `dns.lookup` (which defers every send to the next tick), and every send resolves with one
   * shared, already resolved promise. A send refused before it starts (`closed`, `too-large`)
   * still rejects; a failed name look-up comes as a `transportError` event; an error of the
   * datagram send itself (rare on an unconnected socket) is not reported.
   */
  readonly synchronousSend?: boolean;
  /**
   * Batch datagrams per event-loop turn (default false; needs `synchronousSend`): the datagrams
   * read in one poll phase are parsed and emitted together right after it (`setImmediate`), and
   * what their listeners send leaves together at the end of that pass (copied when sent). Costs
   * up to one turn of latency; saves the cold caches and TLBs that a system call between every
   * two messages' work leaves (see `datagram-batch.ts`). Sends outside a pass leave at once.
   */
  readonly batch?: boolean;
}

/** True when a datagram holds only CRLFs: a keep-alive, not a message. */
function onlyCrlf(b: Uint8Array): boolean {
  if (b.length === 0 || b.length % 2 !== 0) return false;
  for (let i = 0; i < b.length; i += 2) if (b[i] !== 13 || b[i + 1] !== 10) return false;
  return true;
}

/** The UDP transport: bind with {@link listen}, then send and receive datagrams. */
export class UdpTransport extends EventEmitter<TransportEvents> implements Transport {
  /** Always `UDP`. */
  readonly protocol = 'UDP' as const;
  readonly #maxSize: number;
  readonly #parse: ParseOptions;
  readonly #socketOptions: Omit<SocketOptions, 'type' | 'ipv6Only'>;
  readonly #synchronous: boolean;
  readonly #inbox: ReceiveBatch | undefined;
  readonly #outbox = new SendBatch();
  /** True while a batch of received datagrams is handed on: sends are held. */
  #passing = false;
  /** A held datagram, handed on unless the transport was closed meanwhile. */
  readonly #deliver = (msg: Uint8Array, from: RemoteInfo): void => {
    if (this.#socket !== undefined) this.#receive(msg, from.address, from.port);
  };
  /** The promise every synchronous send returns (resolved with the bound address). */
  #sent: Promise<SendResult> | undefined;
  #socket: Socket | undefined;
  #local: TransportAddress | undefined;
  /** Keep-alive datagrams (CRLFs) received and ignored. */
  keepAlivesReceived = 0;

  /** Creates an unbound transport. */
  constructor(options: UdpTransportOptions = {}) {
    super();
    this.#maxSize = Math.min(options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE, MAX_UDP_PAYLOAD);
    this.#parse = { ...options.parse, maxMessageSize: this.#maxSize, stream: false };
    this.#synchronous = options.synchronousSend === true;
    this.#inbox =
      options.batch === true && this.#synchronous
        ? new ReceiveBatch((deliverAll) => this.#pass(deliverAll))
        : undefined;
    this.#socketOptions = {
      ...(options.receiveBufferSize === undefined ? {} : { recvBufferSize: options.receiveBufferSize }),
      ...(options.sendBufferSize === undefined ? {} : { sendBufferSize: options.sendBufferSize }),
      ...(this.#synchronous ? { lookup: lookupNumeric } : {}),
    };
  }

  /** The bound address. */
  get listening(): TransportAddress | undefined {
    return this.#local;
  }

  /** Binds to `host:port` (`127.0.0.1`, `::1`, `0.0.0.0`, `::`; port 0 for any). */
  listen(host: string, port: number): Promise<TransportAddress> {
    if (this.#socket) return Promise.reject(new TransportError('closed', 'UDP transport already bound'));
    const h = stripBrackets(host);
    const socket = createSocket({
      ...this.#socketOptions,
      type: isIPv6(h) ? 'udp6' : 'udp4',
      ipv6Only: isIPv6(h),
    });
    this.#socket = socket;
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => {
        this.#socket = undefined;
        reject(fromSystemError(err, formatHostPort(h, port)));
      };
      socket.once('error', onError);
      socket.bind(port, h, () => {
        socket.off('error', onError);
        const a = socket.address();
        const local: TransportAddress = { transport: 'UDP', host: a.address, port: a.port };
        this.#local = local;
        this.#sent = Promise.resolve({ local });
        const inbox = this.#inbox;
        if (inbox === undefined)
          socket.on('message', (msg, rinfo) => this.#receive(msg, rinfo.address, rinfo.port));
        else socket.on('message', (msg, rinfo) => inbox.add(this.#deliver, msg, rinfo, undefined));
        // Errors on an unconnected UDP socket concern one send; report them, never crash.
        socket.on('error', (err) =>
          this.emit('transportError', fromSystemError(err, formatHostPort(h, port))),
        );
        resolve(local);
      });
    });
  }

  /** Hands a turn's datagrams on, holding the sends they cause until the end. */
  #pass(deliverAll: () => void): void {
    this.#passing = true;
    try {
      deliverAll();
    } finally {
      this.#passing = false;
      this.#outbox.flush();
    }
  }

  #receive(bytes: Uint8Array, address: string, port: number): void {
    const source: TransportAddress = { transport: 'UDP', host: address, port };
    const local = this.#local!;
    if (bytes.length > this.#maxSize) {
      this.emit(
        'transportError',
        new TransportError('too-large', `dropped a ${bytes.length}-octet datagram (limit ${this.#maxSize})`, {
          remote: formatHostPort(address, port),
        }),
      );
      return;
    }
    // RFC 5626 §4.4.1 keep-alives are STUN on UDP, but CRLF keep-alives are common: not messages.
    if (onlyCrlf(bytes)) {
      this.keepAlivesReceived++;
      return;
    }
    let message: ReturnType<typeof parseMessage>;
    try {
      message = parseMessage(bytes, this.#parse);
    } catch (err) {
      if (err instanceof SipParseError) {
        this.emit('invalid', { error: err, bytes, source });
        return;
      }
      throw err;
    }
    this.emit('message', { message, source, local, listener: local });
  }

  /**
   * Sends one datagram. Rejects with `too-large` over the limit, `closed` when not bound; see
   * {@link UdpTransportOptions.synchronousSend} for the other errors in that mode.
   */
  send(target: SendTarget, bytes: Uint8Array): Promise<SendResult> {
    const socket = this.#socket;
    const local = this.#local;
    const address = stripBrackets(target.address);
    if (socket === undefined || local === undefined)
      return Promise.reject(
        new TransportError('closed', 'UDP transport not bound', {
          remote: formatHostPort(address, target.port),
        }),
      );
    if (bytes.length > this.#maxSize) {
      return Promise.reject(
        new TransportError('too-large', `message of ${bytes.length} octets over the limit ${this.#maxSize}`, {
          remote: formatHostPort(address, target.port),
        }),
      );
    }
    if (this.#synchronous) {
      // No callback: dgram emits a look-up failure as 'error' (a `transportError` event).
      if (this.#passing) this.#outbox.add(socket, bytes, target.port, address);
      else socket.send(bytes, target.port, address);
      return this.#sent as Promise<SendResult>;
    }
    return new Promise((resolve, reject) => {
      socket.send(bytes, target.port, address, (err) => {
        if (err) reject(fromSystemError(err, formatHostPort(address, target.port)));
        else resolve({ local });
      });
    });
  }

  /** Closes the socket. */
  close(): Promise<void> {
    const socket = this.#socket;
    // What was sent before the close leaves before it (a pass in progress holds its sends).
    if (this.#outbox.size > 0) this.#outbox.flush();
    this.#socket = undefined;
    this.#local = undefined;
    this.#sent = undefined;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }
}
