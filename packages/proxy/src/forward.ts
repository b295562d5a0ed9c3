/**
 * Building the copy of a request sent to one target (RFC 3261 §16.6 items 1-7), and the Via and
 * response helpers shared by stateful and stateless forwarding.
 */
import { cloneMessage, type SipMessage } from '@tsvoip/sip';
import { bracketHost, routeByVia, type SipAddress } from '@tsvoip/stack';
import { postprocessRoutes } from './route-processing.js';
import type { Target } from './types.js';

/** RFC 3261 §8.1.1.6 / §16.6 item 3: Max-Forwards of a request that has none. */
export const DEFAULT_MAX_FORWARDS = 70;

/**
 * RFC 3261 §16.6 items 2, 3, 5 and 6 applied to `request` (the copy, item 1): Request-URI set to
 * the target, Max-Forwards decremented (or 70 added), the target's extra headers added, then the
 * strict-route post-processing. Returns the next-hop URI (item 7): the first Route value or the
 * Request-URI. Headers not named here are left untouched, so their bytes are copied, not
 * re-serialized. Record-Route (item 4) is added by {@link addRecordRoute} once the outbound
 * interface is known.
 */
export function applyTarget(request: SipMessage, target: Target): string {
  if (target.uri !== request.requestUri) request.setRequestUri(target.uri);
  const mf = request.maxForwards;
  request.setHeader('Max-Forwards', String(mf === undefined ? DEFAULT_MAX_FORWARDS : mf - 1));
  if (target.headers !== undefined)
    for (const [name, value] of target.headers) request.addHeader(name, value);
  return postprocessRoutes(request);
}

/** RFC 3261 §16.6 item 4: pushes Record-Route values (given top first) above the existing ones. */
export function addRecordRoute(request: SipMessage, values: readonly string[]): void {
  for (let i = values.length - 1; i >= 0; i--)
    request.addHeader('Record-Route', values[i], { position: 'first' });
}

/**
 * RFC 3261 §16.6 item 1: a copy of the request. It is cloned, not re-parsed: it shares the
 * received bytes and its edits (items 2-8) leave `request` as it was.
 */
export function copyRequest(request: SipMessage): SipMessage {
  return cloneMessage(request);
}

/** RFC 3261 §16.6 item 8: pushes our Via (sent-by `local`, `branch`, RFC 3581 `rport`). */
export function pushVia(request: SipMessage, local: SipAddress, branch: string, rport: boolean): void {
  const r = rport ? ';rport' : '';
  request.addHeader(
    'Via',
    `SIP/2.0/${local.transport} ${bracketHost(local.host)}:${local.port};branch=${branch}${r}`,
    {
      position: 'first',
    },
  );
}

/**
 * RFC 3261 §16.7 item 3: removes our (top) Via from a response; returns where the response goes
 * next (§18.2.2 by the new top Via, with `received`/`rport`), or undefined when no Via is left
 * (the response was for us).
 */
export function popVia(response: SipMessage): SipAddress | undefined {
  response.removeFirstHeader('Via');
  const next = response.via[0];
  return next === undefined ? undefined : routeByVia(next);
}
