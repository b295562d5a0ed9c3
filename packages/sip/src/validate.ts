/**
 * Eager checks run by parseMessage (option `validate`, default on). The headers RFC 3261 makes
 * mandatory to understand are parsed through the message's typed views, so the work is cached and
 * not repeated when the layers above read them: Request-URI, Via, From, To, Call-ID, CSeq,
 * Max-Forwards, Contact (SIP-Version and Content-Length are checked by the index pass).
 * Missing headers are not an error here: the transaction and application layers answer those
 * (RFC 4475 §3.3.1 insuf.dat must parse).
 */
import { SipParseError } from './errors.js';
import type { SipMessage } from './message.js';

/** Runs the eager checks on a parsed message; throws {@link SipParseError}. */
export function validateMessage(m: SipMessage): void {
  if (m.isRequest) {
    let uri: ReturnType<typeof requestUriOf>;
    try {
      uri = requestUriOf(m);
    } catch (e) {
      if (e instanceof SipParseError) {
        throw new SipParseError(`Request-URI: ${e.reason}`, e.offset, e.kind, e.status);
      }
      throw e;
    }
    // RFC 3261 §19.1.1 Table 1: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
    if (uri !== undefined && uri.kind === 'sip' && uri.headers.length > 0) {
      throw new SipParseError('Request-URI: header component not allowed', m._head.indexOf('?'));
    }
  }
  m.via;
  m.from;
  m.to;
  m.callId;
  const cseq = m.cseq;
  m.maxForwards;
  m.contact;
  // RFC 3261 §8.2 / RFC 4475 §3.1.2.17: the CSeq method must match the request method.
  if (m.isRequest && cseq !== undefined && cseq.method !== m.method) {
    const k = m._find(5, '', 0);
    throw new SipParseError('CSeq method does not match the request method', m._valueOffset(k));
  }
}

function requestUriOf(m: SipMessage) {
  return m.parsedRequestUri;
}
