/**
 * Header names known to the parser: a small integer id per name, canonical spelling, compact form
 * (RFC 3261 §7.3.3 and later RFCs), and whether the header is a comma-separated list.
 * Names in message bytes are recognised by length and case-folded comparison, without allocating.
 */

/** Ids of the headers the parser recognises; 0 is any other header. */
export const H = {
  other: 0,
  via: 1,
  from: 2,
  to: 3,
  callId: 4,
  cseq: 5,
  contact: 6,
  contentLength: 7,
  contentType: 8,
  maxForwards: 9,
  route: 10,
  recordRoute: 11,
  supported: 12,
  require: 13,
  allow: 14,
  expires: 15,
  wwwAuthenticate: 16,
  proxyAuthenticate: 17,
  authorization: 18,
  proxyAuthorization: 19,
  subject: 20,
  contentEncoding: 21,
  event: 22,
  allowEvents: 23,
  referTo: 24,
  referredBy: 25,
  sessionExpires: 26,
  identity: 27,
  proxyRequire: 28,
  unsupported: 29,
  accept: 30,
  acceptEncoding: 31,
  acceptLanguage: 32,
  timestamp: 33,
  minExpires: 34,
  retryAfter: 35,
  warning: 36,
  userAgent: 37,
  server: 38,
  date: 39,
  contentDisposition: 40,
  contentLanguage: 41,
  path: 42,
  serviceRoute: 43,
  rseq: 44,
  rack: 45,
  alertInfo: 46,
  callInfo: 47,
  errorInfo: 48,
  inReplyTo: 49,
  mimeVersion: 50,
  organization: 51,
  priority: 52,
  replyTo: 53,
  authenticationInfo: 54,
  pAssertedIdentity: 55,
  reason: 56,
  minSE: 57,
  privacy: 58,
} as const;

/** Number of header ids (size of per-id tables). */
export const HEADER_ID_COUNT = 59;

interface NameDef {
  readonly id: number;
  readonly name: string;
  readonly compact?: string;
  readonly list?: boolean;
}

const DEFS: readonly NameDef[] = [
  { id: H.via, name: 'Via', compact: 'v', list: true },
  { id: H.from, name: 'From', compact: 'f' },
  { id: H.to, name: 'To', compact: 't' },
  { id: H.callId, name: 'Call-ID', compact: 'i' },
  { id: H.cseq, name: 'CSeq' },
  { id: H.contact, name: 'Contact', compact: 'm', list: true },
  { id: H.contentLength, name: 'Content-Length', compact: 'l' },
  { id: H.contentType, name: 'Content-Type', compact: 'c' },
  { id: H.maxForwards, name: 'Max-Forwards' },
  { id: H.route, name: 'Route', list: true },
  { id: H.recordRoute, name: 'Record-Route', list: true },
  { id: H.supported, name: 'Supported', compact: 'k', list: true },
  { id: H.require, name: 'Require', list: true },
  { id: H.allow, name: 'Allow', list: true },
  { id: H.expires, name: 'Expires' },
  { id: H.wwwAuthenticate, name: 'WWW-Authenticate' },
  { id: H.proxyAuthenticate, name: 'Proxy-Authenticate' },
  { id: H.authorization, name: 'Authorization' },
  { id: H.proxyAuthorization, name: 'Proxy-Authorization' },
  { id: H.subject, name: 'Subject', compact: 's' },
  { id: H.contentEncoding, name: 'Content-Encoding', compact: 'e', list: true },
  { id: H.event, name: 'Event', compact: 'o' },
  { id: H.allowEvents, name: 'Allow-Events', compact: 'u', list: true },
  { id: H.referTo, name: 'Refer-To', compact: 'r' },
  { id: H.referredBy, name: 'Referred-By', compact: 'b' },
  { id: H.sessionExpires, name: 'Session-Expires', compact: 'x' },
  { id: H.identity, name: 'Identity', compact: 'y' },
  { id: H.proxyRequire, name: 'Proxy-Require', list: true },
  { id: H.unsupported, name: 'Unsupported', list: true },
  { id: H.accept, name: 'Accept', list: true },
  { id: H.acceptEncoding, name: 'Accept-Encoding', list: true },
  { id: H.acceptLanguage, name: 'Accept-Language', list: true },
  { id: H.timestamp, name: 'Timestamp' },
  { id: H.minExpires, name: 'Min-Expires' },
  { id: H.retryAfter, name: 'Retry-After' },
  { id: H.warning, name: 'Warning', list: true },
  { id: H.userAgent, name: 'User-Agent' },
  { id: H.server, name: 'Server' },
  { id: H.date, name: 'Date' },
  { id: H.contentDisposition, name: 'Content-Disposition' },
  { id: H.contentLanguage, name: 'Content-Language', list: true },
  { id: H.path, name: 'Path', list: true },
  { id: H.serviceRoute, name: 'Service-Route', list: true },
  { id: H.rseq, name: 'RSeq' },
  { id: H.rack, name: 'RAck' },
  { id: H.alertInfo, name: 'Alert-Info', list: true },
  { id: H.callInfo, name: 'Call-Info', list: true },
  { id: H.errorInfo, name: 'Error-Info', list: true },
  { id: H.inReplyTo, name: 'In-Reply-To', list: true },
  { id: H.mimeVersion, name: 'MIME-Version' },
  { id: H.organization, name: 'Organization' },
  { id: H.priority, name: 'Priority' },
  { id: H.replyTo, name: 'Reply-To' },
  { id: H.authenticationInfo, name: 'Authentication-Info' },
  { id: H.pAssertedIdentity, name: 'P-Asserted-Identity', list: true },
  { id: H.reason, name: 'Reason', list: true },
  { id: H.minSE, name: 'Min-SE' },
  { id: H.privacy, name: 'Privacy' },
];

/** Canonical spelling per id (index 0 is empty). */
export const CANONICAL_NAMES: readonly string[] = (() => {
  const out = new Array<string>(HEADER_ID_COUNT).fill('');
  for (const d of DEFS) out[d.id] = d.name;
  return out;
})();

/** 1 for ids whose values are comma-separated lists (RFC 3261 §7.3.1). */
export const LIST_HEADER: Uint8Array = (() => {
  const out = new Uint8Array(HEADER_ID_COUNT);
  for (const d of DEFS) if (d.list) out[d.id] = 1;
  return out;
})();

// Lookup by name string: every spelling a caller is likely to pass (canonical, lower, upper,
// compact in both cases) maps straight to the id; anything else goes through toLowerCase().
const BY_STRING: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  for (const d of DEFS) {
    m.set(d.name, d.id);
    m.set(d.name.toLowerCase(), d.id);
    m.set(d.name.toUpperCase(), d.id);
    if (d.compact) {
      m.set(d.compact, d.id);
      m.set(d.compact.toUpperCase(), d.id);
    }
  }
  return m;
})();

/** Id of a header name given as a string (any case, compact forms included); 0 when unknown. */
export function headerIdOf(name: string): number {
  const id = BY_STRING.get(name);
  if (id !== undefined) return id;
  return BY_STRING.get(name.toLowerCase()) ?? 0;
}

// Byte-level lookup: an open-addressing table keyed by a hash of the case-folded name, which the
// parser computes while it scans the name's characters, so finding the id is one probe and one
// comparison. Names are stored lower-case, one after another, in NAME_BYTES.

/** Initial value of {@link headerNameHash}. */
export const NAME_HASH_SEED = 0x811c9dc5 | 0;

/**
 * One step of the header-name hash (FNV-1a over case-folded octets): for the name `b[start, end)`,
 * `h = NAME_HASH_SEED`, then `h = headerNameHash(h, b[i])` for each octet. Inline it in scan loops.
 */
export function headerNameHash(h: number, c: number): number {
  return Math.imul(h ^ (c | 0x20), 0x01000193);
}

const SLOTS = 512;
const SLOT_HASH = new Int32Array(SLOTS);
const SLOT_ID = new Uint8Array(SLOTS);
const SLOT_LEN = new Uint8Array(SLOTS);
const SLOT_OFF = new Uint16Array(SLOTS);
const NAME_BYTES: Uint8Array = (() => {
  const names: Array<[string, number]> = [];
  for (const d of DEFS) {
    names.push([d.name.toLowerCase(), d.id]);
    if (d.compact) names.push([d.compact, d.id]);
  }
  const out = new Uint8Array(names.reduce((n, [l]) => n + l.length, 0));
  let off = 0;
  for (const [lower, id] of names) {
    let h = NAME_HASH_SEED;
    for (let i = 0; i < lower.length; i++) {
      out[off + i] = lower.charCodeAt(i);
      h = headerNameHash(h, lower.charCodeAt(i));
    }
    let slot = (h ^ (h >>> 15)) & (SLOTS - 1);
    while (SLOT_ID[slot] !== 0) slot = (slot + 1) & (SLOTS - 1);
    SLOT_HASH[slot] = h;
    SLOT_ID[slot] = id;
    SLOT_LEN[slot] = lower.length;
    SLOT_OFF[slot] = off;
    off += lower.length;
  }
  return out;
})();

/**
 * Id of the header name in bytes `b[start, end)` whose {@link headerNameHash} is `h`, compared
 * case-insensitively; 0 when unknown. The range must hold token characters only (checked by the
 * caller), which makes `c | 0x20` a safe ASCII case fold here.
 */
export function headerIdHashed(b: Uint8Array, start: number, end: number, h: number): number {
  const len = end - start;
  let slot = (h ^ (h >>> 15)) & (SLOTS - 1);
  for (;;) {
    const id = SLOT_ID[slot];
    if (id === 0) return 0;
    if (SLOT_HASH[slot] === h && SLOT_LEN[slot] === len) {
      const off = SLOT_OFF[slot] - start;
      let i = start;
      while (i < end && (b[i] | 0x20) === NAME_BYTES[off + i]) i++;
      if (i === end) return id;
    }
    slot = (slot + 1) & (SLOTS - 1);
  }
}

/**
 * Id of the header name in bytes `b[start, end)`, compared case-insensitively. The range must hold token
 * characters only (checked by the caller), which makes `c | 0x20` a safe ASCII case fold here.
 */
export function headerIdAt(b: Uint8Array, start: number, end: number): number {
  let h = NAME_HASH_SEED;
  for (let i = start; i < end; i++) h = headerNameHash(h, b[i]);
  return headerIdHashed(b, start, end, h);
}

/** True when `s[start, end)` equals `lower` ignoring ASCII case (`lower` must be lower-case). */
export function equalsLowerAt(s: string, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    let c = s.charCodeAt(start + i);
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** True when bytes `b[start, end)` equal `lower` ignoring ASCII case (`lower` must be lower-case). */
export function equalsLowerBytes(b: Uint8Array, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    let c = b[start + i];
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}
