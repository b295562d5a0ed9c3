/**
 * The transactions of a stack core: lookup by id and by matching key (RFC 3261 §17.1.3,
 * §17.2.3), the merged-request index (§8.2.2.2) and the one deadline queue, holding one entry per
 * transaction at its earliest running timer.
 */
import type { Via } from '@tsvoip/sip';
import type { ClientTransaction } from '../transaction/client-transaction.js';
import type { ServerTransaction } from '../transaction/server-transaction.js';
import type { Transaction } from '../transaction/transaction.js';
import { DeadlineQueue } from './deadline-queue.js';
import { sameSentBy } from './matching.js';
import { ownString } from './own-string.js';

/** The transaction table of one core. */
export class TransactionTable {
  /** The deadline queue. */
  readonly queue = new DeadlineQueue<Transaction>();
  /** Transactions by id. */
  readonly byId = new Map<string, Transaction>();
  /** Client transactions by §17.1.3 key. */
  readonly clients = new Map<string, ClientTransaction>();
  /**
   * Server transactions by §17.2.3 index key: the top Via branch for magic-cookie requests (the
   * sent-by and method are compared on the transaction: {@link TransactionTable.findServer}), the
   * RFC 2543 key otherwise. Transactions filed under one key are chained, newest first.
   */
  readonly servers = new Map<string, ServerTransaction>();
  /** Server transactions by §8.2.2.2 merge key (the first one with that key). */
  readonly merge = new Map<string, ServerTransaction>();
  readonly #onRemoved: (t: Transaction) => void;
  /** The transaction added or looked up last: a TU answers the request it was just given. */
  #lastId = '';
  #last: Transaction | undefined = undefined;

  /** `onRemoved` is called once for each transaction that reaches Terminated. */
  constructor(onRemoved: (t: Transaction) => void) {
    this.#onRemoved = onRemoved;
  }

  /** The live transaction with id `id`, if any. */
  get(id: string): Transaction | undefined {
    if (id === this.#lastId) return this.#last;
    const t = this.byId.get(id);
    if (t !== undefined) this.#remember(t);
    return t;
  }

  #remember(t: Transaction): void {
    this.#lastId = t.id;
    this.#last = t;
  }

  /** Adds a client transaction. */
  addClient(t: ClientTransaction): void {
    this.byId.set(t.id, t);
    this.#remember(t);
    this.clients.set(t.key, t);
  }

  /**
   * RFC 3261 §17.2.3: the server transaction a magic-cookie request matches: same branch, same
   * sent-by, same method (ACK and, for a CANCEL looking for its INVITE, `method` = INVITE).
   */
  findServer(branch: string, via: Via, method: string): ServerTransaction | undefined {
    return matchServer(this.servers.get(branch), via, method);
  }

  /**
   * Adds a server transaction under `indexKey` (its branch, with `via` its top Via as received, or
   * its RFC 2543 key, with `via` undefined); `head` is what `servers` holds under that key (the
   * caller has just looked it up); `merge` is its §8.2.2.2 key, if it has one and no live
   * transaction has it.
   */
  #lastSentByHost = '';

  addServer(
    t: ServerTransaction,
    indexKey: string,
    head: ServerTransaction | undefined,
    via: Via | undefined,
    merge: string | undefined,
  ): void {
    this.byId.set(t.id, t);
    this.#remember(t);
    // Kept until Timer J/L (32 s): copies that do not keep the request's text alive.
    indexKey = ownString(indexKey);
    t.indexKey = indexKey;
    if (via !== undefined) {
      // Requests from one place share one host string.
      const host = via.host;
      if (host !== this.#lastSentByHost) this.#lastSentByHost = ownString(host);
      t.sentByHost = this.#lastSentByHost;
      t.sentByPort = via.port;
    }
    if (head !== undefined) t.nextInIndex = head;
    this.servers.set(indexKey, t);
    if (merge !== undefined) {
      const own = ownString(merge);
      this.merge.set(own, t);
      t.mergeKey = own;
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
    if (t.removed) return;
    t.removed = true;
    this.byId.delete(t.id);
    if (this.#last === t) {
      this.#lastId = '';
      this.#last = undefined;
    }
    if (t.kind === 'invite-client' || t.kind === 'non-invite-client') {
      if (this.clients.get(t.key) === t) this.clients.delete(t.key);
    } else {
      this.#unindex(t as ServerTransaction);
      // A transaction has a merge key only when it holds that index entry (addServer).
      const mk = (t as ServerTransaction).mergeKey;
      if (mk !== undefined) this.merge.delete(mk);
    }
    this.#onRemoved(t);
  }

  /** Unlinks `t` from its index chain. */
  #unindex(t: ServerTransaction): void {
    const k = t.indexKey;
    let prev: ServerTransaction | undefined;
    for (let c = this.servers.get(k); c !== undefined; prev = c, c = c.nextInIndex) {
      if (c !== t) continue;
      if (prev !== undefined) prev.nextInIndex = t.nextInIndex;
      else if (t.nextInIndex !== undefined) this.servers.set(k, t.nextInIndex);
      else this.servers.delete(k);
      t.nextInIndex = undefined;
      return;
    }
  }
}

/**
 * RFC 3261 §17.2.3: the transaction of the chain from `head` a magic-cookie request matches: same
 * sent-by, same method (ACK and, for a CANCEL looking for its INVITE, `method` = INVITE).
 */
export function matchServer(
  head: ServerTransaction | undefined,
  via: Via,
  method: string,
): ServerTransaction | undefined {
  const m = method === 'ACK' ? 'INVITE' : method;
  for (let t = head; t !== undefined; t = t.nextInIndex) {
    if (t.requestMethod === m && sameSentBy(t.sentByHost, t.sentByPort, via)) return t;
  }
  return undefined;
}
