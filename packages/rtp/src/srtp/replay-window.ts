/** Outcome of {@link ReplayWindow.check}. */
export type ReplayCheck = 'new' | 'duplicate' | 'too-old';

/** Default replay window size in packets (RFC 3711 §3.3.2: at least 64 SHOULD be supported). */
export const DEFAULT_REPLAY_WINDOW = 64;

/** Largest replay window size accepted. */
export const MAX_REPLAY_WINDOW = 32768;

/**
 * The sliding replay window of RFC 3711 §3.3.2 over packet indices (48-bit SRTP or 31-bit SRTCP):
 * the highest index received so far, and which of the `size` indices at or below it were received.
 * Kept as a circular array of flags indexed by `index mod size`, so sliding costs only the slots
 * that leave the window.
 *
 * `check` does not change anything: call `accept` only once the packet authenticated
 * (RFC 3711 §3.3 step 7, the replay list is updated after authentication).
 */
export class ReplayWindow {
  /** Window size in packets. */
  readonly size: number;
  readonly #seen: Uint8Array;
  #highest = -1;

  /**
   * @param size window size in packets, 1..{@link MAX_REPLAY_WINDOW}
   */
  constructor(size: number = DEFAULT_REPLAY_WINDOW) {
    this.size = size;
    this.#seen = new Uint8Array(size);
  }

  /** Highest index accepted so far, -1 before the first. */
  get highest(): number {
    return this.#highest;
  }

  /** Whether `index` may be accepted: not seen, and not behind the window. */
  check(index: number): ReplayCheck {
    const h = this.#highest;
    if (index > h) return 'new';
    if (h - index >= this.size) return 'too-old';
    return this.#seen[index % this.size] === 1 ? 'duplicate' : 'new';
  }

  /** Records `index` as received, sliding the window forward when it is the new highest. */
  accept(index: number): void {
    const h = this.#highest;
    const seen = this.#seen;
    const size = this.size;
    if (index > h) {
      if (h < 0 || index - h >= size) seen.fill(0);
      else for (let i = h + 1; i < index; i++) seen[i % size] = 0;
      this.#highest = index;
    }
    seen[index % size] = 1;
  }
}
