/**
 * Base class of every error thrown by the SRTP/SRTCP layer. Catch this to drop any packet that
 * could not be protected or unprotected.
 */
export class SrtpError extends Error {
  /** SSRC of the packet concerned, or -1 when it could not be read. */
  readonly ssrc: number;

  /**
   * @param message what went wrong
   * @param ssrc SSRC of the packet concerned, -1 when unknown
   */
  constructor(message: string, ssrc = -1) {
    super(message);
    this.name = 'SrtpError';
    this.ssrc = ssrc;
  }
}

/**
 * The authentication tag of an SRTP/SRTCP packet did not verify (RFC 3711 §3.3 step 5,
 * RFC 7714 §8.2): the packet was forged, corrupted, keyed differently, or its rollover counter was
 * guessed wrong after a long loss. The packet must be dropped.
 */
export class SrtpAuthError extends SrtpError {
  /** `'rtp'` for SRTP, `'rtcp'` for SRTCP. */
  readonly kind: 'rtp' | 'rtcp';

  /**
   * @param kind which protocol the packet belongs to
   * @param ssrc SSRC read from the packet
   */
  constructor(kind: 'rtp' | 'rtcp', ssrc: number) {
    super(`${kind === 'rtp' ? 'SRTP' : 'SRTCP'} authentication failed (ssrc ${ssrc >>> 0})`, ssrc);
    this.name = 'SrtpAuthError';
    this.kind = kind;
  }
}

/**
 * The packet index was already received, or lies behind the replay window (RFC 3711 §3.3.2).
 * The packet must be dropped.
 */
export class SrtpReplayError extends SrtpError {
  /** `'rtp'` for SRTP, `'rtcp'` for SRTCP. */
  readonly kind: 'rtp' | 'rtcp';
  /** The packet index (48-bit SRTP index, or 31-bit SRTCP index). */
  readonly index: number;
  /** `'duplicate'`: seen before; `'too-old'`: behind the window, cannot be checked. */
  readonly reason: 'duplicate' | 'too-old';

  /**
   * @param kind which protocol the packet belongs to
   * @param ssrc SSRC read from the packet
   * @param index the packet index
   * @param reason duplicate or too old
   */
  constructor(kind: 'rtp' | 'rtcp', ssrc: number, index: number, reason: 'duplicate' | 'too-old') {
    super(`${kind === 'rtp' ? 'SRTP' : 'SRTCP'} replay (${reason}) ssrc ${ssrc >>> 0} index ${index}`, ssrc);
    this.name = 'SrtpReplayError';
    this.kind = kind;
    this.index = index;
    this.reason = reason;
  }
}

/**
 * The bytes are not a well-formed RTP/RTCP packet (or SRTP/SRTCP packet): too short, wrong version,
 * header longer than the packet.
 */
export class SrtpPacketError extends SrtpError {
  /**
   * @param message what is malformed
   * @param ssrc SSRC when it could be read, -1 otherwise
   */
  constructor(message: string, ssrc = -1) {
    super(message, ssrc);
    this.name = 'SrtpPacketError';
  }
}

/**
 * Invalid configuration: unknown profile, wrong master key or salt length, bad replay window size.
 */
export class SrtpConfigError extends SrtpError {
  /**
   * @param message what is wrong with the configuration
   */
  constructor(message: string) {
    super(message);
    this.name = 'SrtpConfigError';
  }
}
