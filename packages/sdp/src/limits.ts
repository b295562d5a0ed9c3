/** Limits applied by {@link parseSdp}. Exceeding one throws `SdpParseError`. */
export interface SdpLimits {
  /** Maximum size of the description in characters (UTF-16 code units of the decoded text). */
  readonly maxBytes: number;
  /** Maximum number of lines. */
  readonly maxLines: number;
  /** Maximum length of one line, in characters. */
  readonly maxLineLength: number;
  /** Maximum number of media sections (m-lines). */
  readonly maxMediaSections: number;
}

/**
 * Default limits: generous for real offers (a WebRTC offer with bundled audio+video and many
 * candidates is a few kilobytes) while bounding the work an attacker can cause.
 */
export const DEFAULT_SDP_LIMITS: SdpLimits = Object.freeze({
  maxBytes: 65_536,
  maxLines: 2_048,
  maxLineLength: 4_096,
  maxMediaSections: 64,
});
