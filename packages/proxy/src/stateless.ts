/**
 * Stateless forwarding (RFC 3261 §16.11): the proxy's whole behaviour in stateless mode, and in
 * stateful mode the path of the ACK for a 2xx and of 2xx responses matching no transaction.
 */
import { createResponse, type SipMessage, SipParseError, serializeMessage } from '@tsvoip/sip';
import { responseRoute, routeByVia, type SipAddress } from '@tsvoip/stack';
import { stampVia } from '@tsvoip/transport';
import { UnknownContextError } from './errors.js';
import { addRecordRoute, applyTarget, popVia, pushVia } from './forward.js';
import { isOurAddressUri, isOurUri } from './locality.js';
import { isOurVia, loopHash, statelessBranch } from './loop.js';
import { DIALOG_METHODS, flowOf, isRouteResponse, needsFlowToken, pickFlow } from './policy.js';
import type { CoreHost } from './proxy-core.js';
import { preprocessRoutes, recordRouteValues } from './route-processing.js';
import type { Arrival, Flow, RouteResult, Target } from './types.js';
import { validateRequest } from './validate.js';

/** A request being forwarded statelessly (waiting for routing or an address). */
interface Pending {
  readonly request: SipMessage;
  readonly arrival: Arrival;
  readonly branch: string;
  readonly poppedFlows: readonly Flow[];
  readonly recordRoute: boolean;
  outFlow?: Flow;
}

/** The stateless part of a {@link ProxyCore}. */
export class StatelessForwarder {
  readonly #host: CoreHost;
  readonly #routing = new Map<number, Pending>();
  readonly #lookups = new Map<number, Pending>();

  /** Works for `host`. */
  constructor(host: CoreHost) {
    this.#host = host;
  }

  /** Stateless mode: a request (RFC 3261 §16.11: validation, routing, forwarding, no state). */
  onRequest(request: SipMessage, arrival: Arrival): void {
    const h = this.#host;
    const o = h.options;
    let top: string | undefined;
    try {
      top = request.getHeader('Via');
      if (top === undefined || request.via.length === 0) return; // nowhere to answer: dropped
      // RFC 3261 §18.2.1, RFC 3581 §4: received/rport on the top Via.
      const stamped = stampVia(top, { address: arrival.source.host, port: arrival.source.port });
      if (stamped !== top) {
        request.removeFirstHeader('Via');
        request.addHeader('Via', stamped, { position: 'first' });
      }
      const uri = request.parsedRequestUri;
      // RFC 3261 §16.3 item 2: a scheme we do not handle gets 416.
      if (uri === undefined || !o.uriSchemes.has(uri.scheme)) {
        this.#answer(request, arrival, 416);
        return;
      }
      const addressedToUs = isOurUri(uri, h.locality);
      const hash = loopHash(request);
      const v = validateRequest(request, o.localAddresses, o.proxyRequire, addressedToUs, hash);
      if (v.kind === 'reject') {
        this.#answer(request, arrival, v.status, v.headers);
        return;
      }
      if (v.kind === 'answer-options') {
        this.#answer(request, arrival, 200, [['Allow', o.allowedMethods.join(', ')]]);
        return;
      }
      const branch = statelessBranch(request, hash);
      const pre = preprocessRoutes(request, h.locality, o.flowKey);
      const inDialog = request.to?.tag !== undefined;
      const p: Pending = {
        request,
        arrival,
        branch,
        poppedFlows: pre.flows,
        recordRoute: o.recordRoute && !inDialog && DIALOG_METHODS.has(request.method),
      };
      if (request.method === 'ACK' && !request.hasHeader('Route') && isOurAddressUri(uri, h.locality)) {
        return; // an ACK for our own response: it ends here (§16.3 loop checks exempt ACK)
      }
      if (inDialog || request.hasHeader('Route')) {
        this.#forward(p, { uri: request.requestUri });
        return;
      }
      const id = h.newId();
      this.#routing.set(id, p);
      h.emit({
        type: 'route',
        contextId: id,
        request,
        context: { id, arrival, flow: flowOf(arrival), requestUriIsOurs: addressedToUs, now: h.now },
      });
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      h.options.logger.warn({ reason: e.message }, 'malformed request dropped by the stateless proxy');
      if (request.method !== 'ACK' && top !== undefined) this.#answer(request, arrival, 400);
    }
  }

  /** Stateless mode: routing decided for `id` (RFC 3261 §16.11: one target, never a fork). */
  onRouteResult(id: number, result: RouteResult): void {
    const p = this.#routing.get(id);
    if (p === undefined) throw new UnknownContextError(id);
    this.#routing.delete(id);
    if (isRouteResponse(result)) {
      if (p.request.method !== 'ACK')
        this.#answer(p.request, p.arrival, result.status, result.headers, result.reason);
      return;
    }
    let target: Target | undefined;
    if (result === undefined) {
      if (!isOurUri(p.request.parsedRequestUri, this.#host.locality)) target = { uri: p.request.requestUri };
    } else {
      for (const t of result) if (target === undefined || (t.q ?? 1) > (target.q ?? 1)) target = t;
    }
    if (target === undefined) {
      if (p.request.method !== 'ACK') this.#answer(p.request, p.arrival, 480);
      return;
    }
    this.#forward(p, target);
  }

  /** Stateful mode: the ACK for a 2xx, forwarded by its Route set (RFC 3261 §16.6, §16.11). */
  forwardInDialog(request: SipMessage, arrival: Arrival): void {
    const h = this.#host;
    const hash = loopHash(request);
    const branch = statelessBranch(request, hash);
    const pre = preprocessRoutes(request, h.locality, h.options.flowKey);
    // An ACK for us (no Route left, our address as Request-URI) or out of hops goes nowhere:
    // forwarding it would loop (ACKs are exempt from the §16.3 loop check).
    if (
      request.maxForwards === 0 ||
      (!request.hasHeader('Route') && isOurAddressUri(request.parsedRequestUri, h.locality))
    ) {
      return;
    }
    this.#forward(
      { request, arrival, branch, poppedFlows: pre.flows, recordRoute: false },
      { uri: request.requestUri },
    );
  }

  #forward(p: Pending, target: Target): void {
    let nextHop: string;
    try {
      nextHop = applyTarget(p.request, target);
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      this.#host.options.logger.warn({ callId: p.request.callId, target: target.uri }, 'bad target URI');
      return;
    }
    const flow = target.flow ?? pickFlow(p.poppedFlows, flowOf(p.arrival));
    if (flow !== undefined) {
      p.outFlow = target.flow;
      this.#send(p, { transport: flow.transport, host: flow.host, port: flow.port }, flow.connectionId);
      return;
    }
    const lookupId = this.#host.newId();
    this.#lookups.set(lookupId, p);
    this.#host.emit({ type: 'resolve', lookupId, uri: nextHop });
  }

  /** The address for look-up `id` (ignored when unknown: the request is simply not forwarded). */
  onResolved(id: number, destination: SipAddress | undefined): void {
    const p = this.#lookups.get(id);
    if (p === undefined) return;
    this.#lookups.delete(id);
    if (destination !== undefined) this.#send(p, destination, undefined);
  }

  #send(p: Pending, destination: SipAddress, connectionId: string | undefined): void {
    const h = this.#host;
    const outbound = h.localFor(destination.transport);
    if (outbound === undefined) return;
    if (p.recordRoute) {
      const inFlow = needsFlowToken(p.request, p.arrival) ? flowOf(p.arrival) : undefined;
      addRecordRoute(
        p.request,
        recordRouteValues(p.arrival.local, outbound, inFlow, p.outFlow, h.options.flowKey),
      );
    }
    // RFC 3261 §16.11: the branch is computed from the request, so a retransmission gets the same.
    pushVia(p.request, outbound, p.branch, true);
    h.transmit(destination, serializeMessage(p.request), connectionId);
    h.emit({ type: 'forwarded', contextId: undefined, request: p.request, destination });
  }

  /** Stateless mode: a response: ours on top → popped and sent on (RFC 3261 §16.7 item 3, §16.11). */
  onResponse(response: SipMessage): void {
    try {
      const top = response.via[0];
      if (top === undefined || !isOurVia(top, this.#host.options.localAddresses)) return;
      const to = popVia(response);
      if (to === undefined) return; // a response to us: a stateless proxy sends no requests
      this.#host.emit({ type: 'response', contextId: undefined, response, target: undefined });
      this.#host.transmit(to, serializeMessage(response));
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      this.#host.options.logger.warn({ reason: e.message }, 'malformed response dropped');
    }
  }

  /** Forwards a response whose Via is already popped, by its new top Via (RFC 3261 §18.2.2). */
  forwardResponse(response: SipMessage): void {
    const next = response.via[0];
    if (next === undefined) return;
    this.#host.emit({ type: 'response', contextId: undefined, response, target: undefined });
    this.#host.transmit(routeByVia(next), serializeMessage(response));
  }

  /** A stateless answer (RFC 3261 §16.3: "behave as a user agent server"). */
  #answer(
    request: SipMessage,
    arrival: Arrival,
    status: number,
    headers?: ReadonlyArray<readonly [string, string]>,
    reason?: string,
  ): void {
    const via = request.via[0];
    if (via === undefined) return;
    const response = createResponse(request, status, reason, { toTag: this.#host.random(), headers });
    const route = responseRoute(via, arrival.source, arrival.connectionId);
    this.#host.transmit(route.to, serializeMessage(response), route.connectionId);
    this.#host.emit({ type: 'answered', request, status });
  }
}
