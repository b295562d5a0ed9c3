/**
 * parseMessage: one pass over the bytes builds the start line and the header index
 * (RFC 3261 §7). Header values stay undecoded until read; with `validate` (the default) the
 * headers every element must understand are parsed before returning (see validate.ts).
 */

import { isAscii } from 'node:buffer';
import { asBuffer } from './bytes.js';
import { C_TOKEN, CHAR_CLASS } from './chars.js';
import { SipParseError } from './errors.js';
import { equalsLowerAt, H, headerIdHashed, NAME_HASH_SEED } from './header-names.js';
import { knownMethod } from './known-methods.js';
import { FOLDED, SipMessage } from './message.js';
import { type ParseOptions, type ResolvedParseOptions, resolveParseOptions } from './options.js';
import { scanToken } from './scan.js';
import { validateMessage } from './validate.js';

/** Node's Buffer has `latin1Slice` (undocumented in the typings, used by Buffer#toString). */
type Latin1Sliceable = Buffer & { latin1Slice(start: number, end: number): string };

/** Leading CRLF pairs (no `g`/`y` flag: the object keeps no state between calls). */
const LEADING_CRLFS = /^(?:\r\n)+/;

/**
 * Parses one SIP message (RFC 3261 §7). A string is encoded as UTF-8 first.
 *
 * Datagram semantics (RFC 3261 §18.3) unless `options.stream`: octets beyond Content-Length are
 * discarded, a body shorter than Content-Length is an error, and without Content-Length the body
 * runs to the end of the input. Leading CRLFs are skipped (RFC 3261 §7.5).
 *
 * Throws {@link SipParseError} (reason, byte offset, suggested status) on malformed input or when
 * a limit is exceeded. The returned message keeps a reference to `data`: do not reuse the buffer.
 */
export function parseMessage(data: Uint8Array | string, options?: ParseOptions): SipMessage {
  const opts = resolveParseOptions(options);
  let src = typeof data === 'string' ? Buffer.from(data, 'utf8') : asBuffer(data);
  // The size limit applies to the whole input, before any scan (leading CRLFs included).
  if (src.length > opts.maxMessageSize) {
    throw new SipParseError(
      `message larger than ${opts.maxMessageSize} octets`,
      opts.maxMessageSize,
      'limit',
    );
  }
  // latin1 maps each octet to one UTF-16 unit, so string indexes are byte offsets.
  // Buffer#latin1Slice is what toString('latin1') ends in, without the encoding lookup.
  let text = (src as Latin1Sliceable).latin1Slice(0, src.length);
  if (text.charCodeAt(0) === 13) {
    // RFC 3261 §7.5: skip leading CRLFs. The native regex engine keeps a long run (hostile input)
    // linear and fast even where a JS byte loop would still run unoptimised.
    const skip = LEADING_CRLFS.exec(text)?.[0].length ?? 0;
    if (skip > 0) {
      src = src.subarray(skip);
      text = text.slice(skip);
    }
  }
  const m = indexMessage(src, text, opts);
  if (opts.validate) validateMessage(m);
  return m;
}

/** @internal Builds the message from its head: start line, header index, Content-Length, body range. */
export function indexMessage(src: Buffer, head: string, opts: ResolvedParseOptions): SipMessage {
  const len = head.length;
  const sl = head.indexOf('\n');
  if (sl < 0) throw new SipParseError('no empty line after the headers', len);
  if (head.charCodeAt(sl - 1) !== 13) throw new SipParseError('bare LF in start line', sl);
  const slEnd = sl - 1;
  const startEnd = sl + 1;

  let isRequest: boolean;
  let method = '';
  let uri = '';
  let uriStart = -1;
  let status = 0;
  let reason = '';
  // Set when the start line was accepted liberally (extra SP): it is written back canonically.
  let canonical: string | null = null;
  if (
    slEnd >= 4 &&
    head.charCodeAt(0) === 83 &&
    head.charCodeAt(1) === 73 &&
    head.charCodeAt(2) === 80 &&
    head.charCodeAt(3) === 47
  ) {
    // RFC 3261 §7.2: Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF
    isRequest = false;
    const sp = head.indexOf(' ');
    if (sp < 0 || sp > slEnd) throw new SipParseError('status line without status code', slEnd);
    checkVersion(head, 0, sp);
    let i = sp + 1;
    while (i < slEnd && head.charCodeAt(i) === 32) i++;
    let code = 0;
    let digits = 0;
    while (i < slEnd) {
      const d = head.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      code = code * 10 + d;
      digits++;
      i++;
      if (digits > 3) break;
    }
    // RFC 3261 §7.2 / §21: Status-Code is 3 digits, 100-699 (RFC 4475 §3.1.2.19 bigcode).
    if (digits !== 3 || code < 100 || code > 699) throw new SipParseError('bad status code', sp + 1);
    if (i < slEnd && head.charCodeAt(i) !== 32) throw new SipParseError('bad status code', i);
    status = code;
    const rs = i < slEnd ? i + 1 : i;
    reason =
      rs >= slEnd
        ? ''
        : isAscii(src.subarray(rs, slEnd))
          ? head.slice(rs, slEnd)
          : src.toString('utf8', rs, slEnd);
    if (i !== sp + 4) canonical = `SIP/2.0 ${status} ${reason}`;
  } else {
    // RFC 3261 §7.1: Request-Line = Method SP Request-URI SP SIP-Version CRLF. Extra SP between
    // the elements and after the version are tolerated (RFC 4475 §3.1.2.9, §3.1.2.10).
    isRequest = true;
    const me = scanToken(src, 0, slEnd);
    if (me === 0 || me >= slEnd || head.charCodeAt(me) !== 32) throw new SipParseError('bad method', me);
    method = knownMethod(src, me) ?? head.slice(0, me);
    let us = me + 1;
    while (us < slEnd && head.charCodeAt(us) === 32) us++;
    let le = slEnd;
    while (le > us && head.charCodeAt(le - 1) === 32) le--;
    const vs = head.lastIndexOf(' ', le - 1) + 1;
    if (vs <= us) throw new SipParseError('request line without SIP-Version', le);
    checkVersion(head, vs, le);
    let ue = vs - 1;
    while (ue > us && head.charCodeAt(ue - 1) === 32) ue--;
    if (ue <= us) throw new SipParseError('empty Request-URI', us);
    uri = head.slice(us, ue);
    uriStart = us;
    if (us !== me + 1 || ue !== vs - 1 || le !== slEnd) canonical = `${method} ${uri} SIP/2.0`;
  }

  // Preallocated for 16 headers (growing from [] by push costs several reallocations). Trimmed
  // below, it keeps its capacity: a proxy's added Via is inserted in place.
  const idx: number[] = new Array(96);
  let n = 0;
  let contentLength = -1;
  let pos = startEnd;
  const maxLine = opts.maxHeaderLineLength;
  const maxHeaders = opts.maxHeaders * 6;
  let headLen = -1;
  for (;;) {
    if (pos >= len) throw new SipParseError('no empty line after the headers', len);
    const c0 = head.charCodeAt(pos);
    if (c0 === 13 && head.charCodeAt(pos + 1) === 10) {
      headLen = pos;
      break;
    }
    if (c0 === 32 || c0 === 9) throw new SipParseError('continuation line without a header', pos);
    let ne = pos;
    // The name scan is bounded by the line limit so a huge "name" fails fast. It hashes the name
    // on the way (see headerNameHash) so the id lookup is one probe.
    const nameLimit = Math.min(len, pos + maxLine);
    let h = NAME_HASH_SEED;
    while (ne < nameLimit) {
      const c = src[ne];
      if ((CHAR_CLASS[c] & C_TOKEN) === 0) break;
      h = Math.imul(h ^ (c | 0x20), 0x01000193);
      ne++;
    }
    if (ne === pos) throw new SipParseError('bad header name', pos);
    if (ne === nameLimit && nameLimit < len) {
      throw new SipParseError(`header line longer than ${maxLine} octets`, pos, 'limit');
    }
    let colon = ne;
    while (head.charCodeAt(colon) === 32 || head.charCodeAt(colon) === 9) colon++;
    if (head.charCodeAt(colon) !== 58) throw new SipParseError('expected ":" after header name', colon);
    let flags = 0;
    let lf = head.indexOf('\n', colon);
    if (lf < 0) throw new SipParseError('no empty line after the headers', len);
    if (head.charCodeAt(lf - 1) !== 13) throw new SipParseError('bare LF in header', lf);
    // RFC 3261 §7.3.1: a line starting with whitespace continues the header (folding).
    for (;;) {
      const n = head.charCodeAt(lf + 1);
      if (n !== 32 && n !== 9) break;
      flags = FOLDED;
      lf = head.indexOf('\n', lf + 1);
      if (lf < 0) throw new SipParseError('no empty line after the headers', len);
      if (head.charCodeAt(lf - 1) !== 13) throw new SipParseError('bare LF in header', lf);
    }
    const lineEnd = lf + 1;
    if (lineEnd - pos > maxLine)
      throw new SipParseError(`header line longer than ${maxLine} octets`, pos, 'limit');
    if (n >= maxHeaders) throw new SipParseError(`more than ${opts.maxHeaders} headers`, pos, 'limit');
    let vs = colon + 1;
    let ve = lf - 1;
    for (;;) {
      const c = head.charCodeAt(vs);
      if (vs < ve && (c === 32 || c === 9)) vs++;
      else if (vs < ve && c === 13) vs += 2;
      else break;
    }
    while (ve > vs) {
      const c = head.charCodeAt(ve - 1);
      if (c === 32 || c === 9) ve--;
      else break;
    }
    const id = headerIdHashed(src, pos, ne, h);
    if (id === H.contentLength && contentLength < 0) contentLength = contentLengthAt(head, vs, ve);
    idx[n] = id | flags;
    idx[n + 1] = pos;
    idx[n + 2] = ne;
    idx[n + 3] = vs;
    idx[n + 4] = ve;
    idx[n + 5] = lineEnd;
    n += 6;
    pos = lineEnd;
  }
  idx.length = n;
  // RFC 3261 §7: lines end in CRLF. A bare CR in the head is rejected (bare LFs were caught per line).
  for (let r = head.indexOf('\r'); r >= 0 && r < headLen; r = head.indexOf('\r', r + 2)) {
    if (head.charCodeAt(r + 1) !== 10) throw new SipParseError('bare CR in header section', r);
  }

  const bodyStart = headLen + 2;
  let bodyEnd: number;
  if (contentLength >= 0) {
    // RFC 3261 §18.3: octets beyond Content-Length are discarded; fewer is an error.
    bodyEnd = bodyStart + contentLength;
    if (bodyEnd > src.length) {
      throw new SipParseError(
        `body shorter than Content-Length ${contentLength}`,
        src.length,
        opts.stream ? 'framing' : 'malformed',
      );
    }
  } else if (opts.stream) {
    // RFC 3261 §18.3: Content-Length MUST be used with stream-oriented transports.
    throw new SipParseError('missing Content-Length on a stream', headLen, 'framing');
  } else {
    bodyEnd = src.length;
  }
  const ascii = isAscii(src) || isAscii(src.subarray(0, headLen));
  return new SipMessage({
    isRequest,
    src: bodyEnd === src.length ? src : src.subarray(0, bodyEnd),
    head,
    ascii,
    idx,
    added: [],
    startLine: canonical,
    startEnd,
    method,
    uri,
    uriStart,
    status,
    reason,
    termStart: headLen,
    bodyStart,
    bodyEnd,
    body: null,
    contentLength,
    pristine: canonical === null,
    options: opts,
  });
}

/** RFC 3261 §7.1: SIP-Version must be `SIP/2.0`; another well-formed version is a 505. */
function checkVersion(head: string, start: number, end: number): void {
  if (equalsLowerAt(head, start, end, 'sip/2.0')) return;
  if (end - start > 4 && equalsLowerAt(head, start, start + 4, 'sip/')) {
    throw new SipParseError(`unsupported SIP version ${head.slice(start, end)}`, start, 'version');
  }
  throw new SipParseError('bad SIP-Version', start);
}

/** Content-Length value (RFC 3261 §20.14: 1*DIGIT); throws on anything else. */
function contentLengthAt(head: string, vs: number, ve: number): number {
  if (ve <= vs) throw new SipParseError('empty Content-Length', vs);
  let n = 0;
  for (let i = vs; i < ve; i++) {
    const d = head.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new SipParseError('bad Content-Length', i);
    n = n * 10 + d;
    if (n > 0x7fffffff) throw new SipParseError('Content-Length too large', vs, 'limit');
  }
  return n;
}
