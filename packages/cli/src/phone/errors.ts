/** Errors of `tsvoip phone`. */

/** A phone command that does not fit the phone's state (`hold` without a call, a second `dial`). */
export class PhoneStateError extends Error {
  /** The command refused. */
  readonly command: string;
  /** Creates the error: `hold: no answered call`. */
  constructor(command: string, why: string) {
    super(`${command}: ${why}`);
    this.name = 'PhoneStateError';
    this.command = command;
  }
}

/** A scripted call that did not happen (rejected, timed out, no incoming call): exit code 1. */
export class PhoneCallError extends Error {
  /** The SIP status when the far end gave one. */
  readonly status: number | undefined;
  /** Creates the error with a one-line message. */
  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PhoneCallError';
    this.status = status;
  }
}
