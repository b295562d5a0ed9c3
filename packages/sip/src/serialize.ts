/**
 * serializeMessage: the wire form of a message. Runs of original bytes (start line, untouched
 * headers, body) are copied as received; only added or rewritten lines are encoded. An unmodified
 * parsed message comes out byte for byte.
 *
 * Two paths with the same output: when every added text is ASCII, the message is assembled as
 * one latin1 string (slices of the original text, which maps octets 1:1) and encoded once;
 * otherwise byte ranges are copied into one preallocated buffer and added text is UTF-8 encoded.
 */
import { asBuffer } from './bytes.js';
import { F, type SipMessage } from './message.js';
import { type Latin1Writable, reserve, reservedAt, reservedView } from './out-buffer.js';

/**
 * The wire form of a message (new bytes, a plain Uint8Array; the message is not changed). Small
 * outputs are views of a shared slab: keep them long only after copying (see out-buffer.ts).
 */
export function serializeMessage(msg: SipMessage): Uint8Array {
  if (msg._pristine) {
    const src = msg._src;
    const n = src.length;
    const out = reserve(n);
    out.set(src, reservedAt());
    return reservedView(out, n);
  }
  return msg._plain ? viaLatin1(msg) : viaBytes(msg);
}

function viaLatin1(msg: SipMessage): Uint8Array {
  const head = msg._head;
  const idx = msg._idx;
  const added = msg._added;
  const n = idx.length;
  const body = msg._body;
  let s = msg._startLine === null ? '' : `${msg._startLine}\r\n`;
  let runStart = 0;
  let runEnd = msg._startLine === null ? msg._startEnd : 0;
  for (let b = 0; b < n; b += F) {
    const ns = idx[b + 1];
    if (ns >= 0) {
      if (ns !== runEnd) {
        if (runEnd > runStart) s += head.slice(runStart, runEnd);
        runStart = ns;
      }
      runEnd = idx[b + 5];
    } else {
      if (runEnd > runStart) s += head.slice(runStart, runEnd);
      runStart = runEnd = 0;
      const h = added[-ns - 1];
      s += `${h.name}: ${h.value}\r\n`;
    }
  }
  const term = msg._termStart;
  if (term >= 0 && runEnd === term && runEnd > runStart) {
    // The empty line (and the original body) continue the last run. A long tail of original
    // octets (a proxied request: headers after the last change, and the body) is copied
    // directly rather than through the string.
    const tailEnd = body === null ? msg._bodyEnd : term + 2;
    if (tailEnd - runStart > LONG_TAIL) {
      const tail = tailEnd - runStart;
      const bodyLen = body === null ? 0 : body.length;
      const total = s.length + tail + bodyLen;
      const out = reserve(total);
      const o = reservedAt();
      out.latin1Write(s, o, s.length);
      msg._src.copy(out, o + s.length, runStart, tailEnd);
      if (body !== null && bodyLen > 0) out.set(body, o + s.length + tail);
      return reservedView(out, total);
    }
    s += head.slice(runStart, tailEnd);
  } else {
    if (runEnd > runStart) s += head.slice(runStart, runEnd);
    s += '\r\n';
    if (body === null && msg._bodyEnd > msg._bodyStart) s += head.slice(msg._bodyStart, msg._bodyEnd);
  }
  const bodyLen = body === null ? 0 : body.length;
  const total = s.length + bodyLen;
  const out: Latin1Writable = reserve(total);
  const o = reservedAt();
  // Buffer#latin1Write is what Buffer#write(s, 'latin1') ends in, without the argument handling.
  out.latin1Write(s, o, s.length);
  if (body !== null && bodyLen > 0) out.set(body, o + s.length);
  return reservedView(out, total);
}

/** Tail runs longer than this are copied with Buffer#copy (its call costs more than short strings). */
const LONG_TAIL = 256;

function viaBytes(msg: SipMessage): Uint8Array {
  const src = msg._src;
  const idx = msg._idx;
  const added = msg._added;
  const n = idx.length;
  const startLine = msg._startLine;
  const body = msg._body;

  // Pass 1: size.
  let total = startLine === null ? msg._startEnd : Buffer.byteLength(startLine, 'utf8') + 2;
  for (let b = 0; b < n; b += F) {
    const ns = idx[b + 1];
    if (ns >= 0) total += idx[b + 5] - ns;
    else {
      const h = added[-ns - 1];
      total += Buffer.byteLength(h.name, 'utf8') + Buffer.byteLength(h.value, 'utf8') + 4;
    }
  }
  const bodyLen = body !== null ? body.length : Math.max(0, msg._bodyEnd - msg._bodyStart);
  total += 2 + bodyLen;

  // Pass 2: copy runs of original bytes, encode the rest.
  const out = reserve(total);
  const start = reservedAt();
  let off = start;
  let runStart = 0;
  let runEnd = 0;
  if (startLine === null) runEnd = msg._startEnd;
  else {
    off += out.write(startLine, off, 'utf8');
    off = crlf(out, off);
  }
  for (let b = 0; b < n; b += F) {
    const ns = idx[b + 1];
    if (ns >= 0) {
      if (ns !== runEnd) {
        if (runEnd > runStart) off += src.copy(out, off, runStart, runEnd);
        runStart = ns;
      }
      runEnd = idx[b + 5];
    } else {
      if (runEnd > runStart) off += src.copy(out, off, runStart, runEnd);
      runStart = runEnd = 0;
      const h = added[-ns - 1];
      off += out.write(h.name, off, 'utf8');
      out[off++] = 58;
      out[off++] = 32;
      off += out.write(h.value, off, 'utf8');
      off = crlf(out, off);
    }
  }
  if (runEnd > runStart) off += src.copy(out, off, runStart, runEnd);
  off = crlf(out, off);
  if (body !== null) out.set(asBuffer(body), off);
  else if (bodyLen > 0) src.copy(out, off, msg._bodyStart, msg._bodyEnd);
  return reservedView(out, total);
}

function crlf(out: Buffer, off: number): number {
  out[off] = 13;
  out[off + 1] = 10;
  return off + 2;
}
