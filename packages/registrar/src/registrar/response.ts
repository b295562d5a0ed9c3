import { createResponse, quote, type SipMessage } from '@tsvoip/sip';
import type { Binding } from '../store/binding.js';
import { formatQValue } from './contacts.js';

/** Seconds left before a live binding expires, rounded up so a live binding never shows 0. */
export function remainingSeconds(b: Binding, now: number): number {
  return Math.max(0, Math.ceil((b.expiresAt - now) / 1000));
}

/**
 * The Contact header value listing one binding in a 200 to REGISTER (RFC 3261 §10.3 step 8): the
 * contact URI, its remaining `expires`, its q-value, and the RFC 5626 `+sip.instance`/`reg-id` when set.
 */
export function bindingContactValue(b: Binding, now: number): string {
  let v = `<${b.contact}>;expires=${remainingSeconds(b, now)};q=${formatQValue(b.q)}`;
  if (b.instanceId !== undefined) v += `;+sip.instance=${quote(b.instanceId)}`;
  if (b.regId !== undefined) v += `;reg-id=${b.regId}`;
  return v;
}

/** An HTTP-date (RFC 3261 §20.17, RFC 1123 form, always GMT) for a time in ms since the epoch. */
export function formatSipDate(epochMs: number): string {
  // The text changes once a second: keep the last one instead of formatting it per response.
  const second = Math.floor(epochMs / 1000);
  if (second !== lastDateSecond) {
    lastDateSecond = second;
    lastDateText = new Date(epochMs).toUTCString();
  }
  return lastDateText;
}

let lastDateSecond = Number.NaN;
let lastDateText = '';

/** What a 200 to REGISTER carries besides the bindings. */
export interface RegisterOkExtras {
  /** Path values to echo (RFC 3327 §5.3), in order. */
  readonly path: readonly string[];
  /** Whether outbound processing was applied (RFC 5626 §6: Require and Supported: outbound). */
  readonly outbound: boolean;
  /** Flow-Timer seconds to send with outbound (RFC 5626 §6), if configured. */
  readonly flowTimer: number | undefined;
}

/**
 * The 200 OK to a REGISTER (RFC 3261 §10.3 step 8): one Contact per current binding with its remaining
 * expires, a Date header, the Path values echoed, and the RFC 5626 headers when outbound was used.
 */
export function registerOk(
  request: SipMessage,
  bindings: readonly Binding[],
  extras: RegisterOkExtras,
  now: number,
  toTag: string,
): SipMessage {
  const headers: Array<readonly [string, string]> = [];
  for (const b of bindings) headers.push(['Contact', bindingContactValue(b, now)]);
  // RFC 3261 §10.3 step 8: the response SHOULD include a Date header field.
  headers.push(['Date', formatSipDate(now)]);
  // RFC 3327 §5.3: the registrar copies the stored Path into the 200.
  for (const p of extras.path) headers.push(['Path', p]);
  if (extras.outbound) {
    // RFC 5626 §6: tell the UA outbound was applied; Flow-Timer is how often to keep the flow alive.
    headers.push(['Require', 'outbound']);
    headers.push(['Supported', 'outbound']);
    if (extras.flowTimer !== undefined) headers.push(['Flow-Timer', String(extras.flowTimer)]);
  }
  return createResponse(request, 200, undefined, { toTag, headers });
}
