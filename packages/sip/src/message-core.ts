/**
 * The SIP message core (RFC 3261 §7). A parsed message keeps its original bytes, a latin1 view
 * of the start line and headers, and a flat index of header lines (offsets only). Header values
 * are decoded when read and typed views are parsed on first access and cached. Mutations edit the
 * index: new or changed headers carry their text, untouched headers keep pointing at the original
 * bytes, so the serializer copies them verbatim.
 */
import { SipParseError } from './errors.js';
import { CANONICAL_NAMES, equalsLowerAt, H, headerIdOf, LIST_HEADER } from './header-names.js';
import { checkHeaderText, checkValueText, isAsciiText, parseContentLengthText } from './header-text.js';
import type { ResolvedParseOptions } from './options.js';
import { bytesOf, findElementEnd, skipWs, splitList, trimEnd, unfold } from './scan.js';
import { formatUri, parseUri, parseUriRange, type Uri } from './uri.js';

/** Fields per header entry in the index. */
export const F = 6;
/** Entry flag (in the id field): the header line is folded. */
export const FOLDED = 0x100;
/** Mask of the header id in the id field. */
export const ID_MASK = 0xff;

/** A header added or rewritten through the mutation API (or by a builder). */
export interface AddedHeader {
  /** Name as it will be written. */
  readonly name: string;
  /** Value as it will be written (no CRLF). */
  readonly value: string;
}

/** Where {@link SipMessage.addHeader} inserts. */
export interface AddHeaderOptions {
  /**
   * `first`: before the first header of that name (at the top when there is none), as a proxy
   * pushes a Via (RFC 3261 §16.6 step 8). `last` (default): after the last header of that name
   * (at the end when there is none). `top`: before every other header.
   */
  readonly position?: 'first' | 'last' | 'top';
  /** Shorthand for `position: 'first'`. */
  readonly prepend?: boolean;
}

/** @internal Construction record; use {@link parseMessage} or the builders instead. */
export interface MessageInit {
  readonly isRequest: boolean;
  readonly src: Buffer;
  readonly head: string;
  readonly ascii: boolean;
  readonly idx: number[];
  readonly added: AddedHeader[];
  readonly startLine: string | null;
  readonly startEnd: number;
  readonly method: string;
  readonly uri: string;
  readonly uriStart: number;
  readonly status: number;
  readonly reason: string;
  readonly termStart: number;
  readonly bodyStart: number;
  readonly bodyEnd: number;
  readonly body: Uint8Array | null;
  readonly contentLength: number;
  readonly pristine: boolean;
  readonly options: ResolvedParseOptions;
}

const ABSENT = Symbol('absent');
const EMPTY = new Uint8Array(0);

/**
 * The storage and editing half of {@link SipMessage}: start line, header index, header access,
 * body, the typed-view cache, and the mutation API. Typed views are in message.ts.
 */
export class SipMessageCore {
  /** True for a request, false for a response. */
  readonly isRequest: boolean;
  /** @internal Original bytes (headers of unmodified entries point into them). */
  _src: Buffer;
  /** @internal latin1 decode of the original start line and headers. */
  _head: string;
  /** @internal True when `_head` holds only ASCII (latin1 substrings are then exact). */
  _ascii: boolean;
  /** @internal Header index: F numbers per header (id|flags, nameStart or -(added+1), nameEnd, valueStart, valueEnd, lineEnd). */
  _idx: number[];
  /** @internal Texts of added headers. */
  _added: AddedHeader[];
  /** @internal Rewritten start line (no CRLF), or null for the original bytes [0, _startEnd). */
  _startLine: string | null;
  /** @internal End of the original start line (past its CRLF). */
  _startEnd: number;
  /** @internal Offset of the original empty line ending the headers, or -1. */
  _termStart: number;
  /** @internal Original body range. */
  _bodyStart: number;
  /** @internal Original body range end. */
  _bodyEnd: number;
  /** @internal Replacement body, or null for the original range. */
  _body: Uint8Array | null;
  /** @internal Parsed Content-Length (first header), -1 when absent. */
  _contentLength: number;
  /** @internal True while the message equals its original bytes. */
  _pristine: boolean;
  /** @internal True while every added or rewritten text (start line, headers) is ASCII. */
  _plain = true;
  /** @internal Limits applied to lazy view parsing. */
  _options: ResolvedParseOptions;
  /** @internal Request method ('' for responses). */
  _method: string;
  private _uri: string;
  private _uriStart: number;
  private _status: number;
  private _reason: string;
  private _views: unknown[] | null = null;
  private _ruri: Uri | undefined = undefined;

  /** @internal Use {@link parseMessage} or the builders. */
  constructor(init: MessageInit) {
    this.isRequest = init.isRequest;
    this._src = init.src;
    this._head = init.head;
    this._ascii = init.ascii;
    this._idx = init.idx;
    this._added = init.added;
    this._startLine = init.startLine;
    this._startEnd = init.startEnd;
    this._method = init.method;
    this._uri = init.uri;
    this._uriStart = init.uriStart;
    this._status = init.status;
    this._reason = init.reason;
    this._termStart = init.termStart;
    this._bodyStart = init.bodyStart;
    this._bodyEnd = init.bodyEnd;
    this._body = init.body;
    this._contentLength = init.contentLength;
    this._pristine = init.pristine;
    this._options = init.options;
  }

  /** Request-URI as written (requests), '' for responses. */
  get requestUri(): string {
    return this._uri;
  }

  /** The parsed Request-URI (cached); undefined for responses. Throws {@link SipParseError} if malformed. */
  get parsedRequestUri(): Uri | undefined {
    if (!this.isRequest) return undefined;
    if (this._ruri === undefined) {
      const us = this._uriStart;
      this._ruri =
        us >= 0
          ? parseUriRange(this._src, this._head, us, us + this._uri.length, this._options.maxParams)
          : parseUri(this._uri, this._options.maxParams);
    }
    return this._ruri;
  }

  /** Status code (responses), 0 for requests. */
  get status(): number {
    return this._status;
  }

  /** Reason phrase (responses, may be empty), '' for requests. */
  get reason(): string {
    return this._reason;
  }

  /** The body (a view into the original bytes unless replaced by {@link setBody}). */
  get body(): Uint8Array {
    if (this._body !== null) return this._body;
    if (this._bodyEnd <= this._bodyStart) return EMPTY;
    return this._src.subarray(this._bodyStart, this._bodyEnd);
  }

  /** Number of header lines. */
  get headerCount(): number {
    return this._idx.length / F;
  }

  // ---- header access ------------------------------------------------------------------------

  /** @internal Index of the first entry at or after `from` with this id (or name when id is 0); -1. */
  _find(id: number, lower: string, from: number): number {
    const idx = this._idx;
    const n = idx.length;
    for (let b = from * F; b < n; b += F) {
      if ((idx[b] & ID_MASK) !== id) continue;
      if (id !== 0) return b / F;
      const ns = idx[b + 1];
      if (
        ns >= 0
          ? equalsLowerAt(this._head, ns, idx[b + 2], lower)
          : this._added[-ns - 1].name.toLowerCase() === lower
      ) {
        return b / F;
      }
    }
    return -1;
  }

  /** @internal Decoded value of entry `k` (unfolded, trimmed). */
  _value(k: number): string {
    const b = k * F;
    const idx = this._idx;
    const ns = idx[b + 1];
    if (ns < 0) return this._added[-ns - 1].value;
    const vs = idx[b + 3];
    const ve = idx[b + 4];
    let v = this._ascii ? this._head.slice(vs, ve) : this._src.toString('utf8', vs, ve);
    if ((idx[b] & FOLDED) !== 0) v = unfold(v);
    return v;
  }

  /** @internal Name of entry `k` as written. */
  _name(k: number): string {
    const b = k * F;
    const ns = this._idx[b + 1];
    return ns < 0 ? this._added[-ns - 1].name : this._head.slice(ns, this._idx[b + 2]);
  }

  /** @internal Header id of entry `k`. */
  _id(k: number): number {
    return this._idx[k * F] & ID_MASK;
  }

  /** @internal Byte offset of entry `k`'s value in the original bytes (-1 for added headers). */
  _valueOffset(k: number): number {
    return this._idx[k * F + 1] < 0 ? -1 : this._idx[k * F + 3];
  }

  /**
   * First value of a header (any case, compact forms accepted: `getHeader('v') === getHeader('VIA')`).
   * For list headers (Via, Contact, Route, ...) this is the first comma-separated element.
   */
  getHeader(name: string): string | undefined {
    const id = headerIdOf(name);
    const k = this._find(id, id === 0 ? name.toLowerCase() : '', 0);
    if (k < 0) return undefined;
    const v = this._value(k);
    if (LIST_HEADER[id] === 0) return v;
    const vb = bytesOf(v);
    const e = findElementEnd(vb, 0, v.length);
    if (e === v.length) return v;
    const a = skipWs(vb, 0, e);
    return v.slice(a, trimEnd(vb, a, e));
  }

  /**
   * All values of a header, in order. List headers are split into one value per comma-separated
   * element (commas inside quotes and `<...>` do not split; empty elements are dropped).
   */
  getHeaders(name: string): string[] {
    const id = headerIdOf(name);
    const lower = id === 0 ? name.toLowerCase() : '';
    const out: string[] = [];
    const isList = LIST_HEADER[id] === 1;
    for (let k = this._find(id, lower, 0); k >= 0; k = this._find(id, lower, k + 1)) {
      const v = this._value(k);
      if (!isList) out.push(v);
      else for (const e of splitList(v, this._options.maxListElements)) out.push(e);
    }
    return out;
  }

  /** True when at least one header of that name is present. */
  hasHeader(name: string): boolean {
    const id = headerIdOf(name);
    return this._find(id, id === 0 ? name.toLowerCase() : '', 0) >= 0;
  }

  /**
   * Number of header lines with this known header id (`HeaderId`, not 0), without decoding any
   * value. A list header written as one line with several elements counts once.
   */
  countHeader(id: number): number {
    const idx = this._idx;
    const n = idx.length;
    let c = 0;
    for (let b = 0; b < n; b += F) if ((idx[b] & ID_MASK) === id) c++;
    return c;
  }

  /** Every header line in order, names as written, values unfolded (lists not split). */
  headerEntries(): Array<{ name: string; value: string }> {
    const out: Array<{ name: string; value: string }> = [];
    for (let k = 0; k < this.headerCount; k++) out.push({ name: this._name(k), value: this._value(k) });
    return out;
  }

  // ---- typed view cache --------------------------------------------------------------------

  /** @internal Cached view of header `id`, built on first access. */
  _view<T, M extends SipMessageCore>(this: M, id: number, build: (m: M) => T | undefined): T | undefined {
    let cache = this._views;
    if (cache === null) {
      cache = new Array(20);
      this._views = cache;
    }
    const v = cache[id];
    if (v !== undefined) return v === ABSENT ? undefined : (v as T);
    const built = build(this);
    cache[id] = built === undefined ? ABSENT : built;
    return built;
  }

  // ---- copying ------------------------------------------------------------------------------

  /**
   * @internal Construction record of an independent copy (see `cloneMessage`): the header index
   * and the list of added texts are copied, the original bytes, the decoded head and a replaced
   * body are shared (none of them is ever written to).
   */
  _cloneInit(): MessageInit {
    return {
      isRequest: this.isRequest,
      src: this._src,
      head: this._head,
      ascii: this._ascii,
      idx: this._idx.slice(),
      added: this._added.slice(),
      startLine: this._startLine,
      startEnd: this._startEnd,
      method: this._method,
      uri: this._uri,
      uriStart: this._uriStart,
      status: this._status,
      reason: this._reason,
      termStart: this._termStart,
      bodyStart: this._bodyStart,
      bodyEnd: this._bodyEnd,
      body: this._body,
      contentLength: this._contentLength,
      pristine: this._pristine,
      options: this._options,
    };
  }

  /**
   * @internal Takes over the derived state of `from`, whose {@link _cloneInit} built this
   * message: the ASCII flag of added texts and the parsed views. The views are read-only values,
   * so both messages may hold the same objects; the cache array itself is copied, so a mutation
   * dropping a view on one message leaves the other's cache alone.
   */
  _adoptDerived(from: SipMessageCore): void {
    this._plain = from._plain;
    this._views = from._views === null ? null : from._views.slice();
    this._ruri = from._ruri;
  }

  // ---- mutation -----------------------------------------------------------------------------

  private _touch(id: number): void {
    this._pristine = false;
    if (this._views !== null && id < this._views.length) this._views[id] = undefined;
  }

  private _insertAdded(k: number, id: number, name: string, value: string): void {
    this._idx.splice(k * F, 0, id, this._pushAdded(id, name, value), 0, 0, 0, 0);
  }

  /** Checks and stores an added text; returns its (negative) reference for the index. */
  private _pushAdded(id: number, name: string, value: string): number {
    // Known ids are written with their canonical names (tokens): only the value needs checking.
    if (!(id === 0 ? checkHeaderText(name, value) : checkValueText(name, value))) this._plain = false;
    this._added.push({ name, value });
    return -this._added.length;
  }

  /**
   * Adds a header line. `position: 'first'` puts it before the first header of that name (a
   * proxy pushing its Via), `'last'` (default) after the last one, `'top'` above all headers.
   */
  addHeader(name: string, value: string, options?: AddHeaderOptions): void {
    const id = headerIdOf(name);
    const lower = id === 0 ? name.toLowerCase() : '';
    const written = id === 0 ? name : CANONICAL_NAMES[id];
    const pos = options?.position ?? (options?.prepend === true ? 'first' : 'last');
    let k: number;
    if (pos === 'top') k = 0;
    else if (pos === 'first') {
      k = this._find(id, lower, 0);
      if (k < 0) k = 0;
    } else {
      k = -1;
      for (let j = this._find(id, lower, 0); j >= 0; j = this._find(id, lower, j + 1)) k = j;
      k = k < 0 ? this.headerCount : k + 1;
    }
    this._insertAdded(k, id, written, value);
    this._touch(id);
  }

  /**
   * Replaces every header of that name by the given value(s), written where the first one was
   * (at the end when there was none). Other header lines are not touched.
   */
  setHeader(name: string, value: string | readonly string[]): void {
    const id = headerIdOf(name);
    const lower = id === 0 ? name.toLowerCase() : '';
    const written = id === 0 ? name : CANONICAL_NAMES[id];
    let k = this._find(id, lower, 0);
    if (typeof value === 'string' && k >= 0 && this._find(id, lower, k + 1) < 0) {
      // One line replaced by one line (a proxy's Max-Forwards): rewrite its entry in place.
      const idx = this._idx;
      const base = k * F;
      idx[base + 1] = this._pushAdded(id, written, value);
      idx[base] = id;
      idx[base + 2] = idx[base + 3] = idx[base + 4] = idx[base + 5] = 0;
      this._touch(id);
      if (id === H.contentLength) this._contentLength = parseContentLengthText(value);
      return;
    }
    if (k < 0) k = this.headerCount;
    else this.removeHeader(name);
    const values = typeof value === 'string' ? [value] : value;
    for (let j = 0; j < values.length; j++) this._insertAdded(k + j, id, written, values[j]);
    this._touch(id);
    if (id === H.contentLength) this._contentLength = parseContentLengthText(values[0]);
  }

  /** Removes every header of that name; returns how many lines were removed. */
  removeHeader(name: string): number {
    const id = headerIdOf(name);
    const lower = id === 0 ? name.toLowerCase() : '';
    let n = 0;
    for (let k = this._find(id, lower, 0); k >= 0; k = this._find(id, lower, k)) {
      this._idx.splice(k * F, F);
      n++;
    }
    if (n > 0) this._touch(id);
    if (id === H.contentLength && n > 0) this._contentLength = -1;
    return n;
  }

  /**
   * Removes the first value of a header: for a list header the first comma-separated element
   * (the rest of that line is kept, rewritten), otherwise the first line. Returns the removed
   * value, or undefined when there was none. A proxy pops a Route this way (RFC 3261 §16.4).
   */
  removeFirstHeader(name: string): string | undefined {
    const id = headerIdOf(name);
    const k = this._find(id, id === 0 ? name.toLowerCase() : '', 0);
    if (k < 0) return undefined;
    const v = this._value(k);
    const written = this._name(k);
    this._idx.splice(k * F, F);
    this._touch(id);
    if (LIST_HEADER[id] === 0) return v;
    const vb = bytesOf(v);
    const e = findElementEnd(vb, 0, v.length);
    const a = skipWs(vb, 0, e);
    const first = v.slice(a, trimEnd(vb, a, e));
    if (e < v.length) {
      const rest = v.slice(skipWs(vb, e + 1, v.length));
      if (rest.length > 0) this._insertAdded(k, id, written, rest);
    }
    return first;
  }

  /** Rewrites the Request-URI (requests only); the URI is checked with {@link parseUri}. */
  setRequestUri(uri: string | Uri): void {
    if (!this.isRequest) throw new TypeError('setRequestUri on a response');
    const text = typeof uri === 'string' ? uri : formatUri(uri);
    const parsed = typeof uri === 'string' ? parseUri(uri, this._options.maxParams) : uri;
    this._uri = text;
    this._uriStart = -1;
    this._ruri = parsed;
    this._startLine = `${this._method} ${text} SIP/2.0`;
    if (!isAsciiText(text)) this._plain = false;
    this._pristine = false;
  }

  /** Rewrites the status line (responses only). */
  setStatus(status: number, reason: string): void {
    if (this.isRequest) throw new TypeError('setStatus on a request');
    if (!Number.isInteger(status) || status < 100 || status > 699)
      throw new RangeError(`bad status ${status}`);
    if (!checkHeaderText('Reason-Phrase', reason)) this._plain = false;
    this._status = status;
    this._reason = reason;
    this._startLine = `SIP/2.0 ${status} ${reason}`;
    this._pristine = false;
  }

  /**
   * Replaces the body and rewrites Content-Length to its length (RFC 3261 §20.14); sets
   * Content-Type when given. A string body is encoded as UTF-8.
   */
  setBody(body: Uint8Array | string, contentType?: string): void {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this._body = bytes;
    this.setHeader('Content-Length', String(bytes.length));
    if (contentType !== undefined) this.setHeader('Content-Type', contentType);
    this._pristine = false;
  }
}
