/**
 * @tsvoip/proxy: a SIP proxy (RFC 3261 §16): transaction-stateful and stateless forwarding,
 * forking (parallel, sequential by q), best-response selection, CANCEL propagation, Timer C,
 * loop detection, Record-Route (RFC 5658 double record-routing), flows for UAs behind NATs
 * (RFC 5626 style flow tokens, RFC 3581), and a routing API in Node idiom.
 */

export { type CollectedResponse, challengesToAdd, selectBest } from './best-response.js';
export type {
  AnsweredEvent,
  BranchResponseEvent,
  FinalEvent,
  ForwardedEvent,
  ProxyEvent,
  ProxyEventOutput,
  ProxyInput,
  ProxyOutput,
  ResolvedInput,
  ResolveEvent,
  RouteEvent,
  RouteResultInput,
} from './core-io.js';
export { FlowTokenError, InvalidRouteResultError, ProxyError, UnknownContextError } from './errors.js';
export { decodeFlowToken, encodeFlowToken, sameFlow } from './flow-token.js';
export { DEFAULT_MAX_FORWARDS } from './forward.js';
export { detectLoop, hashOfBranch, loopHash, statelessBranch } from './loop.js';
export { NodeProxyDriver, type NodeProxyDriverOptions } from './node-driver.js';
export { DEFAULT_TIMER_C, type ProxyCoreOptions } from './options.js';
export { DIALOG_METHODS, flowOf, needsFlowToken, pickFlow } from './policy.js';
export { type ProxyDriverHooks, type ProxyEvents, type ProxyOptions, SipProxy } from './proxy.js';
export { ProxyCore } from './proxy-core.js';
export { pooledRandomToken } from './random.js';
export { createNextHopResolver } from './resolve.js';
export {
  type Preprocessed,
  postprocessRoutes,
  preprocessRoutes,
  recordRouteValue,
  recordRouteValues,
} from './route-processing.js';
export { ProxySimNode } from './sim-node.js';
export { TargetSet } from './target-set.js';
export type {
  Arrival,
  Flow,
  NextHop,
  NextHopResolver,
  RedirectPolicy,
  RouteContext,
  RouteFunction,
  RouteResponse,
  RouteResult,
  Target,
} from './types.js';
