/**
 * Transaction matching keys: client side RFC 3261 §17.1.3, server side §17.2.3 with the RFC 2543
 * fallback for requests whose branch lacks the magic cookie.
 */
import type { SipMessage, Via } from '@tsvoip/sip';

/** RFC 3261 §8.1.1.7: the branch of an RFC 3261 element starts with this cookie. */
export const MAGIC_COOKIE = 'z9hG4bK';

/** True when the branch carries the RFC 3261 magic cookie (and something after it). */
export function hasMagicCookie(branch: string | undefined): branch is string {
  return branch !== undefined && branch.length > MAGIC_COOKIE.length && branch.startsWith(MAGIC_COOKIE);
}

/**
 * RFC 3261 §17.1.3: a response matches a client transaction by the branch of its top Via and the
 * method of its CSeq (a CANCEL shares the INVITE's branch, so the method tells them apart).
 */
export function clientKey(branch: string, method: string): string {
  return `${branch}\u0000${method}`;
}

/** The method a request is matched under: RFC 3261 §17.2.3: an ACK matches the INVITE. */
function matchMethod(method: string): string {
  return method === 'ACK' ? 'INVITE' : method;
}

/**
 * RFC 3261 §17.2.3 server key of a request with a magic-cookie branch: branch + sent-by + method
 * (ACK → INVITE). `method` overrides the request's method (a CANCEL looks for its INVITE).
 */
export function serverKey(via: Via & { branch: string }, method: string): string {
  return serverKeyOf(via.branch, via.host, via.port, method);
}

/** @internal {@link serverKey} from its parts (sent-by host lower-cased, as §17.2.3 compares it). */
export function serverKeyOf(branch: string, host: string, port: number | undefined, method: string): string {
  const h = host.toLowerCase();
  return `${branch}\u0000${port === undefined ? h : `${h}:${port}`}\u0000${matchMethod(method)}`;
}

/**
 * RFC 3261 §17.2.3 sent-by equality of a transaction's top Via and a request's: host compared
 * case-insensitively (no allocation when they are spelled the same), port exactly.
 */
export function sameSentBy(host: string, port: number | undefined, via: Via): boolean {
  if (port !== via.port) return false;
  const h = via.host;
  return host === h || (host.length === h.length && host.toLowerCase() === h.toLowerCase());
}

/**
 * RFC 3261 §17.2.3 RFC 2543 fallback: Request-URI, From tag, Call-ID, CSeq number, top Via and
 * method (ACK → INVITE). The To tag is checked separately: for an ACK it must equal the tag of the
 * response the transaction sent, otherwise that of the request.
 */
export function rfc2543Key(request: SipMessage, topVia: string, method: string): string {
  return [
    '2543',
    request.requestUri,
    request.from?.tag ?? '',
    request.callId ?? '',
    String(request.cseq?.seq ?? ''),
    topVia,
    matchMethod(method),
  ].join('\u0000');
}

/**
 * RFC 3261 §8.2.2.2 merged-request key: From tag, Call-ID, CSeq (number and method). Two live
 * requests with this key and different branches are a merge (the second gets 482).
 */
export function mergeKey(request: SipMessage): string | undefined {
  const tag = request.from?.tag;
  const callId = request.callId;
  const cseq = request.cseq;
  if (tag === undefined || callId === undefined || cseq === undefined) return undefined;
  return `${tag}\u0000${callId}\u0000${cseq.seq}\u0000${cseq.method}`;
}
