/**
 * Recovery of the headers of a request that failed to parse, so it can be answered
 * (RFC 3261 §8.2 / RFC 4475 §3.1.2: 400, 505, 513 with the request's Via, From, To, Call-ID, CSeq).
 * Only for error paths: it copies the header section and re-parses it leniently.
 */
import { parseMessage, type SipMessage } from '@tsvoip/sip';

/** A request recovered for answering: its method as written and a message carrying its headers. */
export interface RecoveredRequest {
  /** The method token of the original request line. */
  readonly method: string;
  /** A message with the original header lines (Content-Length dropped, Request-URI replaced). */
  readonly message: SipMessage;
}

const NEEDED = ['Via', 'From', 'To', 'Call-ID', 'CSeq'] as const;

/**
 * Rebuilds a request from the header section of `bytes`: a neutral request line with the original
 * method, the header lines except Content-Length, no body. Returns undefined when the bytes are a
 * response, when the method is not a token, or when Via, From, To, Call-ID or CSeq is missing or
 * cannot be parsed (then no response can be addressed and the request is dropped).
 */
export function recoverRequest(bytes: Uint8Array): RecoveredRequest | undefined {
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let start = 0;
  while (text.startsWith('\r\n', start)) start += 2;
  const headEnd = text.indexOf('\r\n\r\n', start);
  text = text.slice(start, headEnd < 0 ? text.length : headEnd);
  const lines = text.split('\r\n');
  const requestLine = lines[0];
  const sp = requestLine.indexOf(' ');
  if (sp <= 0 || requestLine.startsWith('SIP/')) return undefined;
  const method = requestLine.slice(0, sp);
  for (let i = 0; i < method.length; i++) {
    const c = method.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 58) return undefined;
  }
  const kept: string[] = [`${method} sip:recovered.invalid SIP/2.0`];
  let skipping = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.length === 0) continue;
    const c = line.charCodeAt(0);
    if (c === 32 || c === 9) {
      if (!skipping) kept.push(line);
      continue;
    }
    const colon = line.indexOf(':');
    const name = (colon < 0 ? line : line.slice(0, colon)).trim().toLowerCase();
    skipping = name === 'content-length' || name === 'l' || colon < 0;
    if (!skipping) kept.push(line);
  }
  let message: SipMessage;
  try {
    message = parseMessage(Buffer.from(`${kept.join('\r\n')}\r\n\r\n`, 'latin1'), { validate: false });
    for (const name of NEEDED) if (!message.hasHeader(name)) return undefined;
    if (message.via.length === 0 || !message.from || !message.to || !message.callId || !message.cseq)
      return undefined;
  } catch {
    // The headers needed to address a response are themselves broken: nothing to answer.
    return undefined;
  }
  return { method, message };
}
