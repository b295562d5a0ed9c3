import { RegistrarConfigError } from './errors.js';

/** Configuration of an {@link AuthThrottle}. */
export interface AuthThrottleOptions {
  /** Failures within `windowMs` that start a ban; default 5. */
  readonly maxFailures?: number;
  /** Length of the counting window, in ms, from the first failure; default 60 000. */
  readonly windowMs?: number;
  /** Length of a ban, in ms; default 300 000. */
  readonly banMs?: number;
  /** Most sources tracked at once (oldest forgotten first); default 100 000. */
  readonly maxSources?: number;
}

interface SourceState {
  windowStart: number;
  failures: number;
  bannedUntil: number;
}

/**
 * Counts authentication failures per source (an IP address, or any key the caller chooses) and bans a
 * source that fails `maxFailures` times within `windowMs` for `banMs`. Pure state: time is the `now`
 * argument (ms), no timers. Memory is bounded by `maxSources`.
 */
export class AuthThrottle {
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #banMs: number;
  readonly #maxSources: number;
  readonly #sources = new Map<string, SourceState>();

  /** @throws RegistrarConfigError on a non-positive count, window, ban or capacity. */
  constructor(options: AuthThrottleOptions = {}) {
    this.#maxFailures = positive('maxFailures', options.maxFailures ?? 5);
    this.#windowMs = positive('windowMs', options.windowMs ?? 60_000);
    this.#banMs = positive('banMs', options.banMs ?? 300_000);
    this.#maxSources = positive('maxSources', options.maxSources ?? 100_000);
  }

  /** Number of sources currently tracked (counting or banned). */
  get size(): number {
    return this.#sources.size;
  }

  /** Whether `source` is banned at `now`. */
  isBanned(source: string, now: number): boolean {
    const s = this.#sources.get(source);
    return s !== undefined && now < s.bannedUntil;
  }

  /** When the ban of `source` ends (ms), or `undefined` when it is not banned at `now`. */
  bannedUntil(source: string, now: number): number | undefined {
    const s = this.#sources.get(source);
    return s !== undefined && now < s.bannedUntil ? s.bannedUntil : undefined;
  }

  /**
   * Records a failed authentication from `source` at `now`; returns true when the source is (now) banned.
   * Failures during a ban do not extend it.
   */
  recordFailure(source: string, now: number): boolean {
    let s = this.#sources.get(source);
    if (s !== undefined && now < s.bannedUntil) return true;
    if (s === undefined || now - s.windowStart >= this.#windowMs) {
      if (s !== undefined) this.#sources.delete(source);
      s = { windowStart: now, failures: 0, bannedUntil: -Infinity };
      this.#evictIfFull(now);
      this.#sources.set(source, s);
    }
    s.failures++;
    if (s.failures >= this.#maxFailures) {
      s.bannedUntil = now + this.#banMs;
      s.failures = 0;
      return true;
    }
    return false;
  }

  /** Forgets the failures of `source` (call it after a successful authentication). A ban stays. */
  recordSuccess(source: string, now: number): void {
    const s = this.#sources.get(source);
    if (s !== undefined && !(now < s.bannedUntil)) this.#sources.delete(source);
  }

  /** Drops every source whose window and ban are over at `now`; returns how many were dropped. */
  prune(now: number): number {
    let n = 0;
    for (const [k, s] of this.#sources) {
      if (now >= s.bannedUntil && now - s.windowStart >= this.#windowMs) {
        this.#sources.delete(k);
        n++;
      }
    }
    return n;
  }

  #evictIfFull(now: number): void {
    if (this.#sources.size < this.#maxSources) return;
    if (this.prune(now) > 0) return;
    // Still full: forget the source tracked longest (Map iteration is insertion order).
    const oldest = this.#sources.keys().next();
    if (oldest.done !== true) this.#sources.delete(oldest.value);
  }
}

function positive(option: string, v: number): number {
  if (!(Number.isFinite(v) && v > 0)) throw new RegistrarConfigError(option, `${v} is not positive`);
  return v;
}
