/** Outcome of {@link NonceCountTracker.use}. */
export type NonceCountCheck =
  /** Higher than any count seen for this nonce: accepted and recorded. */
  | 'accepted'
  /** Equal to or lower than a count already seen: a replay (RFC 7616 §3.3, §5.5). */
  | 'replay'
  /** The nonce may have been seen and evicted for lack of room: its history is unknown, re-challenge stale. */
  | 'forgotten';

interface Entry {
  nc: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** Options of a {@link NonceCountTracker}. */
export interface NonceCountTrackerOptions {
  /** Most nonces remembered at once (default 10 000); the oldest are evicted past this. */
  readonly capacity?: number | undefined;
}

/**
 * Remembers the highest nonce count seen per nonce, so a repeated or lower `nc` is rejected as a replay.
 * Bounded: entries leave when their nonce expires, and past `capacity` the first-seen entry is evicted.
 * An eviction raises a watermark: a nonce issued at or before the newest evicted issue time that is not
 * in the map is reported `forgotten` (the caller re-challenges with `stale=true`) rather than accepted, so
 * eviction can never turn a replay into an acceptance. No clock inside: `now` is a parameter.
 */
export class NonceCountTracker {
  readonly #entries = new Map<string, Entry>();
  readonly #capacity: number;
  #forgottenUpTo = Number.NEGATIVE_INFINITY;

  /** @param options capacity bound */
  constructor(options: NonceCountTrackerOptions = {}) {
    this.#capacity = options.capacity ?? 10_000;
    if (!Number.isInteger(this.#capacity) || this.#capacity < 1) throw new RangeError('capacity must be ≥ 1');
  }

  /** Number of nonces currently remembered. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Records a use of `nonce` with count `nc` (use 0 for a response without qop, which makes the nonce
   * single-use). `issuedAt` and `expiresAt` come from the validated nonce.
   */
  use(nonce: string, nc: number, issuedAt: number, expiresAt: number, now: number): NonceCountCheck {
    this.#sweep(now);
    const entry = this.#entries.get(nonce);
    if (entry !== undefined) {
      if (nc <= entry.nc) return 'replay';
      entry.nc = nc;
      return 'accepted';
    }
    if (issuedAt <= this.#forgottenUpTo) return 'forgotten';
    while (this.#entries.size >= this.#capacity) this.#evictFirst();
    this.#entries.set(nonce, { nc, issuedAt, expiresAt });
    return 'accepted';
  }

  /** Drops entries whose nonce has expired, from the oldest, stopping at the first live one. */
  #sweep(now: number): void {
    for (const [key, e] of this.#entries) {
      if (e.expiresAt > now) return;
      this.#entries.delete(key);
    }
  }

  #evictFirst(): void {
    const first = this.#entries.entries().next();
    if (first.done === true) return;
    const [key, e] = first.value;
    this.#entries.delete(key);
    if (e.issuedAt > this.#forgottenUpTo) this.#forgottenUpTo = e.issuedAt;
  }
}
