/**
 * The simulated-network driver: runs stack cores over `@tsvoip/transport`'s SimNetwork on
 * virtual time (a VirtualClock), so 32 s of SIP timers and lossy links run in milliseconds.
 */
import {
  addressKey,
  type Delivery,
  isStreamTransport,
  type SimNetwork,
  type SimParticipant,
  TransportError,
  VirtualClock,
} from '@tsvoip/transport';
import type { SipAddress } from '../core/address.js';
import type { StackEvent } from '../core/io.js';
import type { SipStack } from '../core/stack.js';

/** Receives a core's events; may call the core's commands (the node flushes afterwards). */
export type SimEventHandler = (event: StackEvent, node: SimStackNode, now: number) => void;

/** One stack core bound to addresses of a {@link SimNetwork}. A participant of a VirtualClock. */
export class SimStackNode implements SimParticipant {
  /** The core. */
  readonly stack: SipStack;
  /** Every event the core emitted, with its virtual time. */
  readonly events: Array<{ readonly at: number; readonly event: StackEvent }> = [];
  /** The handler of events (set it to play the TU). */
  onEvent: SimEventHandler | undefined;
  readonly #network: SimNetwork;
  readonly #addresses: readonly SipAddress[];
  #deadline = Infinity;

  /** Binds `addresses` on `network` for `stack`. */
  constructor(
    network: SimNetwork,
    stack: SipStack,
    addresses: readonly SipAddress[],
    onEvent?: SimEventHandler,
  ) {
    this.#network = network;
    this.stack = stack;
    this.#addresses = addresses;
    this.onEvent = onEvent;
    for (const a of addresses) network.bind(a, (d, now) => this.#deliver(d, now));
  }

  /** @inheritdoc */
  nextDeadline(): number | undefined {
    return this.#deadline === Infinity ? undefined : this.#deadline;
  }

  /** @inheritdoc */
  handleTimeout(now: number): void {
    this.stack.handleInput({ type: 'timer' }, now);
    this.flush(now);
  }

  /** Runs `command` on the core at `now` and carries its outputs out; returns what it returned. */
  run<T>(now: number, command: (stack: SipStack) => T): T {
    const r = command(this.stack);
    this.flush(now);
    return r;
  }

  /** Drains the core's outputs: transmits onto the network, events to the handler, the deadline kept. */
  flush(now: number): void {
    for (let o = this.stack.pollOutput(now); o !== undefined; o = this.stack.pollOutput(now)) {
      if (o.type === 'timeout') this.#deadline = o.at;
      else if (o.type === 'event') {
        this.events.push({ at: now, event: o.event });
        this.onEvent?.(o.event, this, now);
      } else {
        const local = this.#addresses.find((a) => a.transport === o.to.transport);
        const outcome = local === undefined ? 'unreachable' : this.#network.send(local, o.to, o.bytes, now);
        // A lost datagram is silent (UDP); a refused stream or an oversize datagram is reported.
        if (outcome === 'too-large' || (outcome === 'unreachable' && isStreamTransport(o.to.transport))) {
          const code = outcome === 'too-large' ? 'too-large' : 'unreachable';
          const error = new TransportError(code, `${addressKey(o.to)}: ${outcome}`, {
            remote: addressKey(o.to),
          });
          this.stack.handleInput(
            { type: 'send-failed', transactionId: o.transactionId, to: o.to, error },
            now,
          );
        }
      }
    }
  }

  #deliver(d: Delivery, now: number): void {
    const stream = isStreamTransport(d.to.transport);
    this.stack.handleInput(
      stream
        ? { type: 'stream', bytes: d.bytes, source: d.from, local: d.to, connectionId: addressKey(d.from) }
        : { type: 'datagram', bytes: d.bytes, source: d.from, local: d.to },
      now,
    );
    this.flush(now);
  }
}

/** Several cores on one simulated network and one virtual clock. */
export class SimDriver {
  /** The virtual clock (also drives the network). */
  readonly clock: VirtualClock;
  /** The network. */
  readonly network: SimNetwork;

  /** Drives `network` on `clock` (a new clock at 0 by default). */
  constructor(network: SimNetwork, clock: VirtualClock = new VirtualClock()) {
    this.network = network;
    this.clock = clock;
    clock.add(network);
  }

  /** The current virtual time (ms). */
  get now(): number {
    return this.clock.now;
  }

  /** Adds a core listening on `addresses`. */
  add(stack: SipStack, addresses: readonly SipAddress[], onEvent?: SimEventHandler): SimStackNode {
    const node = new SimStackNode(this.network, stack, addresses, onEvent);
    this.clock.add(node);
    node.flush(this.clock.now);
    return node;
  }

  /** Runs `ms` of virtual time. */
  advance(ms: number): void {
    this.clock.advance(ms);
  }

  /** Runs until nothing is scheduled (or `limitMs` of virtual time passed). */
  runUntilIdle(limitMs?: number): void {
    this.clock.runUntilIdle(limitMs === undefined ? {} : { limitMs });
  }
}
