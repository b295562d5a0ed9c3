/**
 * What went wrong while parsing or framing a SIP message.
 *
 * - `malformed`: the bytes do not follow the RFC 3261 §25 grammar.
 * - `version`: the SIP-Version is not `SIP/2.0` (a UAS answers 505, RFC 3261 §21.5.6).
 * - `limit`: a configured limit against hostile input was exceeded.
 * - `framing`: a stream could not be split into messages (RFC 3261 §18.3); the connection should close.
 */
export type SipParseErrorKind = 'malformed' | 'version' | 'limit' | 'framing';

/**
 * Thrown when a SIP message, header value, URI or byte stream cannot be parsed.
 * Carries the reason, the byte (or character) offset where the problem was found, and the
 * status code a UAS would answer a request with (400, 505, 513).
 */
export class SipParseError extends Error {
  /** Short machine-friendly description of the problem. */
  readonly reason: string;
  /** Offset of the offending octet in the input (message bytes, or characters of a header value). */
  readonly offset: number;
  /** Category of the failure. */
  readonly kind: SipParseErrorKind;
  /** The response status a UAS would send for a request failing this way. */
  readonly status: number;

  /** Creates an error; `status` defaults to 400 (505 for `version`, 513 for `limit`). */
  constructor(reason: string, offset: number, kind: SipParseErrorKind = 'malformed', status?: number) {
    super(`${reason} (at offset ${offset})`);
    this.name = 'SipParseError';
    this.reason = reason;
    this.offset = offset;
    this.kind = kind;
    this.status = status ?? (kind === 'version' ? 505 : kind === 'limit' ? 513 : 400);
  }
}
