/**
 * Runs a sans-IO {@link UserAgentCore} on `@tsvoip/transport`'s Node transports (UDP, TCP): the one
 * place of the signaling side with sockets and a timer (ONE setTimeout, re-armed for the core's
 * earliest deadline).
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { StackInput, UserAgentCore } from '@tsvoip/stack';
import type { InvalidMessage, ReceivedMessage, Transport } from '@tsvoip/transport';
import { UserAgentError } from './errors.js';

/** Drives a user agent core with its transports (one per protocol). */
export class SignalingDriver {
  /** The core. */
  readonly core: UserAgentCore;
  readonly #transports = new Map<string, Transport>();
  readonly #clock: () => number;
  readonly #detach: Array<() => void> = [];
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #depth = 0;
  #closed = false;
  readonly #inFlight = new Set<Promise<unknown>>();
  /** Sends that failed (also reported to the transaction). */
  sendErrors = 0;

  constructor(
    core: UserAgentCore,
    transports: Transport | readonly Transport[],
    clock: () => number = () => performance.now(),
  ) {
    this.core = core;
    this.#clock = clock;
    for (const t of Array.isArray(transports) ? transports : [transports]) this.#attach(t);
  }

  #attach(transport: Transport): void {
    this.#transports.set(transport.protocol, transport);
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
        local: transport.listening ?? m.source,
        connectionId: m.connectionId,
      });
    transport.on('message', onMessage);
    transport.on('invalid', onInvalid);
    this.#detach.push(() => {
      transport.off('message', onMessage);
      transport.off('invalid', onInvalid);
    });
  }

  /** The clock (ms, monotonic). */
  now(): number {
    return this.#clock();
  }

  /**
   * Runs a command on the core at the current time and carries its outputs out. Inside an event
   * listener (while an input is handled) the command runs at the input's time and its outputs
   * leave with the input's.
   */
  run<T>(command: () => T): T {
    if (this.#depth > 0) return command();
    this.#depth++;
    try {
      this.core.tick(Math.max(this.core.now, this.now()));
      return command();
    } finally {
      this.#depth--;
      this.#flush();
    }
  }

  /** Resolves when every datagram handed to the transport so far has left (or failed). */
  async sent(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }

  /** Stops the timer and detaches from the transports (it does not close them). */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const d of this.#detach.splice(0)) d();
  }

  #input(input: StackInput, now = this.now()): void {
    if (this.#closed) return;
    this.#depth++;
    try {
      this.core.handleInput(input, Math.max(this.core.now, now));
    } finally {
      this.#depth--;
      this.#flush();
    }
  }

  #flush(): void {
    if (this.#depth > 0) return;
    const now = this.core.now;
    for (let o = this.core.pollOutput(now); o !== undefined; o = this.core.pollOutput(now)) {
      if (o.type === 'timeout') this.#arm(o.at);
      else if (o.type === 'transmit') {
        const { to, bytes, connectionId, transactionId } = o;
        if (this.#closed) continue;
        const transport = this.#transports.get(to.transport);
        const sent = (
          transport === undefined
            ? Promise.reject(
                new UserAgentError(`no ${to.transport} transport to reach ${to.host}:${to.port}`),
              )
            : transport.send({ address: to.host, port: to.port, connectionId }, bytes)
        )
          .catch((error: Error) => {
            // RFC 3261 §17.1.4: a failed send is reported to the transaction.
            this.sendErrors++;
            this.#input({ type: 'send-failed', transactionId, to, error });
          })
          .finally(() => this.#inFlight.delete(sent));
        this.#inFlight.add(sent);
      }
    }
  }

  #arm(at: number): void {
    if (this.#closed || at === this.#timerAt) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = at;
    if (at === Number.POSITIVE_INFINITY) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.#input({ type: 'timer' }, Math.max(this.now(), at));
      },
      Math.max(0, at - this.now()),
    );
  }
}
