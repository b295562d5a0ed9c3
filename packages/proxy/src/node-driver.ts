/**
 * The Node driver of a {@link SipProxy}: the stack's {@link NodeStackDriver} (`@tsvoip/transport`'s
 * Node transports in, bytes out, ONE setTimeout) plugged into the proxy's driver hooks. The proxy
 * drains its own core (it answers the core's route and resolve events, also after an await) and
 * pushes transmits and deadlines to the driver.
 */
import { NodeStackDriver, type SansIoCore } from '@tsvoip/stack';
import type { Transport } from '@tsvoip/transport';
import type { SipProxy } from './proxy.js';

/** Options of {@link NodeProxyDriver}. */
export interface NodeProxyDriverOptions {
  /** Monotonic clock in ms (default `performance.now`). */
  readonly clock?: () => number;
}

/** Runs `proxy` on listening `transports` (one per protocol). */
export class NodeProxyDriver extends NodeStackDriver<SansIoCore> {
  /** The proxy. */
  readonly proxy: SipProxy;

  /** Attaches `proxy` to `transports` (already listening on the proxy's `localAddresses`). */
  constructor(proxy: SipProxy, transports: readonly Transport[], options: NodeProxyDriverOptions = {}) {
    // The inbound interface (for Record-Route, RFC 3261 §16.6 item 4) is the listener, not a
    // connection's own address.
    super(
      { handleInput: (input, now) => proxy.handleInput(input, now), pollOutput: () => undefined },
      transports,
      {
        clock: options.clock,
        local: 'listener',
      },
    );
    this.proxy = proxy;
    proxy.attach({
      transmit: (o) => this.transmit(o),
      schedule: (at) => this.schedule(at),
      now: () => this.now(),
    });
    proxy.flush(this.now());
  }
}
