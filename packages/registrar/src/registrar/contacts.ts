import {
  formatUri,
  type NameAddr,
  parseDeltaSeconds,
  type SipMessage,
  SipParseError,
  type Uri,
  unquote,
} from '@tsvoip/sip';
import { bindingKeyOf, MAX_CSEQ } from '../store/binding.js';
import { RegisterRejection } from './errors.js';

/** Expiry limits and defaults, in seconds, for {@link planContacts}. */
export interface ExpiryPolicy {
  /** Expiry when neither the Contact nor the Expires header gives one. */
  readonly defaultExpires: number;
  /** Shortest accepted non-zero expiry (423 below it). */
  readonly minExpires: number;
  /** Longest accepted expiry (longer ones are lowered to it). */
  readonly maxExpires: number;
  /** q-value of a Contact without `q`. */
  readonly defaultQ: number;
}

/** One Contact of a REGISTER, decoded and checked. */
export interface ContactEntry {
  /** The contact URI in the normal form the store compares exactly (scheme and host lower-cased). */
  readonly contact: string;
  /** Granted expiry in seconds, after the max clamp; 0 removes the binding. */
  readonly expires: number;
  /** q-value in [0, 1]. */
  readonly q: number;
  /** `+sip.instance` value without its quotes (RFC 5626 §4.1), e.g. `<urn:uuid:...>`. */
  readonly instanceId?: string;
  /** `reg-id` (RFC 5626 §4.2), only when outbound processing applies. */
  readonly regId?: number;
}

/** What the Contact and Expires headers of a REGISTER ask for. */
export type ContactPlan =
  /** No Contact: a query for the current bindings (RFC 3261 §10.2.3). */
  | { readonly kind: 'query' }
  /** `Contact: *` with `Expires: 0`: remove every binding (RFC 3261 §10.3 step 6). */
  | { readonly kind: 'remove-all' }
  /** Add, refresh or remove the listed contacts, one entry per binding key (last one wins). */
  | { readonly kind: 'update'; readonly entries: readonly ContactEntry[]; readonly outbound: boolean };

/**
 * Parses a qvalue (RFC 3261 §20.10: `"0" [ "." 0*3DIGIT ] / "1" [ "." 0*3("0") ]`), or `undefined` when
 * the text does not match the grammar.
 */
export function parseQValue(text: string): number | undefined {
  const n = text.length;
  if (n === 0 || n > 5) return undefined;
  const lead = text.charCodeAt(0);
  if (lead !== 48 && lead !== 49) return undefined;
  if (n === 1) return lead - 48;
  if (text.charCodeAt(1) !== 46) return undefined;
  let millis = 0;
  let scale = 100;
  for (let i = 2; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9 || (lead === 49 && d !== 0)) return undefined;
    millis += d * scale;
    scale /= 10;
  }
  return lead === 49 ? 1 : millis / 1000;
}

/** Formats a q-value as the shortest qvalue text (`1`, `0.5`, `0.125`). */
export function formatQValue(q: number): string {
  const millis = Math.round(q * 1000);
  if (millis >= 1000) return '1';
  if (millis <= 0) return '0';
  return `0.${String(millis).padStart(3, '0').replace(/0+$/, '')}`;
}

/**
 * The Contact URI in the form bindings are keyed by: SIP/SIPS scheme and host lower-cased (RFC 3261
 * §19.1.4 compares them case-insensitively), everything else as written.
 */
export function normalizeContactUri(uri: Uri): string {
  if (uri.kind !== 'sip') return formatUri(uri);
  const host = uri.host.toLowerCase();
  return formatUri(host === uri.host ? uri : { ...uri, host });
}

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 10) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function badRequest(detail: string): RegisterRejection {
  return new RegisterRejection(400, detail, `Bad Request (${detail})`);
}

function parseExpiresText(v: string | null, what: string): number {
  if (v === null) throw badRequest(`${what} without a value`);
  try {
    return parseDeltaSeconds(v);
  } catch (e) {
    if (e instanceof SipParseError) throw badRequest(`bad ${what}`);
    throw e;
  }
}

/** The Expires header of the request, or `undefined`; 400 when it is not delta-seconds. */
function expiresHeader(request: SipMessage): number | undefined {
  try {
    return request.expires;
  } catch (e) {
    if (e instanceof SipParseError) throw badRequest('bad Expires');
    throw e;
  }
}

/**
 * Decodes the Contact and Expires headers of a REGISTER into the changes to apply (RFC 3261 §10.3
 * steps 6 and 7, RFC 5626 §6), checking everything before anything is written.
 * @param outbound whether RFC 5626 outbound processing applies (the UA supports it and the first hop
 *   was checked): only then is `reg-id` kept.
 * @throws RegisterRejection 400 (malformed Contact, `*` misuse), 423 with Min-Expires (too brief).
 */
export function planContacts(request: SipMessage, policy: ExpiryPolicy, outbound: boolean): ContactPlan {
  let contacts: ReadonlyArray<NameAddr | '*'>;
  try {
    contacts = request.contact;
  } catch (e) {
    if (e instanceof SipParseError) throw badRequest('bad Contact');
    throw e;
  }
  const headerExpires = expiresHeader(request);
  if (contacts.length === 0) return { kind: 'query' };
  if (contacts.includes('*')) {
    // RFC 3261 §10.3 step 6: "*" only alone and with Expires: 0, else 400.
    if (contacts.length !== 1) throw badRequest('"*" with other contacts');
    if (headerExpires !== 0) throw badRequest('"*" needs Expires: 0');
    return { kind: 'remove-all' };
  }
  const byKey = new Map<string, ContactEntry>();
  let tooBrief = false;
  let withRegId = 0;
  for (const c of contacts as readonly NameAddr[]) {
    const contact = normalizeContactUri(c.uri);
    // RFC 3261 §10.3 step 7: the Contact's expires parameter, else the Expires header, else the default.
    const param = c.params.get('expires');
    let expires =
      param !== undefined
        ? parseExpiresText(param, 'expires parameter')
        : (headerExpires ?? policy.defaultExpires);
    // RFC 3261 §10.3 step 7 / §20.23: a non-zero duration below the minimum is answered 423.
    if (expires !== 0 && expires < policy.minExpires) tooBrief = true;
    if (expires > policy.maxExpires) expires = policy.maxExpires;
    const qText = c.params.get('q');
    let q = policy.defaultQ;
    if (qText !== undefined) {
      const parsed = qText === null ? undefined : parseQValue(qText);
      if (parsed === undefined) throw badRequest('bad q-value');
      q = parsed;
    }
    const instanceRaw = c.params.get('+sip.instance');
    let instanceId: string | undefined;
    if (instanceRaw !== undefined) {
      if (instanceRaw === null) throw badRequest('+sip.instance without a value');
      instanceId = instanceRaw.charCodeAt(0) === 34 ? unquote(instanceRaw) : instanceRaw;
    }
    const regIdText = c.params.get('reg-id');
    let regId: number | undefined;
    if (regIdText !== undefined) {
      // RFC 5626 §4.2: reg-id = 1*DIGIT, 1 to 2^31-1; RFC 5626 §6: reg-id needs +sip.instance.
      const v = regIdText !== null && isDigits(regIdText) ? Number(regIdText) : Number.NaN;
      if (!(v >= 1 && v <= MAX_CSEQ)) {
        throw badRequest('bad reg-id');
      }
      if (instanceId === undefined) throw badRequest('reg-id without +sip.instance');
      if (outbound) {
        regId = v;
        withRegId++;
      }
    }
    const entry: { -readonly [K in keyof ContactEntry]: ContactEntry[K] } = { contact, expires, q };
    if (instanceId !== undefined) entry.instanceId = instanceId;
    if (regId !== undefined) entry.regId = regId;
    byKey.set(bindingKeyOf({ aor: '', contact, instanceId, regId }), entry);
  }
  // RFC 5626 §6: one flow per REGISTER, so at most one Contact with a reg-id.
  if (withRegId > 1) throw badRequest('several Contacts with reg-id');
  if (tooBrief) {
    throw new RegisterRejection(423, 'expiry below Min-Expires', 'Interval Too Brief', [
      ['Min-Expires', String(policy.minExpires)],
    ]);
  }
  return { kind: 'update', entries: [...byKey.values()], outbound: withRegId > 0 };
}
