/**
 * Runs a sans-IO {@link UserAgentCore} on `@tsvoip/transport`'s Node UDP transport: the one place
 * of the signaling side with a socket and a timer (ONE setTimeout, re-armed for the core's
 * earliest deadline).
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { StackInput, UserAgentCore } from '@tsvoip/stack';
import type { InvalidMessage, ReceivedMessage, Transport } from '@tsvoip/transport';

/** Drives a user agent core with one transport. */
export class SignalingDriver {
  /** The core. */
  readonly core: UserAgentCore;
  readonly #transport: Transport;
  readonly #clock: () => number;
  readonly #detach: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #depth = 0;
  #closed = false;
  readonly #inFlight = new Set<Promise<unknown>>();
  /** Sends that failed (also reported to the transaction). */
  sendErrors = 0;

  constructor(core: UserAgentCore, transport: Transport, clock: () => number = () => performance.now()) {
    this.core = core;
    this.#transport = transport;
    this.#clock = clock;
    const onMessage = (m: ReceivedMessage) =>
      this.#input({
        type: 'message',
        message: m.message,
        source: m.source,
        local: m.local,
        connectionId: m.connectionId,
      });
    const onInvalid = (m: InvalidMessage) =>
      this.#input({
        type: 'datagram',
        bytes: m.bytes,
        source: m.source,
        local: transport.listening ?? m.source,
      });
    transport.on('message', onMessage);
    transport.on('invalid', onInvalid);
    this.#detach = () => {
      transport.off('message', onMessage);
      transport.off('invalid', onInvalid);
    };
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

  /** Stops the timer and detaches from the transport (it does not close it). */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#detach();
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
        const sent = this.#transport
          .send({ address: to.host, port: to.port, connectionId }, bytes)
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
