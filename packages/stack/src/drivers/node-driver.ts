/**
 * The Node driver of every sans-IO core with the stack's `handleInput(input, now)` /
 * `pollOutput(now)` shape ({@link SipStack}, `UserAgentCore`, a proxy): runs it on
 * `@tsvoip/transport`'s Node transports (UDP, TCP, TLS, WS, WSS). Received messages go in,
 * transmits go out, and ONE setTimeout is re-armed for the core's earliest deadline: the only
 * timer of the core.
 * @module
 */
import { performance } from 'node:perf_hooks';
import {
  type InvalidMessage,
  type ReceivedMessage,
  type SendResult,
  type Transport,
  type TransportAddress,
  TransportError,
} from '@tsvoip/transport';
import type {
  ReceiveInput,
  ReceiveMessageInput,
  SendFailedInput,
  TimeoutOutput,
  TimerInput,
  TransmitOutput,
} from '../core/io.js';
import type { SipStack } from '../core/stack.js';

/** What the driver feeds a core: received bytes or messages, timer expiries, send failures. */
export type DriverInput = ReceiveInput | ReceiveMessageInput | TimerInput | SendFailedInput;

/** What the driver drains from a core; events go to {@link NodeDriverOptions.onEvent}. */
export type DriverOutput<E = unknown> =
  | TransmitOutput
  | TimeoutOutput
  | { readonly type: 'event'; readonly event: E };

/** What the driver needs of a core (a {@link SipStack}, a `UserAgentCore`, a `ProxyCore`...). */
export interface SansIoCore {
  /** Feeds one input at `now` (ms). */
  handleInput(input: DriverInput, now: number): unknown;
  /** The next output, or undefined when drained. */
  pollOutput(now: number): DriverOutput | undefined;
}

/** The events a core emits (the `event` of its `type: 'event'` outputs). */
export type CoreEvent<C extends SansIoCore> =
  Extract<ReturnType<C['pollOutput']>, { readonly type: 'event' }> extends { readonly event: infer E }
    ? E
    : never;

/** Options of {@link NodeStackDriver}. */
export interface NodeDriverOptions<C extends SansIoCore = SipStack> {
  /** Monotonic clock in ms (default `performance.now`). */
  readonly clock?: () => number;
  /** Receives the core's events; may call {@link NodeStackDriver.run} to answer them. */
  readonly onEvent?: (event: CoreEvent<C>, driver: NodeStackDriver<C>) => void;
  /**
   * The `local` address of a received message: `socket` (default), the socket it arrived on, or
   * `listener`, the listening address when it has one (a proxy's Record-Route names the
   * listener, not an accepted connection's own address).
   */
  readonly local?: 'socket' | 'listener';
  /** Keep every send in flight so that {@link NodeStackDriver.sent} can await them (default false). */
  readonly trackSends?: boolean;
}

const TIMER: TimerInput = { type: 'timer' };

/**
 * Drives `core` with `transports` (one per transport protocol; they should already be listening).
 * Re-entrant: a command run while an input is handled (from an event listener) acts at that
 * input's time and its outputs leave with the input's.
 */
export class NodeStackDriver<C extends SansIoCore = SipStack> {
  /** The core. */
  readonly core: C;
  /** Sends that failed (each also reported to the core as a `send-failed` input). */
  sendErrors = 0;
  readonly #transports = new Map<string, Transport>();
  readonly #clock: () => number;
  readonly #onEvent: ((event: CoreEvent<C>, driver: NodeStackDriver<C>) => void) | undefined;
  readonly #detach: Array<() => void> = [];
  readonly #inFlight: Set<Promise<unknown>> | undefined;
  #lastSent: Promise<SendResult> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #timerAt = Infinity;
  /** The time of the last input (ms): the core's clock never goes back. */
  #now = -Infinity;
  /** > 0 while an input or a command is handled or the outputs drained. */
  #depth = 0;
  #closed = false;

  /** Starts listening to the transports' events. */
  constructor(core: C, transports: Transport | readonly Transport[], options: NodeDriverOptions<C> = {}) {
    this.core = core;
    this.#clock = options.clock ?? (() => performance.now());
    this.#onEvent = options.onEvent;
    this.#inFlight = options.trackSends === true ? new Set() : undefined;
    const listener = options.local === 'listener';
    for (const t of Array.isArray(transports) ? transports : [transports as Transport])
      this.#attach(t, listener);
  }

  #attach(t: Transport, listener: boolean): void {
    this.#transports.set(t.protocol, t);
    const onMessage = listener
      ? (m: ReceivedMessage) =>
          this.input({
            type: 'message',
            message: m.message,
            source: m.source,
            local: m.listener ?? m.local,
            connectionId: m.connectionId,
          })
      : (m: ReceivedMessage) =>
          this.input({
            type: 'message',
            message: m.message,
            source: m.source,
            local: m.local,
            connectionId: m.connectionId,
          });
    // A framed message that did not parse: the core re-parses it to answer 400/505/513 when it can.
    const onInvalid = (m: InvalidMessage) =>
      this.input({
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

  /** The driver's clock (ms). */
  now(): number {
    return this.#clock();
  }

  /** Feeds an input (at the current time by default), then carries the outputs out. */
  input(input: DriverInput, now = this.#clock()): void {
    if (this.#closed) return;
    if (now < this.#now) now = this.#now;
    else this.#now = now;
    if (this.#depth > 0) {
      // Inside a command or a drain: the outer drain carries the outputs out.
      this.core.handleInput(input, now);
      return;
    }
    this.#depth = 1;
    try {
      this.core.handleInput(input, now);
    } finally {
      this.#drain(now);
    }
  }

  /**
   * Runs a command on the core at the current time, then carries its outputs out. The core first
   * gets a `timer` input at that time: what is due runs first, and a core whose commands act at
   * the time of its last input (`UserAgentCore`) does not put new deadlines in the past.
   */
  run<T>(command: (core: C, now: number) => T): T {
    if (this.#depth > 0) return command(this.core, this.#now);
    const now = Math.max(this.#clock(), this.#now);
    this.#now = now;
    this.#depth = 1;
    try {
      if (!this.#closed) this.core.handleInput(TIMER, now);
      return command(this.core, now);
    } finally {
      this.#drain(now);
    }
  }

  /**
   * Hands one transmit to its transport; a failure comes back to the core as a `send-failed`
   * input (RFC 3261 §17.1.4, §17.2.4). For cores that push outputs instead of being polled.
   */
  transmit(o: TransmitOutput): void {
    if (this.#closed) return;
    const to = o.to;
    const transport = this.#transports.get(to.transport);
    if (transport === undefined) {
      const error = new TransportError(
        'unreachable',
        `no ${to.transport} transport to reach ${to.host}:${to.port}`,
      );
      // Reported after the drain in progress, like a failed send.
      queueMicrotask(() => this.#sendFailed(o, error));
      return;
    }
    const sent = transport.send({ address: to.host, port: to.port, connectionId: o.connectionId }, o.bytes);
    // A transport that resolves every send with one shared, already resolved promise
    // (UdpTransport's `synchronousSend`) has nothing more to report through it: one handler is enough.
    if (sent === this.#lastSent) return;
    this.#lastSent = sent;
    const done = sent.catch((error: Error) => this.#sendFailed(o, error));
    const inFlight = this.#inFlight;
    if (inFlight !== undefined) {
      inFlight.add(done);
      done.finally(() => inFlight.delete(done));
    }
  }

  /** Arms the timer for `at` (Infinity: none). For cores that push outputs instead of being polled. */
  schedule(at: number): void {
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
        this.input(TIMER, Math.max(this.#clock(), at));
      },
      Math.max(0, at - this.#clock()),
    );
  }

  /** Resolves when every send handed to a transport so far has left or failed (`trackSends`). */
  async sent(): Promise<void> {
    if (this.#inFlight !== undefined) await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * Stops the timer and detaches from the transports (it does not close them). Afterwards no input
   * reaches the core and transmits are dropped.
   */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const d of this.#detach.splice(0)) d();
  }

  #sendFailed(o: TransmitOutput, error: Error): void {
    this.sendErrors++;
    // RFC 3261 §17.1.4 / §17.2.4: a failed send is reported to the transaction.
    this.input({ type: 'send-failed', transactionId: o.transactionId, to: o.to, error });
  }

  /** Carries the core's outputs out, then leaves the handling (`#depth` back to 0). */
  #drain(now: number): void {
    try {
      const core = this.core;
      for (let o = core.pollOutput(now); o !== undefined; o = core.pollOutput(now)) {
        if (o.type === 'transmit') this.transmit(o);
        else if (o.type === 'timeout') this.schedule(o.at);
        else this.#onEvent?.(o.event as CoreEvent<C>, this);
      }
    } finally {
      this.#depth = 0;
    }
  }
}

/** The addresses transports listen on, for {@link SipStackOptions.localAddresses}. */
export function listeningAddresses(transports: readonly Transport[]): TransportAddress[] {
  const out: TransportAddress[] = [];
  for (const t of transports) if (t.listening !== undefined) out.push(t.listening);
  return out;
}
