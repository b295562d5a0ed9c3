import {
  type Binding,
  type BindingKey,
  bindingKeyOf,
  compareBindings,
  isInOrder,
  type RegisterOrder,
  validateBinding,
} from './binding.js';
import { CompactBinding, Interner } from './compact-binding.js';
import { BindingOutOfOrderError } from './errors.js';
import type { CountOptions, LocationStore, UpsertOutcome } from './location-store.js';

/** The bindings of one AoR: the binding itself when it is alone (the usual case), else an array. */
type AorEntry = CompactBinding | CompactBinding[];

function find(entry: AorEntry | undefined, key: BindingKey): CompactBinding | undefined {
  if (entry === undefined) return undefined;
  if (!Array.isArray(entry)) return entry.hasKey(key) ? entry : undefined;
  for (const b of entry) if (b.hasKey(key)) return b;
  return undefined;
}

function toBindings(aor: string, entry: AorEntry): Binding[] {
  return Array.isArray(entry) ? entry.map((b) => b.toBinding(aor)) : [entry.toBinding(aor)];
}

/**
 * A {@link LocationStore} in process memory: for tests, and for a single node that can lose its
 * bindings on restart (phones re-register within their expiry).
 *
 * Bindings are kept compactly ({@link CompactBinding}: one flat object per binding, shared strings
 * interned, an AoR with one binding holds it directly); the {@link Binding} objects callers get are
 * built on each read, so callers cannot change the store. An AoR's bindings are searched linearly:
 * it is meant for a handful of bindings per AoR.
 */
export class MemoryLocationStore implements LocationStore {
  readonly #byAor = new Map<string, AorEntry>();
  readonly #strings = new Interner();

  /** Stores `record` under `aor`, replacing the binding with the same key in place. */
  #put(aor: string, record: CompactBinding, key: BindingKey): UpsertOutcome {
    const entry = this.#byAor.get(aor);
    if (entry === undefined) {
      this.#byAor.set(aor, record);
      return 'created';
    }
    if (!Array.isArray(entry)) {
      if (entry.hasKey(key)) {
        this.#byAor.set(aor, record);
        return 'updated';
      }
      this.#byAor.set(aor, [entry, record]);
      return 'created';
    }
    for (let i = 0; i < entry.length; i++) {
      if ((entry[i] as CompactBinding).hasKey(key)) {
        entry[i] = record;
        return 'updated';
      }
    }
    entry.push(record);
    return 'created';
  }

  /** {@inheritDoc LocationStore.upsert} */
  async upsert(binding: Binding): Promise<UpsertOutcome> {
    validateBinding(binding);
    const existing = find(this.#byAor.get(binding.aor), binding);
    // RFC 3261 §10.3 step 7: same Call-ID and CSeq not higher -> abort the update.
    if (existing !== undefined && !isInOrder(existing, binding)) {
      const key = bindingKeyOf(binding);
      throw new BindingOutOfOrderError(binding.aor, key, binding.callId, existing.cseq, binding.cseq);
    }
    return this.#put(binding.aor, new CompactBinding(binding, this.#strings), binding);
  }

  /** {@inheritDoc LocationStore.upsertMany} */
  async upsertMany(bindings: readonly Binding[]): Promise<UpsertOutcome[]> {
    // Check everything first, then write: all or nothing (RFC 3261 §10.3 atomic processing).
    for (let i = 0; i < bindings.length; i++) {
      const b = bindings[i] as Binding;
      validateBinding(b);
      // The latest earlier entry of this batch with the same key stands for the stored binding.
      let existing: RegisterOrder | undefined;
      for (let j = i - 1; j >= 0 && existing === undefined; j--) {
        const s = bindings[j] as Binding;
        if (s.aor === b.aor && bindingKeyOf(s) === bindingKeyOf(b)) existing = s;
      }
      existing ??= find(this.#byAor.get(b.aor), b);
      // RFC 3261 §10.3 step 7: same Call-ID and CSeq not higher -> abort the update.
      if (existing !== undefined && !isInOrder(existing, b)) {
        throw new BindingOutOfOrderError(b.aor, bindingKeyOf(b), b.callId, existing.cseq, b.cseq);
      }
    }
    const outcomes: UpsertOutcome[] = [];
    for (const b of bindings) outcomes.push(this.#put(b.aor, new CompactBinding(b, this.#strings), b));
    return outcomes;
  }

  /** {@inheritDoc LocationStore.remove} */
  async remove(key: BindingKey, order?: RegisterOrder): Promise<Binding | undefined> {
    const entry = this.#byAor.get(key.aor);
    const existing = find(entry, key);
    if (entry === undefined || existing === undefined) return undefined;
    // RFC 3261 §10.3 step 7: removal follows the same Call-ID/CSeq rule as an update.
    if (order !== undefined && !isInOrder(existing, order)) {
      throw new BindingOutOfOrderError(key.aor, bindingKeyOf(key), order.callId, existing.cseq, order.cseq);
    }
    if (!Array.isArray(entry)) {
      this.#byAor.delete(key.aor);
    } else {
      const rest = entry.filter((b) => b !== existing);
      this.#byAor.set(key.aor, rest.length === 1 ? (rest[0] as CompactBinding) : rest);
    }
    return existing.toBinding(key.aor);
  }

  /** {@inheritDoc LocationStore.removeAll} */
  async removeAll(aor: string, order?: RegisterOrder): Promise<Binding[]> {
    const entry = this.#byAor.get(aor);
    if (entry === undefined) return [];
    const all = toBindings(aor, entry);
    if (order !== undefined) {
      // RFC 3261 §10.3 step 6 (Contact: *): a binding with the same Call-ID needs a higher CSeq.
      for (const b of all) {
        if (!isInOrder(b, order)) {
          throw new BindingOutOfOrderError(aor, bindingKeyOf(b), order.callId, b.cseq, order.cseq);
        }
      }
    }
    this.#byAor.delete(aor);
    return all.sort(compareBindings);
  }

  /** {@inheritDoc LocationStore.lookup} */
  async lookup(aor: string, now: number): Promise<Binding[]> {
    const entry = this.#byAor.get(aor);
    if (entry === undefined) return [];
    if (!Array.isArray(entry)) return entry.expiresAt > now ? [entry.toBinding(aor)] : [];
    const live: Binding[] = [];
    for (const b of entry) if (b.expiresAt > now) live.push(b.toBinding(aor));
    return live.sort(compareBindings);
  }

  /** {@inheritDoc LocationStore.expire} */
  async expire(now: number): Promise<Binding[]> {
    const removed: Binding[] = [];
    for (const [aor, entry] of this.#byAor) {
      if (!Array.isArray(entry)) {
        if (entry.expiresAt <= now) {
          removed.push(entry.toBinding(aor));
          this.#byAor.delete(aor);
        }
        continue;
      }
      const rest: CompactBinding[] = [];
      for (const b of entry) {
        if (b.expiresAt <= now) removed.push(b.toBinding(aor));
        else rest.push(b);
      }
      if (rest.length === entry.length) continue;
      if (rest.length === 0) this.#byAor.delete(aor);
      else this.#byAor.set(aor, rest.length === 1 ? (rest[0] as CompactBinding) : rest);
    }
    return removed;
  }

  /** {@inheritDoc LocationStore.count} */
  async count(options: CountOptions = {}): Promise<number> {
    let n = 0;
    const now = options.now;
    for (const [aor, entry] of this.#byAor) {
      if (options.aor !== undefined && aor !== options.aor) continue;
      if (!Array.isArray(entry)) {
        if (now === undefined || entry.expiresAt > now) n++;
        continue;
      }
      if (now === undefined) n += entry.length;
      else for (const b of entry) if (b.expiresAt > now) n++;
    }
    return n;
  }
}
