/**
 * Request pre-processing of RFC 3261 §16.4 (strict-route fix-up, popping our own Route values),
 * the loose/strict routing post-processing of §16.6 item 6, and Record-Route values
 * (§16.6 item 4, RFC 5658 double record-routing, RFC 5626 flow tokens).
 */
import type { SipMessage, SipUri } from '@tsvoip/sip';
import { bracketHost, type SipAddress } from '@tsvoip/stack';
import { decodeFlowToken, encodeFlowToken } from './flow-token.js';
import { isOurAddressUri, type Locality, routeUri } from './locality.js';
import type { Flow } from './types.js';

/** What §16.4 did to a request. */
export interface Preprocessed {
  /** The Request-URI was ours and the last Route value replaced it (a strict router upstream). */
  readonly strictRouteFixed: boolean;
  /** How many of our own Route values were popped (two after double record-routing). */
  readonly popped: number;
  /** Flows named by the popped values' flow tokens (RFC 5626 §5.3). */
  readonly flows: readonly Flow[];
}

/**
 * RFC 3261 §16.4: if the Request-URI is a value we put in a Record-Route (a strict router sent
 * us the request), the last Route value becomes the Request-URI; then our own values at the top
 * of Route are removed (RFC 5658: both of a double Record-Route). Mutates `request`.
 */
export function preprocessRoutes(request: SipMessage, loc: Locality, flowKey?: Uint8Array): Preprocessed {
  let strictRouteFixed = false;
  const routes = request.getHeaders('Route');
  if (routes.length > 0 && isOurAddressUri(request.parsedRequestUri, loc)) {
    // RFC 3261 §16.4: "replace the Request-URI with the last value from the Route header field,
    // and remove that value from the Route header field".
    const last = routeUri(routes[routes.length - 1]);
    if (last !== undefined) {
      request.setRequestUri(last);
      if (routes.length === 1) request.removeHeader('Route');
      else request.setHeader('Route', routes.slice(0, -1));
      strictRouteFixed = true;
    }
  }
  let popped = 0;
  const flows: Flow[] = [];
  // RFC 3261 §16.4: "If the first value in the Route header field indicates this proxy, the
  // proxy MUST remove that value"; RFC 5658: after double record-routing there are two.
  while (popped < 2) {
    const first = request.getHeader('Route');
    if (first === undefined) break;
    const uri = routeUri(first);
    if (!isOurAddressUri(uri, loc)) break;
    request.removeFirstHeader('Route');
    popped++;
    const flow = flowOfUri(uri, flowKey);
    if (flow !== undefined) flows.push(flow);
  }
  return { strictRouteFixed, popped, flows };
}

/** The flow named by the flow token in the user part of one of our URIs, if any. */
export function flowOfUri(uri: SipUri, flowKey?: Uint8Array): Flow | undefined {
  if (uri.user === undefined) return undefined;
  try {
    return decodeFlowToken(uri.user, flowKey);
  } catch {
    return undefined; // not a flow token (or a forged one): route by the URI instead
  }
}

/**
 * RFC 3261 §16.6 item 6: if the first Route value has no `lr` (a strict router next), the
 * Request-URI goes to the end of Route and that first value becomes the Request-URI.
 * Returns the next-hop URI (§16.6 item 7): the first Route value, or the Request-URI.
 */
export function postprocessRoutes(request: SipMessage): string {
  const first = request.getHeader('Route');
  if (first === undefined) return request.requestUri;
  const uri = routeUri(first);
  if (uri === undefined || uri.kind !== 'sip') return request.requestUri;
  if (uri.params.has('lr')) return formatRouteTarget(uri);
  const routes = request.getHeaders('Route');
  const oldUri = request.requestUri;
  request.setRequestUri(uri);
  request.setHeader('Route', [...routes.slice(1), `<${oldUri}>`]);
  return request.requestUri;
}

function formatRouteTarget(uri: SipUri): string {
  const port = uri.port === undefined ? '' : `:${uri.port}`;
  const t = uri.params.get('transport');
  return `${uri.scheme}:${uri.host}${port}${typeof t === 'string' ? `;transport=${t}` : ''}`;
}

/**
 * One Record-Route value for our address `local` (RFC 3261 §16.6 item 4: with `lr`), with a flow
 * token in the user part when `flow` is given (RFC 5626 §5.3).
 */
export function recordRouteValue(local: SipAddress, flow?: Flow, flowKey?: Uint8Array): string {
  const user = flow === undefined ? '' : `${encodeFlowToken(flow, flowKey)}@`;
  const transport = local.transport === 'UDP' ? '' : `;transport=${local.transport.toLowerCase()}`;
  return `<sip:${user}${bracketHost(local.host)}:${local.port}${transport};lr>`;
}

/**
 * The Record-Route values to add, top first. One value when the request leaves on the interface
 * it came in on and no flow needs naming; otherwise two (RFC 5658: double record-routing):
 * the outbound interface on top (toward the callee), then the inbound one (toward the caller),
 * each with the flow of its side.
 */
export function recordRouteValues(
  inbound: SipAddress,
  outbound: SipAddress,
  inboundFlow: Flow | undefined,
  outboundFlow: Flow | undefined,
  flowKey?: Uint8Array,
): string[] {
  const same =
    inbound.transport === outbound.transport &&
    inbound.host === outbound.host &&
    inbound.port === outbound.port;
  if (same && inboundFlow === undefined && outboundFlow === undefined) return [recordRouteValue(inbound)];
  return [recordRouteValue(outbound, outboundFlow, flowKey), recordRouteValue(inbound, inboundFlow, flowKey)];
}
