/**
 * Choosing the response to send upstream when no 2xx came (RFC 3261 §16.7 item 6), and the
 * aggregation of authentication challenges (§16.7 item 7).
 */
import type { SipMessage } from '@tsvoip/sip';

/** A final response collected in a response context (a real one, or one the proxy made up). */
export interface CollectedResponse {
  /** Status code (a 408 for a timed-out branch, 503 for a transport error, §16.7/§16.9). */
  readonly status: number;
  /** The received response, absent when the proxy synthesised the status. */
  readonly message?: SipMessage;
}

// RFC 3261 §16.7 item 6: "give preference to responses that provide information affecting
// resubmission of this request, such as 401, 407, 415, 420, and 484". After those, a response
// that says a user was reached (486, 480) tells the caller more than one that says none was
// (404) or that nothing answered (408).
const PREFERRED = [401, 407, 415, 420, 484, 486, 600, 603, 480, 487];
const LAST = [503, 408, 404];

function rank(status: number): number {
  const p = PREFERRED.indexOf(status);
  if (p >= 0) return p;
  const l = LAST.indexOf(status);
  if (l >= 0) return 2000 + l;
  return 1000 + status;
}

/**
 * RFC 3261 §16.7 item 6: the best of the final responses: any 6xx first; otherwise the lowest
 * response class; within a class, by {@link rank}. Returns the index in `responses`, -1 when empty.
 */
export function selectBest(responses: readonly CollectedResponse[]): number {
  let best = -1;
  for (let i = 0; i < responses.length; i++) {
    if (best < 0 || better(responses[i].status, responses[best].status)) best = i;
  }
  return best;
}

function better(a: number, b: number): boolean {
  const ca = Math.floor(a / 100);
  const cb = Math.floor(b / 100);
  // RFC 3261 §16.7 item 6: "choose any of the 6xx ... Otherwise, the lowest response class".
  if (ca === 6 && cb !== 6) return true;
  if (cb === 6 && ca !== 6) return false;
  if (ca !== cb) return ca < cb;
  return rank(a) < rank(b);
}

/**
 * RFC 3261 §16.7 item 7: when the chosen response is a 401 or 407, every WWW-Authenticate and
 * Proxy-Authenticate value of all the 401/407 responses collected goes into it. Returns the
 * values to add (those not already in `chosen`), in order.
 */
export function challengesToAdd(
  chosen: SipMessage,
  responses: readonly CollectedResponse[],
): Array<readonly [string, string]> {
  const have = new Set([
    ...chosen.getHeaders('WWW-Authenticate'),
    ...chosen.getHeaders('Proxy-Authenticate'),
  ]);
  const out: Array<readonly [string, string]> = [];
  for (const r of responses) {
    if (r.message === undefined || r.message === chosen || (r.status !== 401 && r.status !== 407)) continue;
    for (const name of ['WWW-Authenticate', 'Proxy-Authenticate'] as const) {
      for (const v of r.message.headerEntries()) {
        if (v.name.toLowerCase() !== name.toLowerCase() || have.has(v.value)) continue;
        have.add(v.value);
        out.push([name, v.value]);
      }
    }
  }
  return out;
}
