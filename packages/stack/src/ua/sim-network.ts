/**
 * A virtual network and clock for tests of UA cores (str0m-style): nodes exchange datagrams with
 * a fixed latency; a drop rule simulates loss; a fork address copies a datagram to several nodes
 * (a forking proxy as the UAC sees it). Deterministic: tokens come from counters, randomness
 * from a seeded generator. Test support only; not exported from the package.
 */
import { parseMessage, type SipMessage } from '@tsvoip/sip';
import type { SimParticipant, SimNetwork as TransportSimNetwork, VirtualClock } from '@tsvoip/transport';
import type { SipAddress } from '../core/address.js';
import { SipStack } from '../core/stack.js';
import { UA_METHODS, UA_OPTION_TAGS, type UserAgentOptions } from './options.js';
import { createUserAgentCore, type UserAgentCore } from './user-agent-core.js';

/** One datagram seen on the virtual wire. */
export interface WireRecord {
  /** Send time. */
  readonly at: number;
  /** Sender name. */
  readonly from: string;
  /** Receiver name (or the fork address). */
  readonly to: string;
  /** The parsed message. */
  readonly message: SipMessage;
  /** True when the drop rule discarded it. */
  readonly dropped: boolean;
}

/** A UA on the virtual network. */
export interface SimNode {
  /** Name (also the user part of its URIs). */
  readonly name: string;
  /** Its UDP address. */
  readonly address: SipAddress;
  /** The UA core. */
  readonly ua: UserAgentCore;
  /** Its stack core. */
  readonly stack: SipStack;
  /** Its SIP URI, `sip:name@host:port`. */
  readonly uri: string;
  /** @internal Earliest deadline reported. */
  deadline: number;
}

/** A small seeded PRNG (mulberry32) for deterministic tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The virtual network. */
export class SimNetwork {
  /** Virtual time (ms). */
  now = 0;
  /** One-way latency (ms). */
  latency = 10;
  /** Every datagram sent, in order. */
  readonly wire: WireRecord[] = [];
  /** Returns true to drop a datagram. */
  drop: (message: SipMessage, from: string, to: string) => boolean = () => false;
  readonly #nodes: SimNode[] = [];
  readonly #forks = new Map<string, SimNode[]>();
  #inflight: Array<{ at: number; seq: number; to: SimNode; from: SimNode; bytes: Uint8Array }> = [];
  #seq = 0;

  /** Adds a UA at 10.0.0.x:5060. */
  addNode(name: string, options?: Partial<UserAgentOptions>, extraMethods: readonly string[] = []): SimNode {
    const host = `10.0.0.${this.#nodes.length + 1}`;
    const address: SipAddress = { transport: 'UDP', host, port: 5060 };
    let n = 0;
    const token = () => `${name}${++n}`;
    const stack = new SipStack({
      localAddresses: [address],
      random: token,
      allowedMethods: [...UA_METHODS, ...extraMethods],
      supportedOptionTags: UA_OPTION_TAGS,
      idPrefix: `${name}-t`,
    });
    const uri = `sip:${name}@${host}:5060`;
    const ua = createUserAgentCore(stack, {
      contact: `<${uri}>`,
      from: `<sip:${name}@example.com>`,
      token,
      random: seededRandom(this.#nodes.length + 7),
      ...options,
    });
    const node: SimNode = { name, address, ua, stack, uri, deadline: Infinity };
    this.#nodes.push(node);
    return node;
  }

  /** Makes datagrams sent to `host` go to each of `targets` (a forking proxy as seen by the UAC). */
  addFork(host: string, targets: SimNode[]): void {
    this.#forks.set(host, targets);
  }

  #nodeAt(host: string): SimNode[] {
    const fork = this.#forks.get(host);
    if (fork !== undefined) return fork;
    const n = this.#nodes.find((x) => x.address.host === host);
    return n === undefined ? [] : [n];
  }

  /** Drains the outputs of every node (call after commands issued outside `run`). */
  flush(): void {
    for (const node of this.#nodes) {
      for (let o = node.ua.pollOutput(this.now); o !== undefined; o = node.ua.pollOutput(this.now)) {
        if (o.type === 'transmit') {
          const message = parseMessage(o.bytes);
          const targets = this.#nodeAt(o.to.host);
          const dropped = this.drop(message, node.name, targets.map((t) => t.name).join('+') || o.to.host);
          this.wire.push({
            at: this.now,
            from: node.name,
            to: targets.map((t) => t.name).join('+'),
            message,
            dropped,
          });
          if (dropped) continue;
          for (const t of targets)
            this.#inflight.push({
              at: this.now + this.latency,
              seq: this.#seq++,
              to: t,
              from: node,
              bytes: o.bytes,
            });
        }
      }
      node.deadline = node.ua.nextDeadline();
    }
  }

  /** Runs until virtual time `until` (absolute ms), delivering datagrams and firing timers in order. */
  run(until: number): void {
    this.flush();
    for (;;) {
      let next = Infinity;
      for (const d of this.#inflight) if (d.at < next) next = d.at;
      for (const n of this.#nodes) if (n.deadline < next) next = n.deadline;
      if (next > until) break;
      this.now = Math.max(this.now, next);
      const due = this.#inflight.filter((d) => d.at <= this.now).sort((a, b) => a.at - b.at || a.seq - b.seq);
      this.#inflight = this.#inflight.filter((d) => d.at > this.now);
      for (const d of due) {
        d.to.ua.handleInput(
          { type: 'datagram', bytes: d.bytes, source: d.from.address, local: d.to.address },
          this.now,
        );
        this.flush();
      }
      for (const n of this.#nodes) {
        if (n.deadline <= this.now) {
          n.ua.tick(this.now);
          this.flush();
        }
      }
    }
    this.now = Math.max(this.now, until);
    for (const n of this.#nodes) n.ua.tick(this.now);
    this.flush();
  }

  /** Runs for `ms` more. */
  advance(ms: number): void {
    this.run(this.now + ms);
  }

  /** Start lines of the datagrams sent (not dropped) between two nodes, e.g. `INVITE`, `180`. */
  trace(filter?: (r: WireRecord) => boolean): string[] {
    return this.wire
      .filter((r) => !r.dropped && (filter === undefined || filter(r)))
      .map(
        (r) =>
          `${r.from}>${r.to} ${r.message.isRequest ? r.message.method : `${r.message.status} ${r.message.method}`}`,
      );
  }
}

/**
 * A UA core on `@tsvoip/transport`'s SimNetwork (random loss, duplication, jitter) and its
 * VirtualClock: the same wiring as the stack's SimStackNode, with the UA core on top.
 */
export class TransportSimUa implements SimParticipant {
  /** The UA core. */
  readonly ua: UserAgentCore;
  /** Its address. */
  readonly address: SipAddress;
  readonly #network: TransportSimNetwork;

  /** Binds `address` on `network` for `ua`. */
  constructor(network: TransportSimNetwork, ua: UserAgentCore, address: SipAddress) {
    this.#network = network;
    this.ua = ua;
    this.address = address;
    network.bind(address, (d, now) => {
      ua.handleInput({ type: 'datagram', bytes: d.bytes, source: d.from, local: d.to }, now);
      this.flush(now);
    });
  }

  /** @inheritdoc */
  nextDeadline(): number | undefined {
    const d = this.ua.nextDeadline();
    return d === Infinity ? undefined : d;
  }

  /** @inheritdoc */
  handleTimeout(now: number): void {
    this.ua.tick(now);
    this.flush(now);
  }

  /** Sends what the UA queued. */
  flush(now: number): void {
    for (let o = this.ua.pollOutput(now); o !== undefined; o = this.ua.pollOutput(now)) {
      if (o.type === 'transmit') this.#network.send(this.address, o.to, o.bytes, now);
    }
  }

  /** Creates a UA named `name` at `host`:5060 on `network` and adds it to `clock`. */
  static create(
    network: TransportSimNetwork,
    clock: VirtualClock,
    name: string,
    host: string,
  ): TransportSimUa {
    const address: SipAddress = { transport: 'UDP', host, port: 5060 };
    let n = 0;
    const token = () => `${name}${++n}`;
    const stack = new SipStack({
      localAddresses: [address],
      random: token,
      allowedMethods: UA_METHODS,
      supportedOptionTags: UA_OPTION_TAGS,
    });
    const ua = createUserAgentCore(stack, {
      contact: `<sip:${name}@${host}:5060>`,
      from: `<sip:${name}@example.com>`,
      token,
      random: seededRandom(host.length),
    });
    const node = new TransportSimUa(network, ua, address);
    clock.add(node);
    return node;
  }
}
