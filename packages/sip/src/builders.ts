/**
 * Request and response builders. createResponse follows RFC 3261 §8.2.6: the response points at
 * the request's original bytes for the headers it copies, so they are not re-serialized.
 */
import { randomBytes } from 'node:crypto';
import { SipParseError } from './errors.js';
import { CANONICAL_NAMES, H, headerIdOf } from './header-names.js';
import { checkHeaderText, checkValueText } from './header-text.js';
import { type AddedHeader, F, ID_MASK, isAsciiText, SipMessage } from './message.js';
import { formatNameAddr, type NameAddr, parseNameAddr } from './name-addr.js';
import { DEFAULT_PARSE_OPTIONS } from './options.js';
import { reasonPhrase } from './reason-phrases.js';
import { isToken } from './scan.js';
import { formatUri, parseUri, type Uri } from './uri.js';

/** A source of random tokens (tags, branches, Call-IDs); inject a deterministic one in tests. */
export type RandomToken = () => string;

/** The default {@link RandomToken}: 16 hex digits from `crypto.randomBytes`. */
export const defaultRandomToken: RandomToken = () => randomBytes(8).toString('hex');

/** A new branch with the RFC 3261 magic cookie (RFC 3261 §8.1.1.7: starts with `z9hG4bK`). */
export function newBranch(random: RandomToken = defaultRandomToken): string {
  return `z9hG4bK${random()}`;
}

const CONTENT_LENGTH_0: AddedHeader = Object.freeze({ name: 'Content-Length', value: '0' });

/** Scratch header index of createResponse (packed small integers). */
let SCRATCH: number[] = new Array<number>(96).fill(0);

/** Status lines with the default phrase, by status - 100, built on first use. */
const STATUS_LINES: string[] = new Array(600);

/**
 * Per header id, why a response copies it: 1 always (Via, From, To, Call-ID, CSeq; RFC 3261
 * §8.2.6.2), 2 when copying Record-Route (§12.1.1), 4 for a 100 (Timestamp, §8.2.6.1).
 */
const COPIED: Uint8Array = (() => {
  const t = new Uint8Array(256);
  t[H.via] = t[H.from] = t[H.to] = t[H.callId] = t[H.cseq] = 1;
  t[H.recordRoute] = 2;
  t[H.timestamp] = 4;
  return t;
})();

/** Writes the index entry of header `id` whose value is the `n`-th added header (1-based). */
function putAdded(idx: number[], o: number, id: number, n: number): void {
  idx[o] = id;
  idx[o + 1] = -n;
  idx[o + 2] = idx[o + 3] = idx[o + 4] = idx[o + 5] = 0;
}

/** Options of {@link createResponse}. */
export interface ResponseOptions {
  /** Tag added to To when the request's To has none (RFC 3261 §8.2.6.2). */
  readonly toTag?: string;
  /** Copy Record-Route (RFC 3261 §12.1.1), only for 101-299 responses. */
  readonly copyRecordRoute?: boolean;
  /** Extra headers appended in order. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** Body; Content-Length is set from it. */
  readonly body?: Uint8Array | string;
  /** Content-Type for the body. */
  readonly contentType?: string;
}

/**
 * Builds a response to `request` (RFC 3261 §8.2.6): status line with `reason` (or the default
 * phrase), then Via (all, in order), From, To (with `toTag` added if it had none), Call-ID and
 * CSeq copied from the request by reference to their original bytes; Record-Route too when
 * `copyRecordRoute` and 101-299; Timestamp for 100 (§8.2.6.1); then extra headers,
 * Content-Type and Content-Length.
 */
export function createResponse(
  request: SipMessage,
  status: number,
  reason?: string,
  options?: ResponseOptions,
): SipMessage {
  if (!request.isRequest) throw new TypeError('createResponse needs a request');
  const toTag = options?.toTag;
  if (toTag !== undefined && !isToken(toTag)) throw new SipParseError(`bad To tag "${toTag}"`, 0);
  if (!Number.isInteger(status) || status < 100 || status > 699) throw new RangeError(`bad status ${status}`);
  let startLine: string;
  let phrase: string;
  if (reason === undefined) {
    // Default phrases hold no CR/LF: their status lines are built once.
    startLine = STATUS_LINES[status - 100];
    if (startLine === undefined) {
      startLine = `SIP/2.0 ${status} ${reasonPhrase(status)}`;
      STATUS_LINES[status - 100] = startLine;
    }
    phrase = reasonPhrase(status);
  } else {
    if (reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0)
      throw new SipParseError('CR/LF in reason phrase', 0);
    phrase = reason;
    startLine = `SIP/2.0 ${status} ${phrase}`;
  }
  const needTag = toTag !== undefined && request.to !== undefined && request.to.tag === undefined;
  const copyRR = options?.copyRecordRoute === true && status > 100 && status < 300;
  const want = 1 | (copyRR ? 2 : 0) | (status === 100 ? 4 : 0);
  const extra = options?.headers;
  const body = options?.body;
  const contentType = options?.contentType;
  const plain = extra === undefined && body === undefined && contentType === undefined;
  // Extra headers, body and Content-Type go straight into the index unless an extra header is one
  // the response copies or the body sets (then the general editing path places it).
  const direct = plain || extra === undefined || appendable(extra);
  const src = request._idx;
  const n = src.length;
  // Entries go to a scratch array, copied out at their final size by one slice.
  const need = n + F * (3 + (direct && extra !== undefined ? extra.length : 0));
  if (SCRATCH.length < need) SCRATCH = new Array<number>(2 * need).fill(0);
  const idx = SCRATCH;
  let o = 0;
  const added: AddedHeader[] = [];
  for (let b = 0; b < n; b += F) {
    const id = src[b] & ID_MASK;
    if ((COPIED[id] & want) === 0) continue;
    const ns = src[b + 1];
    if (id === H.to && needTag) {
      added.push({ name: 'To', value: `${request._value(b / F)};tag=${toTag}` });
      putAdded(idx, o, id, added.length);
    } else if (ns >= 0) {
      idx[o] = src[b];
      idx[o + 1] = ns;
      idx[o + 2] = src[b + 2];
      idx[o + 3] = src[b + 3];
      idx[o + 4] = src[b + 4];
      idx[o + 5] = src[b + 5];
    } else {
      added.push(request._added[-ns - 1]);
      putAdded(idx, o, id, added.length);
    }
    o += F;
  }
  let ascii = true;
  let bytes: Uint8Array | undefined;
  if (plain) {
    // Common case, kept cheap: only Content-Length: 0 to add.
    added.push(CONTENT_LENGTH_0);
    putAdded(idx, o, H.contentLength, added.length);
    o += F;
  } else if (direct) {
    // As finish() would place them: extra headers in order, then Content-Length and Content-Type
    // (a body) or Content-Type and Content-Length: 0 (none).
    if (extra !== undefined) {
      for (let k = 0; k < extra.length; k++) {
        const [name, value] = extra[k];
        const id = headerIdOf(name);
        const written = id === 0 ? name : CANONICAL_NAMES[id];
        if (!(id === 0 ? checkHeaderText(name, value) : checkValueText(name, value))) ascii = false;
        added.push({ name: written, value });
        putAdded(idx, o, id, added.length);
        o += F;
      }
    }
    if (body !== undefined) {
      bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      added.push({ name: 'Content-Length', value: String(bytes.length) });
      putAdded(idx, o, H.contentLength, added.length);
      o += F;
    }
    if (contentType !== undefined) {
      if (!checkValueText('Content-Type', contentType)) ascii = false;
      added.push({ name: 'Content-Type', value: contentType });
      putAdded(idx, o, H.contentType, added.length);
      o += F;
    }
    if (body === undefined) {
      added.push(CONTENT_LENGTH_0);
      putAdded(idx, o, H.contentLength, added.length);
      o += F;
    }
  }
  const res = new SipMessage({
    isRequest: false,
    src: request._src,
    head: request._head,
    ascii: request._ascii,
    idx: idx.slice(0, o),
    added,
    startLine,
    startEnd: 0,
    method: '',
    uri: '',
    uriStart: -1,
    status,
    reason: phrase,
    termStart: -1,
    bodyStart: 0,
    bodyEnd: 0,
    body: null,
    contentLength: -1,
    pristine: false,
    options: request._options,
  });
  // A To tag is a token (checked above), so ASCII; the default phrases are ASCII.
  res._plain = ascii && request._plain && (reason === undefined || isAsciiText(reason));
  if (!direct) finish(res, extra, body, contentType);
  else if (bytes !== undefined) res._body = bytes;
  else res._contentLength = 0;
  return res;
}

/** Options of {@link createRequest}. */
export interface RequestOptions {
  /** Method (a token), e.g. `INVITE`. */
  readonly method: string;
  /** Request-URI. */
  readonly requestUri: string | Uri;
  /** From: a header value or a name-addr; a tag is added when missing (RFC 3261 §8.1.1.3). */
  readonly from: string | NameAddr;
  /** To: a header value or a name-addr. */
  readonly to: string | NameAddr;
  /** Call-ID; random when omitted (RFC 3261 §8.1.1.4). */
  readonly callId?: string;
  /** CSeq number; default 1. */
  readonly cseq?: number;
  /** Max-Forwards; default 70 (RFC 3261 §8.1.1.6). */
  readonly maxForwards?: number;
  /** Via values, top first (usually added by the transport layer instead). */
  readonly via?: string | readonly string[];
  /** Contact: a header value or a name-addr. */
  readonly contact?: string | NameAddr;
  /** Route set, in order. */
  readonly route?: ReadonlyArray<string | NameAddr>;
  /** Extra headers appended in order. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** Body; Content-Length is set from it. */
  readonly body?: Uint8Array | string;
  /** Content-Type for the body. */
  readonly contentType?: string;
  /** Random source for the From tag and the Call-ID. */
  readonly random?: RandomToken;
}

/**
 * Builds a request (RFC 3261 §8.1.1): Via, Max-Forwards, Route, To, From (tagged), Call-ID,
 * CSeq, Contact, extra headers, Content-Type, Content-Length.
 */
export function createRequest(o: RequestOptions): SipMessage {
  const random = o.random ?? defaultRandomToken;
  if (!isToken(o.method)) {
    throw new SipParseError(`bad method "${o.method}"`, 0);
  }
  const ruri = typeof o.requestUri === 'string' ? o.requestUri : formatUri(o.requestUri);
  parseUri(ruri);
  const from = typeof o.from === 'string' ? parseNameAddr(o.from) : o.from;
  const fromText =
    from.tag !== undefined
      ? typeof o.from === 'string'
        ? o.from
        : formatNameAddr(from)
      : `${typeof o.from === 'string' ? o.from : formatNameAddr(from)};tag=${random()}`;
  const cseq = o.cseq ?? 1;
  const m = new SipMessage({
    isRequest: true,
    src: Buffer.alloc(0),
    head: '',
    ascii: true,
    idx: [],
    added: [],
    startLine: `${o.method} ${ruri} SIP/2.0`,
    startEnd: 0,
    method: o.method,
    uri: ruri,
    uriStart: -1,
    status: 0,
    reason: '',
    termStart: -1,
    bodyStart: 0,
    bodyEnd: 0,
    body: null,
    contentLength: -1,
    pristine: false,
    options: DEFAULT_PARSE_OPTIONS,
  });
  const vias = o.via === undefined ? [] : typeof o.via === 'string' ? [o.via] : o.via;
  for (const v of vias) m.addHeader('Via', v);
  m.addHeader('Max-Forwards', String(o.maxForwards ?? 70));
  for (const r of o.route ?? []) m.addHeader('Route', typeof r === 'string' ? r : formatNameAddr(r));
  m.addHeader('To', typeof o.to === 'string' ? o.to : formatNameAddr(o.to));
  m.addHeader('From', fromText);
  m.addHeader('Call-ID', o.callId ?? random());
  m.addHeader('CSeq', `${cseq} ${o.method}`);
  if (o.contact !== undefined)
    m.addHeader('Contact', typeof o.contact === 'string' ? o.contact : formatNameAddr(o.contact));
  finish(m, o.headers, o.body, o.contentType);
  return m;
}

/**
 * True when appending `headers` in order places them as addHeader would: none is one
 * createResponse copies or a body sets, and a repeated name follows its previous line (addHeader
 * puts a header after the last one of its name).
 */
function appendable(headers: ReadonlyArray<readonly [string, string]>): boolean {
  for (let k = 0; k < headers.length; k++) {
    const name = headers[k][0];
    const id = headerIdOf(name);
    if (COPIED[id] !== 0 || id === H.contentLength || id === H.contentType) return false;
    for (let j = 0; j < k - 1; j++) {
      const other = headers[j][0];
      if (id === 0 ? other.toLowerCase() === name.toLowerCase() : headerIdOf(other) === id) return false;
    }
  }
  return true;
}

function finish(
  m: SipMessage,
  headers: ReadonlyArray<readonly [string, string]> | undefined,
  body: Uint8Array | string | undefined,
  contentType: string | undefined,
): void {
  if (headers !== undefined) for (const [n, v] of headers) m.addHeader(n, v);
  if (body !== undefined) m.setBody(body, contentType);
  else {
    if (contentType !== undefined) m.addHeader('Content-Type', contentType);
    m.addHeader('Content-Length', '0');
    m._contentLength = 0;
  }
}
