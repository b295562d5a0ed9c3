/**
 * Loop detection (RFC 3261 §16.3 item 4, §16.6 item 8; RFC 5393): the branch of our Via
 * carries a hash of the request's invariant parts. A request that comes back with our sent-by in
 * a Via and the same hash has looped; a different hash means it is spiralling (legal).
 */
import type { SipMessage, Via } from '@tsvoip/sip';
import { defaultPort, type SipAddress, stripBrackets } from '@tsvoip/stack';

const COOKIE = 'z9hG4bK';

/** FNV-1a over the UTF-16 code units of `s`, continuing from `h` (32 bits). */
function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // A separator so ("ab","c") and ("a","bc") differ.
  h ^= 0xff;
  return Math.imul(h, 0x01000193);
}

/** Two lower-case hex digits per octet value. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `n` as 8 hex digits (a table per octet: Number#toString(16) and padStart cost ~15x more). */
function hex8(n: number): string {
  return HEX[n >>> 24] + HEX[(n >>> 16) & 255] + HEX[(n >>> 8) & 255] + HEX[n & 255];
}

/**
 * RFC 3261 §16.6 item 8: the loop-detection hash of a received request: its Request-URI (before
 * any rewriting), To tag, From tag, Call-ID, CSeq number, Proxy-Require and Proxy-Authorization.
 * Not the top Via: it changes at every hop, so a loop would never hash the same (RFC 5393 revisits these inputs).
 * 16 hex digits, two FNV-1a passes with different seeds.
 */
export function loopHash(request: SipMessage): string {
  const parts = [
    request.requestUri,
    request.to?.tag ?? '',
    request.from?.tag ?? '',
    request.callId ?? '',
    String(request.cseq?.seq ?? ''),
    request.getHeaders('Proxy-Require').join(','),
    request.getHeaders('Proxy-Authorization').join(','),
  ];
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (const p of parts) {
    a = fnv(a, p);
    b = fnv(b, p);
  }
  return hex8(a) + hex8(b);
}

/** Our branch for a stateful branch: cookie, loop hash, a unique token (RFC 3261 §16.6 item 8). */
export function statefulBranchToken(hash: string, unique: string): string {
  return `${hash}.${unique}`;
}

/**
 * RFC 3261 §16.11: a stateless proxy's branch is the same for a retransmission of the request, so
 * it is computed from the request: the loop hash plus a hash of the received top Via branch (or of
 * the whole top Via without a magic cookie).
 */
export function statelessBranch(request: SipMessage, hash: string = loopHash(request)): string {
  const top = request.via[0];
  const key = top?.branch?.startsWith(COOKIE)
    ? `${top.branch}|${top.host}|${top.port ?? ''}`
    : (request.getHeader('Via') ?? '');
  const h = fnv(fnv(0x811c9dc5, key), request.method);
  return `${COOKIE}${hash}.${hex8(h)}`;
}

/** The loop hash carried by one of our branches, or undefined if it has none. */
export function hashOfBranch(branch: string | undefined): string | undefined {
  if (branch === undefined || !branch.startsWith(COOKIE)) return undefined;
  const dot = branch.indexOf('.', COOKIE.length);
  return dot < 0 ? undefined : branch.slice(COOKIE.length, dot);
}

/** True when a Via's sent-by is one of `ours` (same transport, host and port). */
export function isOurVia(via: Via, ours: readonly SipAddress[]): boolean {
  const host = stripBrackets(via.host).toLowerCase();
  for (const a of ours) {
    if (a.transport !== via.transport) continue;
    if (a.host.toLowerCase() !== host) continue;
    if ((via.port ?? defaultPort(a.transport)) === a.port) return true;
  }
  return false;
}

/**
 * RFC 3261 §16.3 item 4: `loop` when a Via with our sent-by carries the hash of this request,
 * `spiral` when our sent-by is there with another hash, `none` when we never saw it.
 */
export function detectLoop(
  request: SipMessage,
  ours: readonly SipAddress[],
  hash: string = loopHash(request),
): 'loop' | 'spiral' | 'none' {
  let seen = false;
  for (const v of request.via) {
    if (!isOurVia(v, ours)) continue;
    if (hashOfBranch(v.branch) === hash) return 'loop';
    seen = true;
  }
  return seen ? 'spiral' : 'none';
}
