/**
 * Several transports behind one `send`, with the RFC 3261 §18.1.1 switch from UDP to TCP for
 * large requests.
 * @module
 */
import type { TransportProtocol } from '../address.js';
import { TransportError } from '../errors.js';
import { transportForRequest } from '../sip/message-size.js';
import type { SendResult, SendTarget, Transport } from './transport.js';

/** Options of {@link TransportLayer}. */
export interface TransportLayerOptions {
  /** Path MTU towards peers, when known (RFC 3261 §18.1.1); 1300-octet rule otherwise. */
  readonly pathMtu?: number;
  /** Apply the §18.1.1 switch in {@link TransportLayer.sendRequest} (default true). */
  readonly sizeSwitch?: boolean;
}

/** A target with its transport. */
export interface LayerTarget extends SendTarget {
  /** The transport selected (by RFC 3263 location, or the Via of a request for a response). */
  readonly transport: TransportProtocol;
}

/** What {@link TransportLayer.sendRequest} did. */
export interface LayerSendResult extends SendResult {
  /** The transport actually used (TCP when §18.1.1 switched a UDP request). */
  readonly transport: TransportProtocol;
}

/**
 * Routes messages to the transport of each target. Holds at most one transport per protocol
 * (use one layer per address family when both IPv4 and IPv6 are needed).
 */
export class TransportLayer {
  readonly #transports = new Map<TransportProtocol, Transport>();
  readonly #options: TransportLayerOptions;

  /** Creates a layer over `transports`. */
  constructor(transports: readonly Transport[], options: TransportLayerOptions = {}) {
    for (const t of transports) this.#transports.set(t.protocol, t);
    this.#options = options;
  }

  /** The transport for a protocol, if the layer has one. */
  get(protocol: TransportProtocol): Transport | undefined {
    return this.#transports.get(protocol);
  }

  /** Sends bytes over the target's transport as they are (responses, and requests already sized). */
  send(target: LayerTarget, bytes: Uint8Array): Promise<SendResult> {
    const t = this.#transports.get(target.transport);
    if (!t) {
      return Promise.reject(
        new TransportError('unreachable', `no ${target.transport} transport`, { remote: target.address }),
      );
    }
    return t.send(target, bytes);
  }

  /**
   * Sends a request, serialized by `encode` for the transport that will carry it (the top Via must
   * name it). RFC 3261 §18.1.1: a request over UDP that is larger than 1300 octets (or within 200
   * octets of the path MTU) goes over TCP instead, re-encoded with TCP in the Via; if the TCP
   * connection is refused, the request is sent over UDP after all ("the element SHOULD retry the
   * request, using UDP").
   */
  async sendRequest(
    target: LayerTarget,
    encode: (transport: TransportProtocol) => Uint8Array,
  ): Promise<LayerSendResult> {
    const bytes = encode(target.transport);
    const chosen =
      this.#options.sizeSwitch === false
        ? target.transport
        : transportForRequest(target.transport, bytes.length, this.#options.pathMtu);
    if (chosen === target.transport || !this.#transports.has(chosen)) {
      return { ...(await this.send(target, bytes)), transport: target.transport };
    }
    try {
      return { ...(await this.send({ ...target, transport: chosen }, encode(chosen))), transport: chosen };
    } catch (err) {
      if (!(err instanceof TransportError) || err.code !== 'refused') throw err;
      return { ...(await this.send(target, bytes)), transport: target.transport };
    }
  }

  /** Closes every transport. */
  async close(): Promise<void> {
    await Promise.all([...this.#transports.values()].map((t) => t.close()));
  }
}
