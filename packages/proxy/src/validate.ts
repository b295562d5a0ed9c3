/**
 * Request validation of RFC 3261 §16.3 (the checks the stack's intake does not already do for a
 * proxy: Max-Forwards for OPTIONS, loop detection, Proxy-Require).
 */
import type { SipMessage } from '@tsvoip/sip';
import type { SipAddress } from '@tsvoip/stack';
import { detectLoop } from './loop.js';

/** The outcome of {@link validateRequest}. */
export type Validation =
  | { readonly kind: 'ok' }
  | {
      readonly kind: 'reject';
      readonly status: number;
      readonly headers?: ReadonlyArray<readonly [string, string]>;
    }
  | { readonly kind: 'answer-options' };

const OK: Validation = { kind: 'ok' };

/**
 * RFC 3261 §16.3 items 3 to 5, in order. `addressedToUs`: the Request-URI names this proxy.
 * `supportedProxyRequire`: option tags the proxy supports. `hash`: the request's loop hash.
 */
export function validateRequest(
  request: SipMessage,
  ours: readonly SipAddress[],
  supportedProxyRequire: ReadonlySet<string>,
  addressedToUs: boolean,
  hash: string,
): Validation {
  const method = request.method;
  // RFC 3261 §16.3 item 3: Max-Forwards 0 gets 483, except an OPTIONS addressed to us, which
  // the proxy MAY answer as a UAS (§11).
  if (request.maxForwards === 0 && method !== 'ACK') {
    if (method === 'OPTIONS' && addressedToUs) return { kind: 'answer-options' };
    return { kind: 'reject', status: 483 };
  }
  // RFC 3261 §16.3 item 4: our sent-by in a Via with this request's hash in its branch: a loop.
  if (method !== 'ACK' && method !== 'CANCEL' && detectLoop(request, ours, hash) === 'loop') {
    return { kind: 'reject', status: 482 };
  }
  // RFC 3261 §16.3 item 5: Proxy-Require option tags we do not support get 420 with Unsupported.
  if (method !== 'ACK' && method !== 'CANCEL') {
    const required = request.getHeaders('Proxy-Require');
    const unsupported: string[] = [];
    for (const tag of required) if (!supportedProxyRequire.has(tag.toLowerCase())) unsupported.push(tag);
    if (unsupported.length > 0)
      return { kind: 'reject', status: 420, headers: [['Unsupported', unsupported.join(', ')]] };
  }
  return OK;
}
