/**
 * The target set of a response context (RFC 3261 §16.5): URIs to try, each at most once, tried
 * in groups of equal q value, highest first (parallel within a group, sequential across groups,
 * RFC 3261 §16.6 and §16.8).
 */
import { uriEquals } from '@tsvoip/sip';
import { tryParseUri } from './locality.js';
import type { Target } from './types.js';

/** Targets not yet tried, plus every URI ever added (for the at-most-once rule). */
export class TargetSet {
  readonly #pending: Target[] = [];
  readonly #seen: Array<ReturnType<typeof tryParseUri>> = [];
  readonly #seenText = new Set<string>();

  /** Targets waiting for a later group. */
  get pending(): number {
    return this.#pending.length;
  }

  /**
   * Adds targets not seen before (RFC 3261 §16.5: "a URI MUST NOT be added to the target set more
   * than once", compared by §19.1.4 equality). Returns how many were added.
   */
  add(targets: readonly Target[]): number {
    let n = 0;
    for (const t of targets) {
      if (this.#seenText.has(t.uri)) continue;
      const parsed = tryParseUri(t.uri);
      if (parsed !== undefined && this.#seen.some((s) => s !== undefined && uriEquals(s, parsed))) continue;
      this.#seenText.add(t.uri);
      this.#seen.push(parsed);
      this.#pending.push(t);
      n++;
    }
    // Stable sort: by q descending (RFC 3261 §16.6: "in order of q-value"), insertion order kept.
    this.#pending.sort((a, b) => (b.q ?? 1) - (a.q ?? 1));
    return n;
  }

  /** Removes and returns the next group: every pending target with the highest q value. */
  nextGroup(): Target[] {
    if (this.#pending.length === 0) return [];
    const q = this.#pending[0].q ?? 1;
    let k = 1;
    while (k < this.#pending.length && (this.#pending[k].q ?? 1) === q) k++;
    return this.#pending.splice(0, k);
  }

  /** Drops every pending target (after a 2xx, a 6xx or a CANCEL: no new branches). */
  clear(): void {
    this.#pending.length = 0;
  }
}
