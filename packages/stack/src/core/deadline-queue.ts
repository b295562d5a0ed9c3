/**
 * The one deadline queue of a stack core (docs: ARCHITECTURE "Sans-IO cores"): a binary min-heap
 * keyed by time, with lazy cancellation. A cancelled entry stays in the heap until it reaches the
 * top (or until a compaction), so cancelling is O(1) and scheduling is O(log n).
 */

/** A scheduled entry; keep it to cancel the deadline later. */
export interface Deadline<T> {
  /** When the deadline falls due (ms, the core's clock). */
  readonly at: number;
  /** What falls due. */
  readonly item: T;
  /** @internal Insertion order, breaks ties so equal deadlines fire first-in first-out. */
  readonly seq: number;
  /** @internal Set by {@link DeadlineQueue.cancel}. */
  cancelled: boolean;
}

/** A min-heap of deadlines with lazy cancellation. */
export class DeadlineQueue<T> {
  readonly #heap: Deadline<T>[] = [];
  #seq = 0;
  #cancelled = 0;

  /** Live (not cancelled) deadlines. */
  get size(): number {
    return this.#heap.length - this.#cancelled;
  }

  /** Heap entries, cancelled ones included (for tests and metrics). */
  get entries(): number {
    return this.#heap.length;
  }

  /** Schedules `item` at time `at`; returns the entry to cancel it with. */
  schedule(at: number, item: T): Deadline<T> {
    const d: Deadline<T> = { at, item, seq: this.#seq++, cancelled: false };
    const h = this.#heap;
    h.push(d);
    this.#up(h.length - 1);
    return d;
  }

  /** Cancels a deadline (lazily). Cancelling twice, or after it fired, does nothing. */
  cancel(d: Deadline<T>): void {
    if (d.cancelled) return;
    d.cancelled = true;
    this.#cancelled++;
    // Compact when cancelled entries dominate, so memory stays proportional to live deadlines.
    if (this.#cancelled > 1024 && this.#cancelled * 2 > this.#heap.length) this.#compact();
  }

  /** The earliest live deadline, or undefined when none is scheduled. */
  peek(): number | undefined {
    this.#dropCancelledTop();
    return this.#heap[0]?.at;
  }

  /** Removes and returns the earliest live deadline due at `now` (at ≤ now), or undefined. */
  popDue(now: number): T | undefined {
    this.#dropCancelledTop();
    const top = this.#heap[0];
    if (top === undefined || top.at > now) return undefined;
    this.#pop();
    // A fired entry counts as cancelled so a later cancel() of it is a no-op.
    top.cancelled = true;
    return top.item;
  }

  #dropCancelledTop(): void {
    const h = this.#heap;
    while (h.length > 0 && h[0].cancelled) {
      this.#pop();
      this.#cancelled--;
    }
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      this.#down(0);
    }
  }

  #compact(): void {
    const h = this.#heap;
    let w = 0;
    for (let r = 0; r < h.length; r++) if (!h[r].cancelled) h[w++] = h[r];
    h.length = w;
    this.#cancelled = 0;
    for (let i = (w >> 1) - 1; i >= 0; i--) this.#down(i);
  }

  #up(i: number): void {
    const h = this.#heap;
    const d = h[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(d, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = d;
  }

  #down(i: number): void {
    const h = this.#heap;
    const n = h.length;
    const d = h[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && before(h[c + 1], h[c])) c++;
      if (!before(h[c], d)) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = d;
  }
}

function before<T>(a: Deadline<T>, b: Deadline<T>): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
