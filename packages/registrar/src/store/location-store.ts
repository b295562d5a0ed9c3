import type { Binding, BindingKey, RegisterOrder } from './binding.js';

/** What `upsert` did with a binding. */
export type UpsertOutcome = 'created' | 'updated';

/** Filter for {@link LocationStore.count}. */
export interface CountOptions {
  /** Count only the bindings of this AoR. */
  readonly aor?: string;
  /** Count only the bindings still live at this time (ms): `expiresAt > now`. */
  readonly now?: number;
}

/**
 * The registrar's location service (RFC 3261 §10.3): bindings of addresses-of-record to contacts.
 *
 * Every method is async so the in-memory and SQL implementations share this one interface. A binding
 * is identified by {@link BindingKey} (RFC 5626 §6: AoR + instance-id + reg-id when both present, else
 * AoR + contact URI). Contact URIs are compared as exact strings: the caller normalizes them
 * (RFC 3261 §19.1.4) before calling.
 */
export interface LocationStore {
  /**
   * Adds or refreshes a binding, replacing every field of an existing binding with the same key.
   * RFC 3261 §10.3 step 7: an existing binding with the same Call-ID and a CSeq not lower than the
   * request's is left untouched and the call rejects with `BindingOutOfOrderError` (answer 500).
   */
  upsert(binding: Binding): Promise<UpsertOutcome>;

  /**
   * Applies several upserts atomically: all of them, or none when one is out of order
   * (RFC 3261 §10.3: "the registrar SHOULD process the request atomically" for a multi-Contact REGISTER).
   */
  upsertMany(bindings: readonly Binding[]): Promise<UpsertOutcome[]>;

  /**
   * Removes one binding (a Contact with Expires: 0) and returns it, or `undefined` when there was none.
   * With `order`, RFC 3261 §10.3 step 7 applies: a binding with the same Call-ID and a CSeq not lower
   * than `order.cseq` is kept and the call rejects with `BindingOutOfOrderError`.
   */
  remove(key: BindingKey, order?: RegisterOrder): Promise<Binding | undefined>;

  /**
   * Removes every binding of `aor` (REGISTER with `Contact: *` and Expires: 0) and returns them.
   * With `order`, RFC 3261 §10.3 step 6 applies: if any binding has the same Call-ID and a CSeq not
   * lower than `order.cseq`, nothing is removed and the call rejects with `BindingOutOfOrderError`.
   */
  removeAll(aor: string, order?: RegisterOrder): Promise<Binding[]>;

  /**
   * The live bindings of `aor` at `now` (`expiresAt > now`), ordered by q-value descending, then most
   * recently updated first (then by key, so the order is total).
   */
  lookup(aor: string, now: number): Promise<Binding[]>;

  /** Deletes every binding with `expiresAt <= now` and returns the deleted bindings. */
  expire(now: number): Promise<Binding[]>;

  /** How many bindings are stored (optionally of one AoR, and/or only those live at `now`). */
  count(options?: CountOptions): Promise<number>;
}
