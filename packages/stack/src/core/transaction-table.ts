/**
 * The transactions of a stack core: lookup by id and by matching key (RFC 3261 §17.1.3,
 * §17.2.3), the merged-request index (§8.2.2.2) and the one deadline queue, holding one entry per
 * transaction at its earliest running timer.
 */
import type { ClientTransaction } from '../transaction/client-transaction.js';
import type { ServerTransaction } from '../transaction/server-transaction.js';
import type { Transaction } from '../transaction/transaction.js';
import { DeadlineQueue } from './deadline-queue.js';

/** The transaction table of one core. */
export class TransactionTable {
  /** The deadline queue. */
  readonly queue = new DeadlineQueue<Transaction>();
  /** Transactions by id. */
  readonly byId = new Map<string, Transaction>();
  /** Client transactions by §17.1.3 key. */
  readonly clients = new Map<string, ClientTransaction>();
  /** Server transactions by §17.2.3 key. */
  readonly servers = new Map<string, ServerTransaction>();
  /** Server transactions by §8.2.2.2 merge key (the first one with that key). */
  readonly merge = new Map<string, ServerTransaction>();
  readonly #onRemoved: (t: Transaction) => void;

  /** `onRemoved` is called once for each transaction that reaches Terminated. */
  constructor(onRemoved: (t: Transaction) => void) {
    this.#onRemoved = onRemoved;
  }

  /** Adds a client transaction. */
  addClient(t: ClientTransaction): void {
    this.byId.set(t.id, t);
    this.clients.set(t.key, t);
  }

  /** Adds a server transaction; `merge` is its §8.2.2.2 key, if it has one. */
  addServer(t: ServerTransaction, merge: string | undefined): void {
    this.byId.set(t.id, t);
    this.servers.set(t.key, t);
    if (merge !== undefined && !this.merge.has(merge)) {
      this.merge.set(merge, t);
      t.mergeKey = merge;
    }
  }

  /** Runs the timers of every transaction due at `now`. */
  runTimers(now: number): void {
    const q = this.queue;
    for (let t = q.popDue(now); t !== undefined; t = q.popDue(now)) {
      t.deadline = undefined;
      if (t.terminated) continue;
      t.onTimer(now);
      this.reschedule(t);
    }
  }

  /**
   * Call after anything touched `t`: keeps its one heap entry at its earliest deadline (lazy
   * cancellation of the old one), or removes it when it reached Terminated.
   */
  reschedule(t: Transaction): void {
    if (t.terminated) {
      if (t.deadline !== undefined) this.queue.cancel(t.deadline);
      t.deadline = undefined;
      this.#remove(t);
      return;
    }
    const at = t.nextDeadline();
    if (t.deadline !== undefined) {
      if (t.deadline.at === at) return;
      this.queue.cancel(t.deadline);
      t.deadline = undefined;
    }
    if (at !== Infinity) t.deadline = this.queue.schedule(at, t);
  }

  #remove(t: Transaction): void {
    if (this.byId.get(t.id) !== t) return;
    this.byId.delete(t.id);
    if (t.kind === 'invite-client' || t.kind === 'non-invite-client') {
      if (this.clients.get(t.key) === t) this.clients.delete(t.key);
    } else {
      if (this.servers.get(t.key) === t) this.servers.delete(t.key);
      const mk = (t as ServerTransaction).mergeKey;
      if (mk !== undefined && this.merge.get(mk) === t) this.merge.delete(mk);
    }
    this.#onRemoved(t);
  }
}
