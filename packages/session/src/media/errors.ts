/**
 * Typed errors of the media session and its Node driver.
 * @module
 */

/** Base class of every media error thrown by `@tsvoip/session`. */
export class MediaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The negotiated media description cannot configure a session (rejected m-line, no usable codec, bad key). */
export class MediaConfigError extends MediaError {
  /** The configuration field at fault, e.g. `codecs` or `crypto`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/** A command the session cannot carry out in its state (e.g. after `stop`, or an invalid DTMF digit). */
export class MediaStateError extends MediaError {
  /** The command that failed. */
  readonly command: string;

  constructor(command: string, message: string) {
    super(`${command}: ${message}`);
    this.command = command;
  }
}

/** No free RTP/RTCP port pair is left in the configured range. */
export class PortRangeExhaustedError extends MediaError {
  /** Lowest port of the range. */
  readonly min: number;
  /** Highest port of the range. */
  readonly max: number;

  constructor(min: number, max: number, message?: string) {
    super(message ?? `no free RTP port pair left in ${min}-${max}`);
    this.min = min;
    this.max = max;
  }
}
