/**
 * A simulated network on virtual time, for testing sans-IO SIP cores without sockets: delay, jitter
 * (hence reordering), loss, duplication and an MTU on datagram links; reliable in-order delivery on
 * stream links (TCP, TLS, WS, WSS).
 * @module
 */
import { addressKey, isStreamTransport, type TransportAddress } from '../address.js';
import { SimulationError } from '../errors.js';
import { TimeHeap } from './min-heap.js';
import { createPrng } from './prng.js';

/** How a link treats packets. Every field is optional; missing fields take the network defaults. */
export interface LinkConditions {
  /** Fixed one-way delay in ms (default 0). */
  readonly delayMs?: number;
  /** Extra delay, uniform in [0, jitterMs), drawn per packet (default 0); reorders datagrams. */
  readonly jitterMs?: number;
  /** Probability in [0, 1] that a datagram is lost (default 0; streams never lose). */
  readonly loss?: number;
  /** Probability in [0, 1] that a datagram is delivered twice (default 0; streams never duplicate). */
  readonly duplicate?: number;
  /** Largest datagram carried, in bytes (default unlimited); larger ones are dropped. */
  readonly mtu?: number;
}

/** A packet handed to its destination. */
export interface Delivery {
  /** The sender. */
  readonly from: TransportAddress;
  /** The receiver. */
  readonly to: TransportAddress;
  /** A private copy of the bytes sent. */
  readonly bytes: Uint8Array;
  /** Virtual time the packet was sent. */
  readonly sentAt: number;
  /** Virtual time the packet arrives. */
  readonly at: number;
  /** True for the extra copy made by duplication. */
  readonly duplicate: boolean;
}

/** What happened to a packet at {@link SimNetwork.send}. */
export type SendOutcome = 'queued' | 'lost' | 'too-large' | 'unreachable';

/** Counters kept by a {@link SimNetwork}. */
export interface SimNetworkStats {
  /** Packets given to `send`. */
  sent: number;
  /** Packets handed to a receiver (duplicates included). */
  delivered: number;
  /** Datagrams lost on purpose. */
  lost: number;
  /** Extra copies made. */
  duplicated: number;
  /** Datagrams over the MTU. */
  tooLarge: number;
  /** Packets to an address nobody is bound to (at send or at delivery). */
  unreachable: number;
}

/** Receives deliveries for a bound address (see {@link SimNetwork.bind}). */
export type DeliveryHandler = (delivery: Delivery, now: number) => void;

/** Options of {@link SimNetwork}. */
export interface SimNetworkOptions {
  /** Seed of the internal PRNG (default 1). Ignored when `random` is given. */
  readonly seed?: number;
  /** A random source in [0, 1) to use instead of the seeded PRNG. */
  readonly random?: () => number;
  /** Conditions of every link without its own. */
  readonly defaults?: LinkConditions;
}

interface Scheduled extends Delivery {
  readonly seq: number;
}

/**
 * The simulated network. Sans-IO: it never reads a clock; `send` and `poll` take `now` (ms).
 * Endpoints are bound by address; links are configured per (source host, destination host) pair.
 */
export class SimNetwork {
  /** Counters. */
  readonly stats: SimNetworkStats = {
    sent: 0,
    delivered: 0,
    lost: 0,
    duplicated: 0,
    tooLarge: 0,
    unreachable: 0,
  };
  readonly #random: () => number;
  #defaults: LinkConditions;
  readonly #links = new Map<string, LinkConditions>();
  readonly #endpoints = new Map<string, DeliveryHandler | null>();
  readonly #queue = new TimeHeap<Scheduled>();
  /** Last arrival time per stream flow, so stream packets never overtake each other. */
  readonly #streamTail = new Map<string, number>();
  readonly #inbox = new Map<string, Delivery[]>();
  #seq = 0;

  /** Creates a network; see {@link SimNetworkOptions}. */
  constructor(options: SimNetworkOptions = {}) {
    this.#random = options.random ?? createPrng(options.seed ?? 1);
    this.#defaults = options.defaults ?? {};
  }

  /**
   * Registers an endpoint. On {@link handleTimeout}, deliveries to it go to `handler`, or to its inbox
   * ({@link drain}) when there is none. Throws {@link SimulationError} when the address is taken.
   */
  bind(address: TransportAddress, handler?: DeliveryHandler): void {
    const key = addressKey(address);
    if (this.#endpoints.has(key)) throw new SimulationError(`address in use: ${key}`);
    this.#endpoints.set(key, handler ?? null);
  }

  /** Removes an endpoint; packets in flight to it are dropped as unreachable on arrival. */
  unbind(address: TransportAddress): void {
    this.#endpoints.delete(addressKey(address));
    this.#inbox.delete(addressKey(address));
  }

  /** Sets the conditions of every link without its own. */
  setDefaults(conditions: LinkConditions): void {
    this.#defaults = conditions;
  }

  /** Sets the conditions from `fromHost` to `toHost` (and back, unless `oneWay`). */
  setLink(fromHost: string, toHost: string, conditions: LinkConditions, oneWay = false): void {
    this.#links.set(`${fromHost}>${toHost}`, conditions);
    if (!oneWay) this.#links.set(`${toHost}>${fromHost}`, conditions);
  }

  /** The conditions in force from `fromHost` to `toHost`. */
  conditions(fromHost: string, toHost: string): LinkConditions {
    return { ...this.#defaults, ...this.#links.get(`${fromHost}>${toHost}`) };
  }

  /**
   * Sends `bytes` from `from` to `to` at virtual time `now`. The bytes are copied. A datagram (UDP)
   * may be dropped (MTU, loss), duplicated, and delayed by delay + jitter, so datagrams reorder; a
   * stream packet (TCP, TLS, WS, WSS) is delayed but never lost, duplicated or reordered.
   */
  send(from: TransportAddress, to: TransportAddress, bytes: Uint8Array, now: number): SendOutcome {
    this.stats.sent++;
    if (!this.#endpoints.has(addressKey(to))) {
      this.stats.unreachable++;
      return 'unreachable';
    }
    const c = this.conditions(from.host, to.host);
    const delay = (c.delayMs ?? 0) + (c.jitterMs ? this.#random() * c.jitterMs : 0);
    const copy = bytes.slice();
    if (isStreamTransport(to.transport)) {
      const flow = `${addressKey(from)}>${addressKey(to)}`;
      const at = Math.max(now + delay, this.#streamTail.get(flow) ?? Number.NEGATIVE_INFINITY);
      this.#streamTail.set(flow, at);
      this.#schedule(from, to, copy, now, at, false);
      return 'queued';
    }
    if (c.mtu !== undefined && bytes.length > c.mtu) {
      this.stats.tooLarge++;
      return 'too-large';
    }
    if (c.loss && this.#random() < c.loss) {
      this.stats.lost++;
      return 'lost';
    }
    this.#schedule(from, to, copy, now, now + delay, false);
    if (c.duplicate && this.#random() < c.duplicate) {
      this.stats.duplicated++;
      const again = (c.delayMs ?? 0) + (c.jitterMs ? this.#random() * c.jitterMs : 0);
      this.#schedule(from, to, copy, now, now + again, true);
    }
    return 'queued';
  }

  #schedule(
    from: TransportAddress,
    to: TransportAddress,
    bytes: Uint8Array,
    sentAt: number,
    at: number,
    dup: boolean,
  ) {
    this.#queue.push({ from, to, bytes, sentAt, at, duplicate: dup, seq: this.#seq++ });
  }

  /** The virtual time of the next delivery, or `undefined` when nothing is in flight. */
  nextDeadline(): number | undefined {
    return this.#queue.peek()?.at;
  }

  /** Packets in flight. */
  get inFlight(): number {
    return this.#queue.size;
  }

  /**
   * Returns the next delivery due at `now` (arrival time ≤ now), earliest first, or `undefined`.
   * Deliveries to an address unbound since sending are dropped (counted as unreachable).
   */
  poll(now: number): Delivery | undefined {
    for (;;) {
      const next = this.#queue.peek();
      if (next === undefined || next.at > now) return undefined;
      this.#queue.pop();
      if (!this.#endpoints.has(addressKey(next.to))) {
        this.stats.unreachable++;
        continue;
      }
      this.stats.delivered++;
      const { seq: _seq, ...delivery } = next;
      return delivery;
    }
  }

  /**
   * Hands every delivery due at `now` to its endpoint's handler; deliveries to an endpoint bound
   * without a handler wait in its inbox (see {@link drain}). Returns the number handed out. Lets a
   * {@link VirtualClock} drive the network as a participant.
   */
  handleTimeout(now: number): number {
    let n = 0;
    for (let d = this.poll(now); d !== undefined; d = this.poll(now)) {
      const key = addressKey(d.to);
      const handler = this.#endpoints.get(key);
      if (handler) handler(d, now);
      else {
        const box = this.#inbox.get(key);
        if (box) box.push(d);
        else this.#inbox.set(key, [d]);
      }
      n++;
    }
    return n;
  }

  /** Takes the deliveries waiting for an endpoint bound without a handler, oldest first. */
  drain(address: TransportAddress): Delivery[] {
    const key = addressKey(address);
    const box = this.#inbox.get(key) ?? [];
    this.#inbox.delete(key);
    return box;
  }
}
