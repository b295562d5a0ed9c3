/**
 * Thrown when SDP text (or one of its lines or attribute values) does not follow RFC 8866 or the
 * grammar of the attribute's RFC, or when a parse limit is exceeded.
 */
export class SdpParseError extends Error {
  /** 1-based line number in the parsed text, or 0 when the value was parsed on its own. */
  readonly line: number;
  /** What is wrong, without the line number. */
  readonly reason: string;

  /**
   * @param reason what is wrong
   * @param line 1-based line number, 0 when not known
   */
  constructor(reason: string, line = 0) {
    super(line > 0 ? `SDP line ${line}: ${reason}` : `SDP: ${reason}`);
    this.name = 'SdpParseError';
    this.reason = reason;
    this.line = line;
  }

  /** The same error, located at `line` (used when a value parser is called on a parsed line). */
  at(line: number): SdpParseError {
    return line > 0 && this.line === 0 ? new SdpParseError(this.reason, line) : this;
  }
}

/**
 * Thrown by offer/answer when the descriptions cannot be negotiated: an answer with a different
 * number of m-lines than its offer (RFC 3264 §6), an answer that shares no format with an accepted
 * offered stream, or capabilities that cannot form an offer.
 */
export class OfferAnswerError extends Error {
  /** Index of the m-line concerned, or -1 for the whole session. */
  readonly mediaIndex: number;

  /**
   * @param message what is wrong
   * @param mediaIndex the m-line concerned, -1 for the session
   */
  constructor(message: string, mediaIndex = -1) {
    super(message);
    this.name = 'OfferAnswerError';
    this.mediaIndex = mediaIndex;
  }
}
