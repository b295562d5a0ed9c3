/**
 * The state of one proxied request (RFC 3261 §16: the "response context" of §16.7) and of its
 * branches (one client transaction per target).
 */
import { formatUri, type SipMessage } from '@tsvoip/sip';
import type { Deadline, SipAddress } from '@tsvoip/stack';
import type { CollectedResponse } from './best-response.js';
import { ContextReleasedError } from './errors.js';
import { TargetSet } from './target-set.js';
import type { Arrival, Flow, Target } from './types.js';

/** One branch: a copy of the request sent to one target. */
export interface Branch {
  /** Its context. */
  readonly context: ResponseContext;
  /** The target. */
  readonly target: Target;
  /** The copy sent (once built). */
  request: SipMessage | undefined;
  /** The client transaction, once sent. */
  transactionId: string | undefined;
  /** A final response (or a synthesised one) was counted for it. */
  done: boolean;
  /** A provisional response was received (RFC 3261 §16.8: Timer C then sends CANCEL). */
  provisional: boolean;
  /** Timer C (INVITE only, RFC 3261 §16.6 item 11). */
  timerC: Deadline<Branch> | undefined;
  /** Addresses left to try if the current one fails (RFC 3263 §4.3). */
  alternates: SipAddress[];
}

/** A request being proxied statefully. */
export class ResponseContext {
  /** The context id (in events and route results). */
  readonly id: number;
  /** The server transaction of the request. */
  readonly serverTransactionId: string;
  #request: SipMessage | undefined;
  /** Where it came from. */
  readonly arrival: Arrival;
  /** The flow it came over. */
  readonly arrivalFlow: Flow;
  /** Flows named by the Route values we popped (RFC 5626 §5.3). */
  readonly poppedFlows: readonly Flow[];
  /** Loop hash of the request as received (RFC 3261 §16.6 item 8). */
  readonly loopHash: string;
  /** True for INVITE. */
  readonly isInvite: boolean;
  /** Record-Route this request (dialog-creating, out of dialog). */
  readonly recordRoute: boolean;
  #base: SipMessage | undefined;
  /** The target set (RFC 3261 §16.5). */
  readonly targets = new TargetSet();
  /** Every branch started. */
  readonly branches: Branch[] = [];
  /** Final responses collected (RFC 3261 §16.7 item 4). */
  readonly responses: CollectedResponse[] = [];
  /** The caller cancelled (RFC 3261 §16.10). */
  cancelled = false;
  /** A 2xx was forwarded (INVITE: other branches cancelled, RFC 3261 §16.7 item 10). */
  accepted = false;
  /** A 6xx arrived (RFC 3261 §16.7 item 5: no new branches, others cancelled). */
  declined = false;
  /** A final response went upstream. */
  finalSent = false;
  /** Waiting for the routing functions. */
  routing = true;

  /** Builds a context; see the fields. */
  constructor(init: {
    id: number;
    serverTransactionId: string;
    request: SipMessage;
    arrival: Arrival;
    arrivalFlow: Flow;
    poppedFlows: readonly Flow[];
    loopHash: string;
    recordRoute: boolean;
    base: SipMessage;
  }) {
    this.id = init.id;
    this.serverTransactionId = init.serverTransactionId;
    this.#request = init.request;
    this.arrival = init.arrival;
    this.arrivalFlow = init.arrivalFlow;
    this.poppedFlows = init.poppedFlows;
    this.loopHash = init.loopHash;
    this.isInvite = init.request.method === 'INVITE';
    this.recordRoute = init.recordRoute;
    this.#base = init.base;
  }

  /**
   * The received request, after §16.4 pre-processing (its Vias as received).
   * @throws ContextReleasedError after {@link release}.
   */
  get request(): SipMessage {
    if (this.#request === undefined) throw new ContextReleasedError(this.id);
    return this.#request;
  }

  /**
   * A copy of the request after §16.4 pre-processing, of which each branch takes its own copy
   * (RFC 3261 §16.6 item 1).
   * @throws ContextReleasedError after {@link release}.
   */
  get base(): SipMessage {
    if (this.#base === undefined) throw new ContextReleasedError(this.id);
    return this.#base;
  }

  /**
   * The final response went upstream and no branch is pending: what only sending needed (the
   * request, its base copy, the branch copies, the collected responses) is dropped, so a context
   * kept until its server transaction ends (Timer J/L, 32 s) holds no messages. Late 2xx of other branches
   * (RFC 3261 §16.7 item 5) are still forwarded: they need only the branches and ids.
   */
  release(): void {
    this.#request = undefined;
    this.#base = undefined;
    for (const b of this.branches) b.request = undefined;
    this.responses.length = 0;
  }

  /** True while a branch has no final response. */
  get pending(): boolean {
    for (const b of this.branches) if (!b.done) return true;
    return false;
  }

  /** Starts a branch for `target`. */
  addBranch(target: Target): Branch {
    const b: Branch = {
      context: this,
      target,
      request: undefined,
      transactionId: undefined,
      done: false,
      provisional: false,
      timerC: undefined,
      alternates: [],
    };
    this.branches.push(b);
    return b;
  }
}

/**
 * RFC 3261 §16.7 item 4 / §16.5: the Contacts of a 3xx as targets (their `q` kept), for
 * recursion. A `*` or malformed Contact yields nothing.
 */
export function contactsAsTargets(response: SipMessage): Target[] {
  const out: Target[] = [];
  let contacts: ReturnType<SipMessage['contact']['slice']>;
  try {
    contacts = response.contact.slice();
  } catch {
    return out; // a malformed Contact: nothing to recurse on, the 3xx is kept as a response
  }
  for (const c of contacts) {
    if (c === '*') continue;
    const qv = c.params.get('q');
    const q = typeof qv === 'string' ? Number(qv) : Number.NaN;
    const uri = formatUri(c.uri);
    out.push(Number.isFinite(q) ? { uri, q } : { uri });
  }
  return out;
}
