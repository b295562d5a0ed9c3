/**
 * A driver running a {@link SipProxy} on the simulated network of `@tsvoip/transport` (virtual
 * time), for tests and examples.
 */
import type { SipAddress } from '@tsvoip/stack';
import {
  addressKey,
  type Delivery,
  isStreamTransport,
  type SimNetwork,
  TransportError,
  type VirtualClock,
} from '@tsvoip/transport';
import type { SipProxy } from './proxy.js';

/** A proxy bound to addresses of a SimNetwork; a participant of a VirtualClock. */
export class ProxySimNode {
  /** The proxy. */
  readonly proxy: SipProxy;
  readonly #network: SimNetwork;
  readonly #clock: VirtualClock;
  readonly #addresses: readonly SipAddress[];
  #deadline = Infinity;

  /** Binds `proxy` on its core's local addresses and adds the node to `clock`. */
  constructor(network: SimNetwork, clock: VirtualClock, proxy: SipProxy) {
    this.proxy = proxy;
    this.#network = network;
    this.#clock = clock;
    this.#addresses = proxy.core.options.localAddresses;
    for (const a of this.#addresses) network.bind(a, (d, now) => this.#deliver(d, now));
    proxy.attach({
      transmit: (o) => this.#transmit(o.to, o.bytes, o.transactionId),
      schedule: (at) => {
        this.#deadline = at;
      },
      now: () => this.#clock.now,
    });
    clock.add(this);
    proxy.flush(clock.now);
  }

  /** @inheritdoc */
  nextDeadline(): number | undefined {
    return this.#deadline === Infinity ? undefined : this.#deadline;
  }

  /** @inheritdoc */
  handleTimeout(now: number): void {
    this.proxy.handleInput({ type: 'timer' }, now);
  }

  #transmit(to: SipAddress, bytes: Uint8Array, transactionId: string | undefined): void {
    const now = this.#clock.now;
    const local = this.#addresses.find((a) => a.transport === to.transport);
    const outcome = local === undefined ? 'unreachable' : this.#network.send(local, to, bytes, now);
    if (outcome === 'too-large' || (outcome === 'unreachable' && isStreamTransport(to.transport))) {
      const error = new TransportError(outcome, `${addressKey(to)}: ${outcome}`, { remote: addressKey(to) });
      // Reported on the virtual clock once the current flush is over (the core is draining).
      this.#clock.at(now, (t) =>
        this.proxy.handleInput({ type: 'send-failed', transactionId, to, error }, t),
      );
    }
  }

  #deliver(d: Delivery, now: number): void {
    const stream = isStreamTransport(d.to.transport);
    this.proxy.handleInput(
      stream
        ? { type: 'stream', bytes: d.bytes, source: d.from, local: d.to, connectionId: addressKey(d.from) }
        : { type: 'datagram', bytes: d.bytes, source: d.from, local: d.to },
      now,
    );
  }
}
