/**
 * Sans-IO framer for stream transports (TCP, TLS, WebSocket carrying a byte stream): splits the
 * bytes into SIP messages by Content-Length (RFC 3261 §18.3) and reports CRLF keep-alives
 * (RFC 5626 §4.4.1). Feed it chunks as they arrive; it never reads a socket or a clock.
 */

import { asBuffer } from './bytes.js';
import { SipParseError } from './errors.js';
import { H, headerIdAt } from './header-names.js';
import type { SipMessage } from './message.js';
import { type ParseOptions, type ResolvedParseOptions, resolveParseOptions } from './options.js';
import { parseMessage } from './parse.js';
import { scanToken } from './scan.js';

/** What {@link SipStreamFramer.push} reports, in stream order. */
export type FramerEvent =
  /** A complete, parsed message. */
  | { readonly type: 'message'; readonly message: SipMessage }
  /**
   * A message that framed correctly (its Content-Length was usable) but failed to parse or
   * validate; the stream is still in sync. A UAS may answer a request with `error.status`.
   */
  | { readonly type: 'invalid'; readonly error: SipParseError; readonly bytes: Uint8Array }
  /** A double-CRLF keep-alive ping (RFC 5626 §4.4.1): answer with a single CRLF pong. */
  | { readonly type: 'ping' }
  /** A single-CRLF keep-alive pong (RFC 5626 §4.4.1). */
  | { readonly type: 'pong' };

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

/**
 * Splits a byte stream into SIP messages. Errors that lose the framing (no or bad Content-Length,
 * a head or message over the limits, a bare CR between messages) throw {@link SipParseError}
 * with kind `framing` or `limit`: the transport should then close the connection.
 *
 * Messages keep references to the pushed chunks (no copy when a chunk holds whole messages):
 * do not reuse a chunk's memory after pushing it.
 */
export class SipStreamFramer {
  private readonly opts: ResolvedParseOptions;
  private buf: Buffer | null = null;
  private own = false;
  private start = 0;
  private end = 0;
  private scanFrom = 0;
  private need = -1;

  /** Creates a framer; `options` are the limits passed to {@link parseMessage} (stream mode). */
  constructor(options?: ParseOptions) {
    this.opts = resolveParseOptions({ ...options, stream: true });
  }

  /** Octets received but not yet part of a complete message. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** Appends a chunk and returns the events it completes (possibly none). */
  push(chunk: Uint8Array): FramerEvent[] {
    const events: FramerEvent[] = [];
    if (chunk.length === 0) return events;
    this.append(asBuffer(chunk));
    const buf = this.buf!;
    for (;;) {
      if (this.need < 0) {
        // RFC 5626 §4.4.1 / RFC 3261 §7.5: CRLFs between messages are keep-alives.
        while (this.start < this.end && buf[this.start] === 13) {
          const avail = this.end - this.start;
          if (avail < 2) return this.settle(events);
          if (buf[this.start + 1] !== 10)
            throw new SipParseError('bare CR between messages', this.start, 'framing');
          if (avail >= 4 && buf[this.start + 2] === 13 && buf[this.start + 3] === 10) {
            events.push({ type: 'ping' });
            this.start += 4;
          } else if (avail === 3 && buf[this.start + 2] === 13) {
            return this.settle(events);
          } else {
            events.push({ type: 'pong' });
            this.start += 2;
          }
        }
        if (this.start >= this.end) return this.settle(events);
        const from = Math.max(this.start, this.scanFrom);
        let he = buf.indexOf(CRLFCRLF, from);
        if (he >= 0 && he + 4 > this.end) he = -1;
        if (he < 0) {
          this.scanFrom = Math.max(this.start, this.end - 3);
          if (this.end - this.start > this.opts.maxMessageSize) {
            throw new SipParseError('header section over the message size limit', this.start, 'limit');
          }
          return this.settle(events);
        }
        const headLen = he + 2 - this.start;
        const cl = contentLengthOf(
          buf.subarray(this.start, this.start + headLen),
          buf.toString('latin1', this.start, this.start + headLen),
        );
        const total = headLen + 2 + cl;
        if (total > this.opts.maxMessageSize) {
          throw new SipParseError(`message of ${total} octets over the limit`, this.start, 'limit');
        }
        this.need = total;
      }
      if (this.end - this.start < this.need) return this.settle(events);
      const bytes = buf.subarray(this.start, this.start + this.need);
      this.start += this.need;
      this.scanFrom = this.start;
      this.need = -1;
      try {
        events.push({ type: 'message', message: parseMessage(bytes, this.opts) });
      } catch (e) {
        if (!(e instanceof SipParseError)) throw e;
        events.push({ type: 'invalid', error: e, bytes });
      }
    }
  }

  /** Drops buffered bytes (after a connection reset). */
  reset(): void {
    this.buf = null;
    this.own = false;
    this.start = this.end = this.scanFrom = 0;
    this.need = -1;
  }

  private settle(events: FramerEvent[]): FramerEvent[] {
    if (this.start >= this.end) this.reset();
    return events;
  }

  // Bytes before `start` may be referenced by emitted messages: never overwrite them. Appends
  // write past `end` in a buffer we own, or move the pending tail into a new buffer.
  private append(chunk: Buffer): void {
    if (this.buf === null) {
      this.buf = chunk;
      this.own = false;
      this.start = 0;
      this.end = chunk.length;
      this.scanFrom = 0;
      return;
    }
    const pending = this.end - this.start;
    if (this.own && this.buf.length - this.end >= chunk.length) {
      chunk.copy(this.buf, this.end);
      this.end += chunk.length;
      return;
    }
    const cap = Math.max(4096, (pending + chunk.length) * 2);
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, this.start, this.end);
    chunk.copy(next, pending);
    this.scanFrom = Math.max(0, this.scanFrom - this.start);
    this.buf = next;
    this.own = true;
    this.start = 0;
    this.end = pending + chunk.length;
  }
}

/**
 * The Content-Length of a header section (its octets and latin1 text, start line included,
 * ending in CRLF).
 * Missing, malformed or conflicting values lose the framing (RFC 3261 §18.3, RFC 4475 §3.3.9).
 */
function contentLengthOf(b: Uint8Array, head: string): number {
  let found = -1;
  let pos = head.indexOf('\r\n') + 2;
  while (pos < head.length) {
    const ne = scanToken(b, pos, head.length);
    let lineEnd = head.indexOf('\r\n', pos);
    while (
      lineEnd + 2 < head.length &&
      (head.charCodeAt(lineEnd + 2) === 32 || head.charCodeAt(lineEnd + 2) === 9)
    ) {
      lineEnd = head.indexOf('\r\n', lineEnd + 2);
    }
    if (ne > pos && headerIdAt(b, pos, ne) === H.contentLength) {
      let i = ne;
      while (i < lineEnd && (head.charCodeAt(i) === 32 || head.charCodeAt(i) === 9)) i++;
      if (head.charCodeAt(i) !== 58) throw new SipParseError('bad Content-Length header', pos, 'framing');
      let v = 0;
      let digits = 0;
      for (i++; i < lineEnd; i++) {
        const c = head.charCodeAt(i);
        if (c >= 48 && c <= 57) {
          v = v * 10 + (c - 48);
          digits++;
          if (v > 0x7fffffff) throw new SipParseError('Content-Length too large', pos, 'framing');
        } else if (c !== 32 && c !== 9 && c !== 13 && c !== 10) {
          throw new SipParseError('bad Content-Length value', i, 'framing');
        }
      }
      if (digits === 0) throw new SipParseError('empty Content-Length', pos, 'framing');
      if (found >= 0 && found !== v)
        throw new SipParseError('conflicting Content-Length headers', pos, 'framing');
      found = v;
    }
    pos = lineEnd + 2;
  }
  // RFC 3261 §18.3: a stream message without Content-Length cannot be framed.
  if (found < 0) throw new SipParseError('missing Content-Length on a stream', 0, 'framing');
  return found;
}
