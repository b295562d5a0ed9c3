/**
 * A growable circular FIFO: push and shift in O(1) without the copying of `Array.prototype.shift`.
 * @module
 */

/** A first-in first-out queue on a circular array that doubles when full. */
export class Fifo<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(capacity = 16) {
    this.items = new Array<T | undefined>(capacity).fill(undefined);
  }

  /** Number of queued items. */
  get length(): number {
    return this.count;
  }

  /** Appends an item. */
  push(item: T): void {
    if (this.count === this.items.length) {
      const grown = new Array<T | undefined>(this.items.length * 2).fill(undefined);
      for (let i = 0; i < this.count; i++) grown[i] = this.items[(this.head + i) % this.items.length];
      this.items = grown;
      this.head = 0;
    }
    this.items[(this.head + this.count) % this.items.length] = item;
    this.count++;
  }

  /** Removes and returns the oldest item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.count--;
    // Empty: start over at the front, so a queue that drains often keeps using the same few slots.
    this.head = this.count === 0 ? 0 : (this.head + 1) % this.items.length;
    return item;
  }
}
