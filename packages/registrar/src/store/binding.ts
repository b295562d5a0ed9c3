import { InvalidBindingError } from './errors.js';

/**
 * Where the REGISTER that created a binding came from, so requests to the contact can be sent back
 * through the same NAT mapping or connection (RFC 3261 §18.2.1 received/rport, RFC 5626 flows).
 */
export interface ReceivedSource {
  /** Transport the REGISTER arrived on: `UDP`, `TCP`, `TLS`, `WS`, `WSS`, `SCTP`. */
  readonly transport: string;
  /** Source IP address of the REGISTER (IPv4 dotted or IPv6 text). */
  readonly address: string;
  /** Source port of the REGISTER. */
  readonly port: number;
  /** Identifier of the local listener (socket) the REGISTER arrived on, when the node has several. */
  readonly listenerId?: string;
  /** Identifier of the connection (TCP/TLS/WS) the REGISTER arrived on: the RFC 5626 flow to reuse. */
  readonly connectionId?: string;
}

/**
 * One binding of an address-of-record to a contact address (RFC 3261 §10.3), with what a proxy needs
 * to reach it: NAT source, Path (RFC 3327), outbound instance-id/reg-id (RFC 5626), GRUU (RFC 5627).
 *
 * Times are absolute milliseconds on the clock the caller uses for `now` everywhere.
 */
export interface Binding {
  /** Address-of-record, canonical form chosen by the caller (e.g. `sip:1001@pbx.example`). */
  readonly aor: string;
  /** Contact URI, as the registrar will use it as a target (RFC 3261 §10.3 step 7). */
  readonly contact: string;
  /** Absolute expiry time in ms; the binding is live while `now < expiresAt`. */
  readonly expiresAt: number;
  /** q-value in [0, 1] with at most 3 decimals (RFC 3261 §20.10); higher is preferred. */
  readonly q: number;
  /** Call-ID of the REGISTER that wrote the binding (RFC 3261 §10.3 step 7). */
  readonly callId: string;
  /** CSeq number of the REGISTER that wrote the binding; an integer below 2^31 (RFC 3261 §8.1.1.5). */
  readonly cseq: number;
  /** Source of the REGISTER, for NAT traversal; absent when the caller does not track it. */
  readonly received?: ReceivedSource;
  /** Path header values of the REGISTER, in order (RFC 3327 §5.3); empty when none. */
  readonly path: readonly string[];
  /** `+sip.instance` Contact parameter (RFC 5626 §4.1), e.g. `<urn:uuid:...>`. */
  readonly instanceId?: string;
  /** `reg-id` Contact parameter (RFC 5626 §4.2), a positive integer. */
  readonly regId?: number;
  /** GRUU assigned to this binding (RFC 5627), when the registrar assigns one. */
  readonly gruu?: string;
  /** User-Agent header of the REGISTER, for display. */
  readonly userAgent?: string;
  /** When the binding was last written, in ms; orders equal q-values (most recent first). */
  readonly updatedAt: number;
}

/**
 * What identifies a binding within its AoR. RFC 5626 §6: when both `instanceId` and `regId` are present,
 * the binding is the AoR plus that pair (the contact URI may change, e.g. on a new flow); otherwise it
 * is the AoR plus the contact URI (RFC 3261 §10.3 step 7).
 */
export interface BindingKey {
  /** Address-of-record. */
  readonly aor: string;
  /** Contact URI; ignored for the key when `instanceId` and `regId` are both present. */
  readonly contact: string;
  /** `+sip.instance` value. */
  readonly instanceId?: string;
  /** `reg-id` value. */
  readonly regId?: number;
}

/**
 * The Call-ID and CSeq of the REGISTER asking for a change, for the RFC 3261 §10.3 ordering rule when
 * removing bindings (Expires: 0, or Contact: *).
 */
export interface RegisterOrder {
  /** Call-ID of the REGISTER. */
  readonly callId: string;
  /** CSeq number of the REGISTER. */
  readonly cseq: number;
}

/** Highest CSeq number allowed: RFC 3261 §8.1.1.5 says it MUST be less than 2^31. */
export const MAX_CSEQ = 2 ** 31 - 1;

/**
 * The key of a binding within its AoR as one string, distinct for the two kinds of key.
 * RFC 5626 §6: (instance-id, reg-id) when both present; else the contact URI (RFC 3261 §10.3).
 */
export function bindingKeyOf(key: BindingKey): string {
  if (key.instanceId !== undefined && key.regId !== undefined) {
    return `outbound ${key.regId} ${key.instanceId}`;
  }
  return `contact ${key.contact}`;
}

/** The q-value as an integer in thousandths (0..1000), which is how the SQL stores keep it. */
export function qToMillis(q: number): number {
  return Math.round(q * 1000);
}

/**
 * Checks the fields of a binding a caller is about to store.
 * @throws InvalidBindingError naming the first field at fault.
 */
export function validateBinding(b: Binding): void {
  if (b.aor.length === 0) throw new InvalidBindingError('aor', 'empty');
  if (b.contact.length === 0) throw new InvalidBindingError('contact', 'empty');
  if (b.callId.length === 0) throw new InvalidBindingError('callId', 'empty');
  // RFC 3261 §20.10: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
  if (!(b.q >= 0 && b.q <= 1)) throw new InvalidBindingError('q', `${b.q} is not in [0, 1]`);
  if (Math.abs(b.q * 1000 - qToMillis(b.q)) > 1e-6) {
    throw new InvalidBindingError('q', `${b.q} has more than 3 decimals`);
  }
  // RFC 3261 §8.1.1.5: the sequence number MUST be expressible as a 32-bit unsigned integer and less than 2**31.
  if (!Number.isInteger(b.cseq) || b.cseq < 0 || b.cseq > MAX_CSEQ) {
    throw new InvalidBindingError('cseq', `${b.cseq} is not an integer in [0, 2^31)`);
  }
  if (!Number.isSafeInteger(b.expiresAt)) throw new InvalidBindingError('expiresAt', 'not an integer ms');
  if (!Number.isSafeInteger(b.updatedAt)) throw new InvalidBindingError('updatedAt', 'not an integer ms');
  // RFC 5626 §4.2: reg-id = 1*DIGIT, values 1 to 2^31-1.
  if (b.regId !== undefined && (!Number.isInteger(b.regId) || b.regId < 1 || b.regId > MAX_CSEQ)) {
    throw new InvalidBindingError('regId', `${b.regId} is not an integer in [1, 2^31)`);
  }
  if (b.received !== undefined) {
    const p = b.received.port;
    if (!Number.isInteger(p) || p < 0 || p > 65535) throw new InvalidBindingError('received.port', `${p}`);
  }
}

/**
 * RFC 3261 §10.3 step 7: may a REGISTER with `request` Call-ID/CSeq change a binding that was written
 * with `stored`? Yes when the Call-ID differs, or when it is the same and the CSeq is higher.
 */
export function isInOrder(stored: RegisterOrder, request: RegisterOrder): boolean {
  return stored.callId !== request.callId || request.cseq > stored.cseq;
}

/**
 * Order of `lookup` results: q-value descending, then most recently updated first, then by key so the
 * order is total and the same in every store.
 */
export function compareBindings(a: Binding, b: Binding): number {
  const dq = qToMillis(b.q) - qToMillis(a.q);
  if (dq !== 0) return dq;
  const du = b.updatedAt - a.updatedAt;
  if (du !== 0) return du;
  const ka = bindingKeyOf(a);
  const kb = bindingKeyOf(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
