/**
 * The Node driver: runs one stack core on `@tsvoip/transport`'s Node transports (UDP, TCP, TLS,
 * WS, WSS). The only place with a timer: ONE setTimeout, re-armed for the core's earliest deadline.
 */
import { performance } from 'node:perf_hooks';
import type { InvalidMessage, ReceivedMessage, Transport, TransportAddress } from '@tsvoip/transport';
import type { StackEvent, StackInput } from '../core/io.js';
import type { SipStack } from '../core/stack.js';

/** Options of {@link NodeStackDriver}. */
export interface NodeDriverOptions {
  /** Monotonic clock in ms (default `performance.now`). */
  readonly clock?: () => number;
  /** Receives the core's events; may call {@link NodeStackDriver.run} to answer them. */
  readonly onEvent?: (event: StackEvent, driver: NodeStackDriver) => void;
}

/** Drives `stack` with `transports` (one per transport protocol). */
export class NodeStackDriver {
  /** The core. */
  readonly stack: SipStack;
  readonly #transports = new Map<string, Transport>();
  readonly #clock: () => number;
  readonly #onEvent: ((event: StackEvent, driver: NodeStackDriver) => void) | undefined;
  readonly #detach: Array<() => void> = [];
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #timerAt = Infinity;
  #closed = false;

  /** Starts listening to the transports' events (they should already be listening). */
  constructor(stack: SipStack, transports: readonly Transport[], options: NodeDriverOptions = {}) {
    this.stack = stack;
    this.#clock = options.clock ?? (() => performance.now());
    this.#onEvent = options.onEvent;
    for (const t of transports) {
      this.#transports.set(t.protocol, t);
      const onMessage = (m: ReceivedMessage) =>
        this.#input({
          type: 'message',
          message: m.message,
          source: m.source,
          local: m.local,
          connectionId: m.connectionId,
        });
      // A framed message that did not parse: the core re-parses it to answer 400/505/513 when it can.
      const onInvalid = (m: InvalidMessage) =>
        this.#input({
          type: m.connectionId === undefined ? 'datagram' : 'stream',
          bytes: m.bytes,
          source: m.source,
          local: t.listening ?? m.source,
          connectionId: m.connectionId,
        });
      t.on('message', onMessage);
      t.on('invalid', onInvalid);
      this.#detach.push(() => {
        t.off('message', onMessage);
        t.off('invalid', onInvalid);
      });
    }
  }

  /** The driver's clock (ms). */
  now(): number {
    return this.#clock();
  }

  /** Runs a command on the core at the current time, then carries its outputs out. */
  run<T>(command: (stack: SipStack, now: number) => T): T {
    const r = command(this.stack, this.now());
    this.#flush();
    return r;
  }

  /** Stops the timer and detaches from the transports (it does not close them). */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const d of this.#detach) d();
  }

  #input(input: StackInput, now = this.now()): void {
    if (this.#closed) return;
    this.stack.handleInput(input, now);
    this.#flush();
  }

  #flush(): void {
    const now = this.now();
    for (let o = this.stack.pollOutput(now); o !== undefined; o = this.stack.pollOutput(now)) {
      if (o.type === 'timeout') this.#arm(o.at);
      else if (o.type === 'event') this.#onEvent?.(o.event, this);
      else {
        const { to, bytes, connectionId, transactionId } = o;
        const transport = this.#transports.get(to.transport);
        if (transport === undefined) {
          const error = new Error(`no ${to.transport} transport`);
          queueMicrotask(() => this.#input({ type: 'send-failed', transactionId, to, error }));
          continue;
        }
        transport.send({ address: to.host, port: to.port, connectionId }, bytes).catch((error: Error) => {
          // RFC 3261 §17.1.4 / §17.2.4: a failed send is reported to the transaction.
          this.#input({ type: 'send-failed', transactionId, to, error });
        });
      }
    }
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
        // A timer may fire a fraction of a millisecond early against the monotonic clock.
        this.#input({ type: 'timer' }, Math.max(this.now(), at));
      },
      Math.max(0, at - this.now()),
    );
  }
}

/** The addresses transports listen on, for {@link SipStackOptions.localAddresses}. */
export function listeningAddresses(transports: readonly Transport[]): TransportAddress[] {
  const out: TransportAddress[] = [];
  for (const t of transports) if (t.listening !== undefined) out.push(t.listening);
  return out;
}
