/**
 * Session timer negotiation (RFC 4028): Session-Expires / Min-SE parsing and formatting, the
 * UAS decision (§9: 422 when too small, refresher choice) and the UAC reading of the 2xx (§7.2).
 * Plain functions; the runtime timers are in the INVITE session.
 */
import type { SipMessage } from '@tsvoip/sip';

/** Which side refreshes the session (RFC 4028 §4). */
export type Refresher = 'uac' | 'uas';

/** A Session-Expires header (RFC 4028 §4): delta-seconds and an optional refresher. */
export interface SessionExpires {
  /** Interval in seconds. */
  readonly interval: number;
  /** Refresher parameter, when present. */
  readonly refresher?: Refresher;
}

/** RFC 4028 §4: the minimum Min-SE is 90 seconds. */
export const MIN_SE_FLOOR = 90;

/** Parses `1800;refresher=uac`. Undefined when malformed. */
export function parseSessionExpires(value: string | undefined): SessionExpires | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(';');
  const interval = Number.parseInt(parts[0].trim(), 10);
  if (!Number.isFinite(interval) || interval < 0) return undefined;
  let refresher: Refresher | undefined;
  for (let i = 1; i < parts.length; i++) {
    const [k, v] = parts[i].split('=');
    if (k.trim().toLowerCase() === 'refresher') {
      const r = v?.trim().toLowerCase();
      if (r === 'uac' || r === 'uas') refresher = r;
    }
  }
  return refresher === undefined ? { interval } : { interval, refresher };
}

/** Formats a Session-Expires value. */
export function formatSessionExpires(se: SessionExpires): string {
  return se.refresher === undefined ? String(se.interval) : `${se.interval};refresher=${se.refresher}`;
}

/** The Min-SE of a message (RFC 4028 §5), undefined when absent or malformed. */
export function minSeOf(message: SipMessage): number | undefined {
  const v = message.getHeader('Min-SE');
  if (v === undefined) return undefined;
  const n = Number.parseInt(v.split(';')[0].trim(), 10);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The Session-Expires of a message (long or compact form `x`). */
export function sessionExpiresOf(message: SipMessage): SessionExpires | undefined {
  return parseSessionExpires(message.getHeader('Session-Expires'));
}

/** True when the message lists `tag` in Supported (compact `k` included) or Require. */
export function hasOptionTag(message: SipMessage, header: 'Supported' | 'Require', tag: string): boolean {
  for (const v of message.getHeaders(header)) if (v.trim().toLowerCase() === tag) return true;
  return false;
}

/** Local session timer policy. */
export interface SessionTimerPolicy {
  /** Interval we ask for / accept at most, seconds (RFC 4028 recommends 1800). */
  readonly sessionExpires: number;
  /** The smallest interval we accept, seconds (≥ 90, RFC 4028 §4). */
  readonly minSE: number;
}

/** The UAS decision for a session refresh request (RFC 4028 §9). */
export type UasSessionTimerDecision =
  /** Reject with 422 carrying Min-SE. */
  | { readonly kind: 'reject'; readonly minSE: number }
  /** Run a session timer: put Session-Expires (and Require: timer when `require`) in the 2xx. */
  | {
      readonly kind: 'accept';
      readonly interval: number;
      readonly refresher: Refresher;
      readonly require: boolean;
    }
  /** No session timer. */
  | { readonly kind: 'none' };

/**
 * RFC 4028 §9: a Session-Expires below our Min-SE is rejected with 422 (Min-SE = ours); else
 * the interval is the request's, lowered to our preference but never below the request's Min-SE.
 * The refresher is the request's; when absent and the UAC supports `timer` the UAS picks `uac`,
 * otherwise `uas`. Require: timer goes in the 2xx when the UAC supports timer. A request
 * without Session-Expires gets one only when `policy` is given (the UAS then asks for it).
 */
export function decideUasSessionTimer(
  request: SipMessage,
  policy: SessionTimerPolicy | undefined,
): UasSessionTimerDecision {
  const se = sessionExpiresOf(request);
  const uacSupports =
    hasOptionTag(request, 'Supported', 'timer') || hasOptionTag(request, 'Require', 'timer');
  const localMin = Math.max(MIN_SE_FLOOR, policy?.minSE ?? MIN_SE_FLOOR);
  if (se === undefined) {
    if (policy === undefined) return { kind: 'none' };
    const interval = Math.max(policy.sessionExpires, minSeOf(request) ?? 0, localMin);
    return { kind: 'accept', interval, refresher: uacSupports ? 'uac' : 'uas', require: uacSupports };
  }
  if (se.interval < localMin) return { kind: 'reject', minSE: localMin };
  let interval = se.interval;
  if (policy !== undefined && policy.sessionExpires < interval) {
    interval = Math.max(policy.sessionExpires, minSeOf(request) ?? 0, localMin);
  }
  const refresher: Refresher = se.refresher ?? (uacSupports ? 'uac' : 'uas');
  return { kind: 'accept', interval, refresher, require: uacSupports };
}

/**
 * RFC 4028 §7.2: the UAC reads the 2xx. With Session-Expires the session timer runs with the
 * response's interval; a missing refresher means `uac`. Without it there is no session timer.
 */
export function readUacSessionTimer(
  response: SipMessage,
): { readonly interval: number; readonly refresher: Refresher } | undefined {
  const se = sessionExpiresOf(response);
  if (se === undefined) return undefined;
  return { interval: se.interval, refresher: se.refresher ?? 'uac' };
}

/**
 * RFC 4028 §10: the refresher sends its refresh at half the interval; the other side sends BYE
 * when no refresh came `min(32, interval/3)` seconds before expiry. Returns ms offsets.
 */
export function sessionTimerDelays(intervalSeconds: number): {
  readonly refreshAfter: number;
  readonly expireAfter: number;
} {
  const s = intervalSeconds * 1000;
  return { refreshAfter: s / 2, expireAfter: s - Math.min(32_000, s / 3) };
}
