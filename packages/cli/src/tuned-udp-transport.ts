/**
 * A UDP transport for load (the `uas` default): `@tsvoip/transport`'s UdpTransport semantics
 * (RFC 3261 §18: one datagram, one message; CRLF keep-alives skipped; unparsable datagrams
 * reported as `invalid`) with two changes that matter above ~1,500 calls/s:
 * - 4 MiB socket buffers (what sipp uses): the kernel default (~208 KiB) overflows during a GC
 *   pause and the peer retransmits;
 * - a synchronous address lookup for IP literals: dgram otherwise defers every send to the next
 *   tick through dns.lookup.
 * Work-around until UdpTransport takes buffer sizes (reported to the transport package).
 */
import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { type ParseOptions, parseMessage, SipParseError } from '@tsvoip/sip';
import {
  DEFAULT_MAX_MESSAGE_SIZE,
  fromSystemError,
  type SendResult,
  type SendTarget,
  type Transport,
  type TransportAddress,
  TransportError,
  type TransportEvents,
} from '@tsvoip/transport';

/** Options of {@link TunedUdpTransport}. */
export interface TunedUdpOptions {
  /** SO_RCVBUF / SO_SNDBUF in bytes (default 4 MiB; the kernel caps it at rmem_max / wmem_max). */
  readonly bufferSize?: number;
  /** Largest datagram accepted or sent (default 65507). */
  readonly maxMessageSize?: number;
}

const MAX_UDP_PAYLOAD = 65507;

function onlyCrlf(b: Uint8Array): boolean {
  if (b.length === 0 || b.length % 2 !== 0) return false;
  for (let i = 0; i < b.length; i += 2) if (b[i] !== 13 || b[i + 1] !== 10) return false;
  return true;
}

/** dns.lookup for names; IP literals answered at once (no deferred send). */
function lookupLiteral(
  address: string,
  family: unknown,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  const f = isIP(address);
  if (f !== 0) {
    callback(null, address, f);
    return;
  }
  import('node:dns').then(
    (dns) => dns.lookup(address, { family: typeof family === 'number' ? family : 0 }, callback),
    (err: Error) => callback(err, '', 0),
  );
}

/** UDP with large buffers and synchronous sends. */
export class TunedUdpTransport extends EventEmitter<TransportEvents> implements Transport {
  /** Always `UDP`. */
  readonly protocol = 'UDP' as const;
  readonly #bufferSize: number;
  readonly #maxSize: number;
  readonly #parse: ParseOptions;
  #socket: Socket | undefined;
  #local: TransportAddress | undefined;
  #result: Promise<SendResult> | undefined;

  /** Creates an unbound transport. */
  constructor(options: TunedUdpOptions = {}) {
    super();
    this.#bufferSize = options.bufferSize ?? 4 * 1024 * 1024;
    this.#maxSize = Math.min(options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE, MAX_UDP_PAYLOAD);
    this.#parse = { maxMessageSize: this.#maxSize, stream: false };
  }

  /** The bound address. */
  get listening(): TransportAddress | undefined {
    return this.#local;
  }

  /** Binds to `host:port`. */
  listen(host: string, port: number): Promise<TransportAddress> {
    if (this.#socket) return Promise.reject(new TransportError('closed', 'UDP transport already bound'));
    const v6 = isIP(host) === 6;
    const socket = createSocket({
      type: v6 ? 'udp6' : 'udp4',
      ipv6Only: v6,
      recvBufferSize: this.#bufferSize,
      sendBufferSize: this.#bufferSize,
      lookup: lookupLiteral as never,
    });
    this.#socket = socket;
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => {
        this.#socket = undefined;
        reject(fromSystemError(err, `${host}:${port}`));
      };
      socket.once('error', onError);
      socket.bind(port, host, () => {
        socket.off('error', onError);
        const a = socket.address();
        const local: TransportAddress = { transport: 'UDP', host: a.address, port: a.port };
        this.#local = local;
        this.#result = Promise.resolve({ local });
        socket.on('message', (msg, rinfo) => this.#receive(msg, rinfo.address, rinfo.port));
        socket.on('error', (err) => this.emit('transportError', fromSystemError(err, `${host}:${port}`)));
        resolve(local);
      });
    });
  }

  #receive(bytes: Buffer, address: string, port: number): void {
    const local = this.#local;
    if (local === undefined) return;
    const source: TransportAddress = { transport: 'UDP', host: address, port };
    if (bytes.length > this.#maxSize) {
      this.emit(
        'transportError',
        new TransportError('too-large', `dropped a ${bytes.length}-octet datagram`, {
          remote: `${address}:${port}`,
        }),
      );
      return;
    }
    if (onlyCrlf(bytes)) return;
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
   * Sends one datagram. Errors of the send itself come back as a `transportError` event (no
   * per-send callback); the returned promise is shared and already resolved.
   */
  send(target: SendTarget, bytes: Uint8Array): Promise<SendResult> {
    const socket = this.#socket;
    const result = this.#result;
    if (socket === undefined || result === undefined)
      return Promise.reject(new TransportError('closed', 'UDP transport not bound'));
    if (bytes.length > this.#maxSize)
      return Promise.reject(
        new TransportError('too-large', `message of ${bytes.length} octets over ${this.#maxSize}`),
      );
    const address = target.address.startsWith('[') ? target.address.slice(1, -1) : target.address;
    socket.send(bytes, target.port, address);
    return result;
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
