/**
 * SIP over UDP (RFC 3261 §18): one datagram, one message.
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { type ParseOptions, parseMessage, SipParseError } from '@tsvoip/sip';
import { formatHostPort, type TransportAddress } from '../address.js';
import { TransportError } from '../errors.js';
import { isIPv6, stripBrackets } from '../ip.js';
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
  #socket: Socket | undefined;
  #local: TransportAddress | undefined;
  /** Keep-alive datagrams (CRLFs) received and ignored. */
  keepAlivesReceived = 0;

  /** Creates an unbound transport. */
  constructor(options: TransportOptions = {}) {
    super();
    this.#maxSize = Math.min(options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE, MAX_UDP_PAYLOAD);
    this.#parse = { ...options.parse, maxMessageSize: this.#maxSize, stream: false };
  }

  /** The bound address. */
  get listening(): TransportAddress | undefined {
    return this.#local;
  }

  /** Binds to `host:port` (`127.0.0.1`, `::1`, `0.0.0.0`, `::`; port 0 for any). */
  listen(host: string, port: number): Promise<TransportAddress> {
    if (this.#socket) return Promise.reject(new TransportError('closed', 'UDP transport already bound'));
    const h = stripBrackets(host);
    const socket = createSocket({ type: isIPv6(h) ? 'udp6' : 'udp4', ipv6Only: isIPv6(h) });
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
        this.#local = { transport: 'UDP', host: a.address, port: a.port };
        socket.on('message', (msg, rinfo) => this.#receive(msg, rinfo.address, rinfo.port));
        // Errors on an unconnected UDP socket concern one send; report them, never crash.
        socket.on('error', (err) =>
          this.emit('transportError', fromSystemError(err, formatHostPort(h, port))),
        );
        resolve(this.#local);
      });
    });
  }

  #receive(bytes: Buffer, address: string, port: number): void {
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

  /** Sends one datagram. Rejects with `too-large` over the limit, `closed` when not bound. */
  send(target: SendTarget, bytes: Uint8Array): Promise<SendResult> {
    const socket = this.#socket;
    const address = stripBrackets(target.address);
    const remote = formatHostPort(address, target.port);
    if (!socket || !this.#local)
      return Promise.reject(new TransportError('closed', 'UDP transport not bound', { remote }));
    if (bytes.length > this.#maxSize) {
      return Promise.reject(
        new TransportError('too-large', `message of ${bytes.length} octets over the limit ${this.#maxSize}`, {
          remote,
        }),
      );
    }
    const local = this.#local;
    return new Promise((resolve, reject) => {
      socket.send(bytes, target.port, address, (err) => {
        if (err) reject(fromSystemError(err, remote));
        else resolve({ local });
      });
    });
  }

  /** Closes the socket. */
  close(): Promise<void> {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#local = undefined;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }
}
