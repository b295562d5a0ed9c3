import {
  type Binding,
  type BindingKey,
  bindingKeyOf,
  compareBindings,
  isInOrder,
  type RegisterOrder,
  validateBinding,
} from './binding.js';
import { BindingOutOfOrderError } from './errors.js';
import type { CountOptions, LocationStore, UpsertOutcome } from './location-store.js';

/** A stored copy of a binding: its own `path` array, frozen, so callers cannot change the store. */
function snapshot(b: Binding): Binding {
  const copy: Binding = { ...b, path: Object.freeze([...b.path]) };
  if (b.received !== undefined) (copy as { received: Binding['received'] }).received = { ...b.received };
  return Object.freeze(copy);
}

/**
 * A {@link LocationStore} in process memory: for tests, and for a single node that can lose its
 * bindings on restart (phones re-register within their expiry).
 */
export class MemoryLocationStore implements LocationStore {
  readonly #byAor = new Map<string, Map<string, Binding>>();

  /** {@inheritDoc LocationStore.upsert} */
  async upsert(binding: Binding): Promise<UpsertOutcome> {
    validateBinding(binding);
    const key = bindingKeyOf(binding);
    let map = this.#byAor.get(binding.aor);
    const existing = map?.get(key);
    // RFC 3261 §10.3 step 7: same Call-ID and CSeq not higher -> abort the update.
    if (existing !== undefined && !isInOrder(existing, binding)) {
      throw new BindingOutOfOrderError(binding.aor, key, binding.callId, existing.cseq, binding.cseq);
    }
    if (map === undefined) {
      map = new Map();
      this.#byAor.set(binding.aor, map);
    }
    map.set(key, snapshot(binding));
    return existing === undefined ? 'created' : 'updated';
  }

  /** {@inheritDoc LocationStore.upsertMany} */
  async upsertMany(bindings: readonly Binding[]): Promise<UpsertOutcome[]> {
    // Check everything first, then write: all or nothing (RFC 3261 §10.3 atomic processing).
    const staged = new Map<string, Binding>();
    for (const b of bindings) {
      validateBinding(b);
      const key = bindingKeyOf(b);
      const id = `${b.aor}\n${key}`;
      const existing = staged.get(id) ?? this.#byAor.get(b.aor)?.get(key);
      // RFC 3261 §10.3 step 7: same Call-ID and CSeq not higher -> abort the update.
      if (existing !== undefined && !isInOrder(existing, b)) {
        throw new BindingOutOfOrderError(b.aor, key, b.callId, existing.cseq, b.cseq);
      }
      staged.set(id, b);
    }
    const outcomes: UpsertOutcome[] = [];
    for (const b of bindings) {
      const key = bindingKeyOf(b);
      let map = this.#byAor.get(b.aor);
      if (map === undefined) {
        map = new Map();
        this.#byAor.set(b.aor, map);
      }
      outcomes.push(map.has(key) ? 'updated' : 'created');
      map.set(key, snapshot(b));
    }
    return outcomes;
  }

  /** {@inheritDoc LocationStore.remove} */
  async remove(key: BindingKey, order?: RegisterOrder): Promise<Binding | undefined> {
    const map = this.#byAor.get(key.aor);
    const k = bindingKeyOf(key);
    const existing = map?.get(k);
    if (map === undefined || existing === undefined) return undefined;
    // RFC 3261 §10.3 step 7: removal follows the same Call-ID/CSeq rule as an update.
    if (order !== undefined && !isInOrder(existing, order)) {
      throw new BindingOutOfOrderError(key.aor, k, order.callId, existing.cseq, order.cseq);
    }
    map.delete(k);
    if (map.size === 0) this.#byAor.delete(key.aor);
    return existing;
  }

  /** {@inheritDoc LocationStore.removeAll} */
  async removeAll(aor: string, order?: RegisterOrder): Promise<Binding[]> {
    const map = this.#byAor.get(aor);
    if (map === undefined) return [];
    if (order !== undefined) {
      // RFC 3261 §10.3 step 6 (Contact: *): a binding with the same Call-ID needs a higher CSeq.
      for (const [k, b] of map) {
        if (!isInOrder(b, order)) throw new BindingOutOfOrderError(aor, k, order.callId, b.cseq, order.cseq);
      }
    }
    this.#byAor.delete(aor);
    return [...map.values()].sort(compareBindings);
  }

  /** {@inheritDoc LocationStore.lookup} */
  async lookup(aor: string, now: number): Promise<Binding[]> {
    const map = this.#byAor.get(aor);
    if (map === undefined) return [];
    const live: Binding[] = [];
    for (const b of map.values()) if (b.expiresAt > now) live.push(b);
    return live.sort(compareBindings);
  }

  /** {@inheritDoc LocationStore.expire} */
  async expire(now: number): Promise<Binding[]> {
    const removed: Binding[] = [];
    for (const [aor, map] of this.#byAor) {
      for (const [k, b] of map) {
        if (b.expiresAt <= now) {
          removed.push(b);
          map.delete(k);
        }
      }
      if (map.size === 0) this.#byAor.delete(aor);
    }
    return removed;
  }

  /** {@inheritDoc LocationStore.count} */
  async count(options: CountOptions = {}): Promise<number> {
    let n = 0;
    for (const [aor, map] of this.#byAor) {
      if (options.aor !== undefined && aor !== options.aor) continue;
      if (options.now === undefined) {
        n += map.size;
        continue;
      }
      for (const b of map.values()) if (b.expiresAt > options.now) n++;
    }
    return n;
  }
}
