/**
 * The checks a UAS core runs on a new request before its TU sees it (RFC 3261 §8.2, RFC 4475
 * §3.3). Each failed check names the response the stack sends in the TU's place.
 */
import { HeaderId, SIP_METHODS, type SipMessage } from '@tsvoip/sip';

/** The methods this stack knows (RFC 3261 and the common extensions). */
export const KNOWN_METHODS: ReadonlySet<string> = new Set(SIP_METHODS);

/** What the UAS core accepts. */
export interface IntakePolicy {
  /** Methods the TU handles; a known method outside this set gets 405 (§8.2.1). */
  readonly allowedMethods: ReadonlySet<string>;
  /** Option tags the TU supports; Require with any other gets 420 (§8.2.2.3). */
  readonly supportedOptionTags: ReadonlySet<string>;
  /** Request-URI schemes the TU handles; another gets 416 (§8.2.2.1). */
  readonly uriSchemes: ReadonlySet<string>;
  /**
   * A proxy's intake (RFC 3261 §16.3): no 405/501 method check and no Require check, which are
   * UAS rules (§8.2.1, §8.2.2.3). Default false.
   */
  readonly proxy?: boolean;
}

/** A response the stack sends instead of passing the request up. */
export interface Rejection {
  /** Status code. */
  readonly status: number;
  /** Reason phrase, when not the default one. */
  readonly reason?: string;
  /** Extra headers (Allow, Unsupported). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** Headers a request must carry once (RFC 3261 §8.1.1, RFC 4475 §3.3.8 multi01). */
const SINGLE: ReadonlyArray<readonly [number, string]> = [
  [HeaderId.from, 'From'],
  [HeaderId.to, 'To'],
  [HeaderId.callId, 'Call-ID'],
  [HeaderId.cseq, 'CSeq'],
  [HeaderId.maxForwards, 'Max-Forwards'],
  [HeaderId.contentLength, 'Content-Length'],
  [HeaderId.contentType, 'Content-Type'],
];
const MANDATORY: ReadonlyArray<readonly [number, string]> = [
  [HeaderId.via, 'Via'],
  [HeaderId.from, 'From'],
  [HeaderId.to, 'To'],
  [HeaderId.callId, 'Call-ID'],
  [HeaderId.cseq, 'CSeq'],
];

/** The Allow header value for 405/501 (§8.2.1). */
export function allowValue(policy: IntakePolicy): string {
  return [...policy.allowedMethods].join(', ');
}

/**
 * Runs RFC 3261 §8.2 on a parsed request, up to but not including the merge check (§8.2.2.2,
 * which needs the transaction table). Returns the rejection, or undefined to go on.
 */
export function checkRequest(request: SipMessage, policy: IntakePolicy): Rejection | undefined {
  for (const [id, name] of MANDATORY) {
    // RFC 3261 §8.1.1 / RFC 4475 §3.3.1 insuf: a request without them is answered 400.
    if (request.countHeader(id) === 0) return { status: 400, reason: `Missing ${name}` };
  }
  for (const [id, name] of SINGLE) {
    // Counted by line: none of these is a list header, so a line is one value.
    if (request.countHeader(id) > 1) return { status: 400, reason: `Multiple ${name} values` };
  }
  const method = request.method;
  // RFC 3261 §8.2 / RFC 4475 §3.1.2.17: the CSeq method must be the request method.
  if (request.cseq?.method !== method) return { status: 400, reason: 'CSeq method does not match' };
  // RFC 3261 §8.2.1: an unknown method gets 501, a known one the TU does not take 405, with Allow.
  // Not for a proxy: §16.3 does not check the method (unknown methods are forwarded).
  if (policy.proxy !== true) {
    if (!KNOWN_METHODS.has(method) && !policy.allowedMethods.has(method)) {
      return { status: 501, headers: [['Allow', allowValue(policy)]] };
    }
    if (!policy.allowedMethods.has(method) && method !== 'ACK' && method !== 'CANCEL') {
      return { status: 405, headers: [['Allow', allowValue(policy)]] };
    }
  }
  // RFC 3261 §8.1.1.6/§16.3 (RFC 4475 §3.3.11 zeromf): Max-Forwards 0 is refused with 483,
  // except OPTIONS, which a UA answers.
  if (request.maxForwards === 0 && method !== 'OPTIONS' && method !== 'ACK') {
    return { status: 483 };
  }
  // RFC 3261 §8.2.2.1: a Request-URI scheme the UAS does not understand gets 416.
  const scheme = request.parsedRequestUri?.scheme;
  if (scheme === undefined || !policy.uriSchemes.has(scheme)) return { status: 416 };
  return undefined;
}

/**
 * RFC 3261 §8.2.2.3: a Require option tag the UAS does not support gets 420 with Unsupported
 * listing them. Never for ACK or CANCEL (the tags were already handled with the INVITE), nor in
 * a proxy (§16.3: a proxy ignores Require; Proxy-Require is its own).
 */
export function checkRequire(request: SipMessage, policy: IntakePolicy): Rejection | undefined {
  if (policy.proxy === true || request.method === 'ACK' || request.method === 'CANCEL') return undefined;
  const required = request.require;
  if (required.length === 0) return undefined;
  const unsupported = required.filter((t) => !policy.supportedOptionTags.has(t));
  if (unsupported.length === 0) return undefined;
  return { status: 420, headers: [['Unsupported', unsupported.join(', ')]] };
}
