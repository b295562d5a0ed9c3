/**
 * A typed event emitter (Node idiom, on top of `node:events`). Listeners run synchronously while
 * the UA core handles an input, so they may call usage methods at once; no I/O happens here.
 */
import { EventEmitter } from 'node:events';

/** Maps event names to listener argument tuples. */
export type EventMap = { [name: string]: unknown[] };

/** An EventEmitter whose event names and listener arguments are typed by `E`. */
export class TypedEmitter<E extends EventMap> {
  readonly #ee = new EventEmitter();

  /** Adds a listener. */
  on<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    this.#ee.on(event, listener as unknown as (...args: unknown[]) => void);
    return this;
  }

  /** Adds a one-shot listener. */
  once<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    this.#ee.once(event, listener as unknown as (...args: unknown[]) => void);
    return this;
  }

  /** Removes a listener. */
  off<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    this.#ee.off(event, listener as unknown as (...args: unknown[]) => void);
    return this;
  }

  /** Number of listeners of an event. */
  listenerCount<K extends keyof E & string>(event: K): number {
    return this.#ee.listenerCount(event);
  }

  /** @internal Emits an event; returns true when it had listeners. */
  emit<K extends keyof E & string>(event: K, ...args: E[K]): boolean {
    return this.#ee.emit(event, ...args);
  }
}
