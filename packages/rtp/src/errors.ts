/**
 * Typed errors of `@tsvoip/rtp`.
 * @module
 */

/** Base class of every error thrown by `@tsvoip/rtp`. */
export class RtpError extends Error {
  override name = 'RtpError';
}

/** Why an RTP packet was rejected by {@link parseRtpPacket}. */
export type RtpParseFailure =
  | 'short-buffer'
  | 'bad-version'
  | 'csrc-overflow'
  | 'bad-padding'
  | 'extension-overflow'
  | 'bad-extension-element';

/** A malformed RTP packet (RFC 3550 §5.1, §A.1) or RFC 8285 header extension. */
export class RtpParseError extends RtpError {
  override name = 'RtpParseError';
  /** Machine-readable reason. */
  readonly reason: RtpParseFailure;
  /** Byte offset in the input where the problem was found. */
  readonly offset: number;
  constructor(reason: RtpParseFailure, offset: number, message: string) {
    super(`${message} (at byte ${offset})`);
    this.reason = reason;
    this.offset = offset;
  }
}

/** Why an RTCP compound packet was rejected by {@link parseRtcp}. */
export type RtcpParseFailure =
  | 'short-buffer'
  | 'bad-version'
  | 'bad-first-packet'
  | 'bad-padding'
  | 'bad-length'
  | 'bad-packet';

/** A malformed RTCP compound packet (RFC 3550 §6, validity checks of §A.2). */
export class RtcpParseError extends RtpError {
  override name = 'RtcpParseError';
  /** Machine-readable reason. */
  readonly reason: RtcpParseFailure;
  /** Byte offset in the compound where the problem was found. */
  readonly offset: number;
  constructor(reason: RtcpParseFailure, offset: number, message: string) {
    super(`${message} (at byte ${offset})`);
    this.reason = reason;
    this.offset = offset;
  }
}

/** A value that cannot be encoded (field out of range, too many items, buffer too small). */
export class RtpEncodeError extends RtpError {
  override name = 'RtpEncodeError';
  /** The offending field, e.g. `payloadType` or `reports`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}
