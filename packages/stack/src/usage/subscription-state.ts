/** Subscription-State and Event headers (RFC 6665 §8.2.3, §8.2.1) as plain values. */

/** Subscription states (RFC 6665 §4.1.2, §8.2.3). */
export type SubscriptionStateName = 'pending' | 'active' | 'terminated';

/** A parsed Subscription-State header. */
export interface SubscriptionState {
  /** The state. */
  readonly state: SubscriptionStateName;
  /** `expires` parameter, seconds. */
  readonly expires?: number;
  /** `reason` parameter (terminated: deactivated, probation, rejected, timeout, giveup, noresource, invariant). */
  readonly reason?: string;
  /** `retry-after` parameter, seconds. */
  readonly retryAfter?: number;
}

/** Parses `active;expires=3600` / `terminated;reason=noresource`; undefined when malformed. */
export function parseSubscriptionState(value: string | undefined): SubscriptionState | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(';');
  const state = parts[0].trim().toLowerCase();
  if (state !== 'pending' && state !== 'active' && state !== 'terminated') return undefined;
  let expires: number | undefined;
  let reason: string | undefined;
  let retryAfter: number | undefined;
  for (let i = 1; i < parts.length; i++) {
    const eq = parts[i].indexOf('=');
    if (eq < 0) continue;
    const k = parts[i].slice(0, eq).trim().toLowerCase();
    const v = parts[i].slice(eq + 1).trim();
    if (k === 'expires') expires = Number.parseInt(v, 10);
    else if (k === 'reason') reason = v.toLowerCase();
    else if (k === 'retry-after') retryAfter = Number.parseInt(v, 10);
  }
  return {
    state,
    ...(expires !== undefined && Number.isFinite(expires) ? { expires } : {}),
    ...(reason !== undefined ? { reason } : {}),
    ...(retryAfter !== undefined && Number.isFinite(retryAfter) ? { retryAfter } : {}),
  };
}

/** Formats a Subscription-State value. */
export function formatSubscriptionState(s: SubscriptionState): string {
  let out: string = s.state;
  if (s.reason !== undefined) out += `;reason=${s.reason}`;
  if (s.expires !== undefined) out += `;expires=${s.expires}`;
  if (s.retryAfter !== undefined) out += `;retry-after=${s.retryAfter}`;
  return out;
}

/** An Event header (RFC 6665 §8.2.1): package name and optional `id`. */
export interface EventHeader {
  /** Event package (lower-cased). */
  readonly type: string;
  /** The `id` parameter, when present. */
  readonly id?: string;
}

/** Parses `refer;id=93809824`. */
export function parseEvent(value: string | undefined): EventHeader | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(';');
  const type = parts[0].trim().toLowerCase();
  if (type === '') return undefined;
  for (let i = 1; i < parts.length; i++) {
    const eq = parts[i].indexOf('=');
    if (eq >= 0 && parts[i].slice(0, eq).trim().toLowerCase() === 'id')
      return { type, id: parts[i].slice(eq + 1).trim() };
  }
  return { type };
}

/** Formats an Event header value. */
export function formatEvent(e: EventHeader): string {
  return e.id === undefined ? e.type : `${e.type};id=${e.id}`;
}

/** The key of a subscription in its dialog (RFC 6665 §4.1.2.1: event package and id). */
export function subscriptionKey(e: EventHeader): string {
  return e.id === undefined ? e.type : `${e.type};id=${e.id}`;
}
