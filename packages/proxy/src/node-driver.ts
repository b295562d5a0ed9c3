/**
 * The Node driver of a {@link SipProxy}: `@tsvoip/transport`'s Node transports (UDP, TCP, TLS,
 * WS, WSS) in, bytes out, and ONE setTimeout re-armed for the core's earliest deadline.
 */
import { performance } from 'node:perf_hooks';
import type { SipAddress } from '@tsvoip/stack';
import type { InvalidMessage, ReceivedMessage, Transport } from '@tsvoip/transport';
import type { SipProxy } from './proxy.js';

/** Options of {@link NodeProxyDriver}. */
export interface NodeProxyDriverOptions {
  /** Monotonic clock in ms (default `performance.now`). */
  readonly clock?: () => number;
}

/** Runs `proxy` on listening `transports` (one per protocol). */
export class NodeProxyDriver {
  /** The proxy. */
  readonly proxy: SipProxy;
  readonly #transports = new Map<string, Transport>();
  readonly #clock: () => number;
  readonly #detach: Array<() => void> = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #closed = false;

  /** Attaches `proxy` to `transports` (already listening on the proxy's `localAddresses`). */
  constructor(proxy: SipProxy, transports: readonly Transport[], options: NodeProxyDriverOptions = {}) {
    this.proxy = proxy;
    this.#clock = options.clock ?? (() => performance.now());
    for (const t of transports) {
      this.#transports.set(t.protocol, t);
      const onMessage = (m: ReceivedMessage) => {
        if (this.#closed) return;
        // The inbound interface (for Record-Route) is the listener, not a connection's own port.
        const local = m.listener ?? m.local;
        proxy.handleInput(
          m.connectionId === undefined
            ? { type: 'message', message: m.message, source: m.source, local }
            : { type: 'message', message: m.message, source: m.source, local, connectionId: m.connectionId },
          this.#clock(),
        );
      };
      const onInvalid = (m: InvalidMessage) => {
        if (this.#closed) return;
        const local = t.listening ?? m.source;
        proxy.handleInput(
          m.connectionId === undefined
            ? { type: 'datagram', bytes: m.bytes, source: m.source, local }
            : { type: 'stream', bytes: m.bytes, source: m.source, local, connectionId: m.connectionId },
          this.#clock(),
        );
      };
      t.on('message', onMessage);
      t.on('invalid', onInvalid);
      this.#detach.push(() => {
        t.off('message', onMessage);
        t.off('invalid', onInvalid);
      });
    }
    proxy.attach({
      transmit: (o) => this.#send(o.to, o.bytes, o.connectionId, o.transactionId),
      schedule: (at) => this.#arm(at),
      now: () => this.#clock(),
    });
    proxy.flush(this.#clock());
  }

  /** Stops the timer and detaches from the transports (it does not close them). */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const d of this.#detach) d();
  }

  #send(
    to: SipAddress,
    bytes: Uint8Array,
    connectionId: string | undefined,
    transactionId: string | undefined,
  ): void {
    const transport = this.#transports.get(to.transport);
    const fail = (error: Error) => {
      if (!this.#closed)
        this.proxy.handleInput({ type: 'send-failed', transactionId, to, error }, this.#clock());
    };
    if (transport === undefined) {
      queueMicrotask(() => fail(new Error(`no ${to.transport} transport`)));
      return;
    }
    // RFC 3261 §17.1.4 / §17.2.4 / §16.9: a failed send is reported to the transaction.
    transport.send({ address: to.host, port: to.port, connectionId }, bytes).catch(fail);
  }

  #arm(at: number): void {
    if (this.#closed || at === this.#timerAt) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = at;
    if (at === Infinity) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Infinity;
        if (this.#closed) return;
        // A timer may fire a fraction of a millisecond early against the monotonic clock.
        this.proxy.handleInput({ type: 'timer' }, Math.max(this.#clock(), at));
      },
      Math.max(0, at - this.#clock()),
    );
  }
}
