/**
 * A Node driver for any sans-IO core with the `handleInput(input, now)` / `pollOutput(now)`
 * shape of `@tsvoip/stack` (the {@link UserAgentCore} here): carries transmits to the
 * transports, feeds received messages in, keeps ONE setTimeout for the core's deadline.
 */
import { performance } from 'node:perf_hooks';
import type { StackInput, StackOutput } from '@tsvoip/stack';
import type { InvalidMessage, ReceivedMessage, Transport } from '@tsvoip/transport';

/** What the driver needs of a core. */
export interface SansIoCore {
  /** Feeds an input. */
  handleInput(input: StackInput, now: number): unknown;
  /** Drains outputs. */
  pollOutput(now: number): StackOutput | undefined;
}

/** Drives `core` on `transports`. */
export class CoreDriver {
  readonly #core: SansIoCore;
  readonly #transports = new Map<string, Transport>();
  readonly #detach: Array<() => void> = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #closed = false;

  /** Attaches to the (already listening) transports. */
  constructor(core: SansIoCore, transports: readonly Transport[]) {
    this.#core = core;
    for (const t of transports) {
      this.#transports.set(t.protocol, t);
      const onMessage = (m: ReceivedMessage) =>
        this.input({
          type: 'message',
          message: m.message,
          source: m.source,
          local: m.local,
          connectionId: m.connectionId,
        });
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
  }

  /** Monotonic ms. */
  now(): number {
    return performance.now();
  }

  /** Feeds an input and carries the outputs out. */
  input(input: StackInput, now = this.now()): void {
    if (this.#closed) return;
    this.#core.handleInput(input, now);
    this.flush();
  }

  /**
   * Runs `command` at the current time, then carries the outputs out. The core first gets a
   * `timer` input at that time: the UA core's commands act at the time of its last input, and a
   * stale time would put their deadlines (Timer A...) in the past.
   */
  run<T>(command: (now: number) => T): T {
    const now = this.now();
    if (!this.#closed) this.#core.handleInput({ type: 'timer' }, now);
    const r = command(now);
    this.flush();
    return r;
  }

  /** Carries pending outputs out. */
  flush(): void {
    const now = this.now();
    for (let o = this.#core.pollOutput(now); o !== undefined; o = this.#core.pollOutput(now)) {
      if (o.type === 'timeout') this.#arm(o.at);
      else if (o.type === 'transmit') {
        const { to, bytes, connectionId, transactionId } = o;
        const transport = this.#transports.get(to.transport);
        if (transport === undefined) {
          const error = new Error(`no ${to.transport} transport`);
          queueMicrotask(() => this.input({ type: 'send-failed', transactionId, to, error }));
          continue;
        }
        transport.send({ address: to.host, port: to.port, connectionId }, bytes).catch((error: Error) => {
          // RFC 3261 §17.1.4 / §17.2.4: a failed send is reported to the transaction.
          this.input({ type: 'send-failed', transactionId, to, error });
        });
      }
    }
  }

  /** Stops the timer and detaches from the transports (it does not close them). */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const d of this.#detach) d();
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
        this.input({ type: 'timer' }, Math.max(this.now(), at));
      },
      Math.max(0, at - this.now()),
    );
  }
}
