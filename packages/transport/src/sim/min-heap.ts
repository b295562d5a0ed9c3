/**
 * A binary min-heap keyed by (time, sequence): the deadline queue of the simulator.
 * @module
 */

/** An entry of a {@link TimeHeap}: ordered by `at`, then by insertion `seq` (FIFO among equal times). */
export interface Timed {
  /** When the entry is due (virtual ms). */
  readonly at: number;
  /** Insertion order, to break ties. */
  readonly seq: number;
}

function before(a: Timed, b: Timed): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** A min-heap of timed entries. */
export class TimeHeap<T extends Timed> {
  readonly #items: T[] = [];

  /** Number of entries. */
  get size(): number {
    return this.#items.length;
  }

  /** The earliest entry, without removing it. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Adds an entry. */
  push(item: T): void {
    const a = this.#items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }

  /** Removes and returns the earliest entry. */
  pop(): T | undefined {
    const a = this.#items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m])) m = l;
        if (r < a.length && before(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}
