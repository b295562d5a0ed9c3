/**
 * Transaction-stateful proxying (RFC 3261 §16.2-§16.10): a response context per server
 * transaction, a branch (client transaction) per target, forking by q-value groups, best-response
 * selection, CANCEL propagation and Timer C.
 */
import { createResponse, type SipMessage, SipParseError } from '@tsvoip/sip';
import { type SipAddress, UnknownTransactionError } from '@tsvoip/stack';
import { challengesToAdd, selectBest } from './best-response.js';
import { type Branch, contactsAsTargets, ResponseContext } from './context.js';
import { InvalidRouteResultError, UnknownContextError } from './errors.js';
import { addRecordRoute, applyTarget, copyRequest } from './forward.js';
import { isOurUri } from './locality.js';
import { loopHash, statefulBranchToken } from './loop.js';
import { DIALOG_METHODS, flowOf, isRouteResponse, needsFlowToken, pickFlow } from './policy.js';
import type { CoreHost } from './proxy-core.js';
import { preprocessRoutes, recordRouteValues } from './route-processing.js';
import type { Arrival, Flow, RouteResult } from './types.js';
import { validateRequest } from './validate.js';

/** The stateful part of a {@link ProxyCore}. */
export class StatefulProxy {
  readonly #host: CoreHost;
  readonly #byServer = new Map<string, ResponseContext>();
  readonly #routing = new Map<number, ResponseContext>();
  readonly #byClient = new Map<string, Branch>();
  readonly #lookups = new Map<number, Branch>();

  /** Works for `host`. */
  constructor(host: CoreHost) {
    this.#host = host;
  }

  /** Contexts whose server transaction is alive. */
  get contextCount(): number {
    return this.#byServer.size;
  }

  /** A new request in server transaction `serverTransactionId` (RFC 3261 §16.3 onwards). */
  onRequest(serverTransactionId: string, request: SipMessage, arrival: Arrival): void {
    const h = this.#host;
    const o = h.options;
    const uri = request.parsedRequestUri;
    const addressedToUs = isOurUri(uri, h.locality);
    const hash = loopHash(request);
    const v = validateRequest(request, o.localAddresses, o.proxyRequire, addressedToUs, hash);
    if (v.kind === 'reject') {
      this.#answer(serverTransactionId, request, v.status, v.headers);
      return;
    }
    const keepAlive =
      request.method === 'OPTIONS' &&
      addressedToUs &&
      uri?.kind === 'sip' &&
      uri.user === undefined &&
      !request.hasHeader('Route');
    if (v.kind === 'answer-options' || keepAlive) {
      // RFC 3261 §16.3 item 3 / §11: an OPTIONS for us is answered as a UAS would.
      this.#answer(serverTransactionId, request, 200, [['Allow', o.allowedMethods.join(', ')]]);
      return;
    }
    const pre = preprocessRoutes(request, h.locality, o.flowKey);
    const inDialog = request.to?.tag !== undefined;
    const ctx = new ResponseContext({
      id: h.newId(),
      serverTransactionId,
      request,
      arrival,
      arrivalFlow: flowOf(arrival),
      poppedFlows: pre.flows,
      loopHash: hash,
      recordRoute: o.recordRoute && !inDialog && DIALOG_METHODS.has(request.method),
      // Kept while branches may start (sequential forking, fail-over): a snapshot after
      // pre-processing, so later edits of `request` cannot reach the copies.
      base: copyRequest(request),
    });
    this.#byServer.set(serverTransactionId, ctx);
    if (inDialog || request.hasHeader('Route')) {
      // RFC 3261 §16.5/§16.12: a request routed by its Route set (in-dialog, or loose-routed past
      // us) goes to its Request-URI; the routing functions are not asked.
      this.#applyResult(ctx, [{ uri: request.requestUri }]);
      return;
    }
    this.#routing.set(ctx.id, ctx);
    h.emit({
      type: 'route',
      contextId: ctx.id,
      request,
      context: { id: ctx.id, arrival, flow: ctx.arrivalFlow, requestUriIsOurs: addressedToUs, now: h.now },
    });
  }

  /** The routing functions decided for context `id`. */
  onRouteResult(id: number, result: RouteResult): void {
    const ctx = this.#routing.get(id);
    if (ctx === undefined) throw new UnknownContextError(id);
    this.#routing.delete(id);
    this.#applyResult(ctx, result);
  }

  #applyResult(ctx: ResponseContext, result: RouteResult): void {
    ctx.routing = false;
    if (ctx.finalSent) {
      ctx.release(); // cancelled while routing: 487 already sent
      return;
    }
    if (result === undefined) {
      // RFC 3261 §16.5: a Request-URI outside our domains is its own target; ours with no
      // binding: the target set is empty (480, below).
      result = isOurUri(ctx.request.parsedRequestUri, this.#host.locality)
        ? []
        : [{ uri: ctx.request.requestUri }];
    }
    if (isRouteResponse(result)) {
      if (!Number.isInteger(result.status) || result.status < 300 || result.status > 699) {
        throw new InvalidRouteResultError(`a routing response must be 300-699, got ${result.status}`);
      }
      this.#sendFinal(ctx, result.status, result.reason, result.headers);
      ctx.release();
      return;
    }
    ctx.targets.add(result);
    this.#startNextGroup(ctx);
  }

  /** RFC 3261 §16.6 / §16.8: the next q-value group, in parallel. */
  #startNextGroup(ctx: ResponseContext): void {
    const group = ctx.targets.nextGroup();
    if (group.length === 0) {
      this.#checkComplete(ctx);
      return;
    }
    // All branches of the group exist before any starts, so one finishing at once cannot start
    // the next group early.
    const started = group.map((t) => ctx.addBranch(t));
    for (const b of started) this.#startBranch(b);
  }

  #startBranch(b: Branch): void {
    const ctx = b.context;
    const req = copyRequest(ctx.base);
    let nextHop: string;
    try {
      nextHop = applyTarget(req, b.target);
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      this.#host.options.logger.warn({ callId: ctx.request.callId, target: b.target.uri }, 'bad target URI');
      this.#branchFinal(b, 503);
      return;
    }
    b.request = req;
    const flow = b.target.flow ?? pickFlow(ctx.poppedFlows, ctx.arrivalFlow);
    if (flow !== undefined) {
      // RFC 5626 §5.3: a request toward a registered UA goes over its flow, not to its Contact.
      this.#send(b, { transport: flow.transport, host: flow.host, port: flow.port }, flow.connectionId, flow);
      return;
    }
    const lookupId = this.#host.newId();
    this.#lookups.set(lookupId, b);
    this.#host.emit({ type: 'resolve', lookupId, uri: nextHop });
  }

  /** The address(es) for look-up `id`; false when the look-up is not a stateful one. */
  onResolved(id: number, destination: SipAddress | undefined, alternates: readonly SipAddress[]): boolean {
    const b = this.#lookups.get(id);
    if (b === undefined) return false;
    this.#lookups.delete(id);
    if (b.done) return true; // cancelled while resolving
    // RFC 3263 found nothing: like a transport error (RFC 3261 §16.9: 503).
    if (destination === undefined) this.#branchFinal(b, 503);
    else {
      b.alternates = [...alternates];
      this.#send(b, destination, undefined, undefined);
    }
    return true;
  }

  /**
   * RFC 3263 §4.3: the branch's address failed (transport error, timeout, 503): the same copy
   * goes to the next address, in a new client transaction. False when none is left or the
   * context stopped branching.
   */
  #failover(b: Branch): boolean {
    const ctx = b.context;
    const next = b.alternates.shift();
    if (next === undefined || ctx.accepted || ctx.declined || ctx.cancelled) return false;
    if (b.timerC !== undefined) {
      this.#host.timers.cancel(b.timerC);
      b.timerC = undefined;
    }
    const req = copyRequest(ctx.base);
    applyTarget(req, b.target); // it succeeded on this target already
    b.request = req;
    b.provisional = false;
    this.#host.options.logger.info(
      {
        callId: ctx.request.callId,
        target: b.target.uri,
        next: `${next.transport} ${next.host}:${next.port}`,
      },
      'RFC 3263 fail-over to the next address',
    );
    this.#send(b, next, undefined, undefined);
    return true;
  }

  /** A branch's address failed with `status`: the next address, or the branch ends. */
  #failed(b: Branch, status: number): void {
    if (!this.#failover(b)) this.#branchFinal(b, status);
  }

  #send(
    b: Branch,
    destination: SipAddress,
    connectionId: string | undefined,
    outFlow: Flow | undefined,
  ): void {
    const h = this.#host;
    const ctx = b.context;
    const req = b.request as SipMessage;
    const outbound = h.localFor(destination.transport);
    if (outbound === undefined) {
      this.#failed(b, 503); // no interface for that transport
      return;
    }
    if (ctx.recordRoute) {
      const inFlow = needsFlowToken(ctx.request, ctx.arrival) ? ctx.arrivalFlow : undefined;
      addRecordRoute(req, recordRouteValues(ctx.arrival.local, outbound, inFlow, outFlow, h.options.flowKey));
    }
    // RFC 3261 §16.6 item 8: a new branch per target, carrying the loop hash.
    h.setNextBranchToken(statefulBranchToken(ctx.loopHash, h.random()));
    const id = h.stack.handleInput({ type: 'send-request', request: req, destination, connectionId }, h.now);
    if (id === undefined) return;
    b.transactionId = id;
    this.#byClient.set(id, b);
    // RFC 3261 §16.6 item 11: Timer C for an INVITE branch.
    if (ctx.isInvite) b.timerC = h.timers.schedule(h.now + h.options.timerC, b);
    h.emit({ type: 'forwarded', contextId: ctx.id, request: req, destination });
  }

  /** A response on a branch's client transaction, our Via already removed (RFC 3261 §16.7). */
  onResponse(transactionId: string, response: SipMessage): void {
    const h = this.#host;
    const b = this.#byClient.get(transactionId);
    if (b === undefined) {
      if (response.status >= 200 && response.status < 300) h.forwardResponse(response);
      return;
    }
    const ctx = b.context;
    h.emit({ type: 'response', contextId: ctx.id, response, target: b.target.uri });
    const status = response.status;
    if (status < 200) {
      b.provisional = true;
      if (status === 100) return; // RFC 3261 §16.7 item 5: a 100 is not forwarded
      // RFC 3261 §16.7 item 2: a 101-199 resets Timer C.
      if (b.timerC !== undefined) {
        h.timers.cancel(b.timerC);
        b.timerC = h.timers.schedule(h.now + h.options.timerC, b);
      }
      // RFC 3261 §16.7 item 5: provisional responses are forwarded at once.
      if (!ctx.finalSent) h.respond(ctx.serverTransactionId, response);
      return;
    }
    if (status < 300) {
      this.#finish(b);
      // RFC 3261 §16.7 item 5: any 2xx is forwarded at once, every 2xx of a forked INVITE too;
      // after the server transaction is gone, statelessly (RFC 6026 §8.1).
      if (!h.respond(ctx.serverTransactionId, response)) h.forwardResponse(response);
      const first = !ctx.finalSent;
      ctx.finalSent = true;
      if (first) h.emit({ type: 'final', contextId: ctx.id, status, response });
      if (ctx.isInvite && !ctx.accepted) {
        ctx.accepted = true;
        ctx.targets.clear();
        // RFC 3261 §16.7 item 10: the other branches are cancelled (RFC 3326 Reason).
        this.#cancelPending(ctx, 'SIP;cause=200;text="Call completed elsewhere"');
      }
      this.#checkComplete(ctx);
      return;
    }
    if (b.done || b.transactionId !== transactionId) return; // counted already, or failed over from
    // RFC 3263 §4.3: a 503 from one address of the target: try the next one.
    if (status === 503 && this.#failover(b)) return;
    this.#finish(b);
    const stillBranching = !ctx.accepted && !ctx.declined && !ctx.cancelled;
    if (status < 400 && h.options.redirects === 'recurse' && stillBranching) {
      // RFC 3261 §16.7 item 4: recurse: the Contacts join the target set (each URI once).
      if (ctx.targets.add(contactsAsTargets(response)) === 0)
        ctx.responses.push({ status, message: response });
    } else {
      ctx.responses.push({ status, message: response });
    }
    if (status >= 600 && !ctx.declined) {
      // RFC 3261 §16.7 item 5: a 6xx: no new branches, the pending ones are cancelled.
      ctx.declined = true;
      ctx.targets.clear();
      this.#cancelPending(ctx, `SIP;cause=${status}`);
    }
    this.#checkComplete(ctx);
  }

  /** The caller cancelled the INVITE (RFC 3261 §16.10); the stack already answered the CANCEL. */
  onCancel(serverTransactionId: string): void {
    const ctx = this.#byServer.get(serverTransactionId);
    if (ctx === undefined || ctx.finalSent) return;
    ctx.cancelled = true;
    ctx.targets.clear();
    if (ctx.routing) {
      this.#sendFinal(ctx, 487);
      return;
    }
    this.#cancelPending(ctx, undefined);
    // Between two q groups nothing is pending: the request ends here (RFC 3261 §16.10).
    if (!ctx.pending) {
      this.#sendFinal(ctx, 487);
      ctx.release();
    } else this.#checkComplete(ctx);
  }

  /** A branch's client transaction failed: 408 for a timeout, 503 for a transport error (§16.7, §16.9). */
  onClientFailure(transactionId: string, status: number): void {
    const b = this.#byClient.get(transactionId);
    // A failure of an address already failed over from is not the branch's.
    if (b === undefined || b.done || b.transactionId !== transactionId) return;
    this.#failed(b, status);
  }

  /** Timer C fired for `b` (RFC 3261 §16.8). */
  onTimerC(b: Branch): void {
    b.timerC = undefined;
    if (b.done || b.transactionId === undefined) return;
    // RFC 3261 §16.8: with a provisional response the branch is CANCELled (it ends with 487);
    // without one it is as if it got a 408 (the CANCEL waits for a provisional, §9.1).
    this.#cancelBranch(b, undefined);
    if (!b.provisional) this.#branchFinal(b, 408);
  }

  /** A transaction ended. */
  onTerminated(transactionId: string): void {
    if (this.#byClient.delete(transactionId)) return;
    this.#byServer.delete(transactionId);
  }

  // ---- helpers -------------------------------------------------------------------------------

  #finish(b: Branch): void {
    b.done = true;
    if (b.timerC !== undefined) {
      this.#host.timers.cancel(b.timerC);
      b.timerC = undefined;
    }
  }

  /** A branch ended with a status the proxy made up (408, 487, 503). */
  #branchFinal(b: Branch, status: number): void {
    this.#finish(b);
    b.context.responses.push({ status });
    this.#checkComplete(b.context);
  }

  #cancelPending(ctx: ResponseContext, reason: string | undefined): void {
    for (const b of ctx.branches) {
      if (b.done) continue;
      if (b.transactionId === undefined) {
        // Not sent yet (resolving): it never will be.
        this.#finish(b);
        ctx.responses.push({ status: 487 });
      } else if (ctx.isInvite) this.#cancelBranch(b, reason);
    }
  }

  #cancelBranch(b: Branch, reason: string | undefined): void {
    const h = this.#host;
    const headers: ReadonlyArray<readonly [string, string]> | undefined =
      reason !== undefined && h.options.cancelReason ? [['Reason', reason]] : undefined;
    try {
      h.stack.handleInput({ type: 'cancel', transactionId: b.transactionId as string, headers }, h.now);
    } catch (e) {
      if (!(e instanceof UnknownTransactionError)) throw e; // the transaction already ended
    }
  }

  #checkComplete(ctx: ResponseContext): void {
    if (ctx.routing || ctx.pending) return;
    if (!ctx.finalSent && !ctx.accepted && !ctx.declined && !ctx.cancelled && ctx.targets.pending > 0) {
      this.#startNextGroup(ctx);
      return;
    }
    if (!ctx.finalSent) this.#sendBest(ctx);
    // Nothing more to send for it: the messages it holds go (see ResponseContext.release).
    ctx.release();
  }

  /** RFC 3261 §16.7 item 6-8: the best response goes upstream. */
  #sendBest(ctx: ResponseContext): void {
    const i = selectBest(ctx.responses);
    if (i < 0) {
      // RFC 3261 §16.5: an empty target set: 480.
      this.#sendFinal(ctx, ctx.cancelled ? 487 : 480);
      return;
    }
    const r = ctx.responses[i];
    // RFC 3261 §16.7 item 6: "If the selected response is a 503, the proxy MUST generate a 500".
    if (r.message === undefined) {
      this.#sendFinal(ctx, r.status === 503 ? 500 : r.status);
      return;
    }
    const response = r.message;
    if (r.status === 503) response.setStatus(500, 'Server Internal Error');
    if (r.status === 401 || r.status === 407) {
      // RFC 3261 §16.7 item 7: all the challenges of the 401/407s go into the one sent.
      for (const [name, value] of challengesToAdd(response, ctx.responses)) response.addHeader(name, value);
    }
    ctx.finalSent = true;
    this.#host.respond(ctx.serverTransactionId, response);
    this.#host.emit({ type: 'final', contextId: ctx.id, status: response.status, response });
  }

  #sendFinal(
    ctx: ResponseContext,
    status: number,
    reason?: string,
    headers?: ReadonlyArray<readonly [string, string]>,
  ): void {
    const h = this.#host;
    const response = createResponse(ctx.request, status, reason, { toTag: h.random(), headers });
    ctx.finalSent = true;
    h.respond(ctx.serverTransactionId, response);
    h.emit({ type: 'final', contextId: ctx.id, status, response });
  }

  #answer(
    serverTransactionId: string,
    request: SipMessage,
    status: number,
    headers?: ReadonlyArray<readonly [string, string]>,
  ): void {
    const h = this.#host;
    const response = createResponse(request, status, undefined, { toTag: h.random(), headers });
    h.respond(serverTransactionId, response);
    h.emit({ type: 'answered', request, status });
  }
}
