/** Errors of the REGISTER processing (the stores have their own, in `../store/errors.ts`). */

/** The registrar was configured with values that cannot work (min above max, empty domain list...). */
export class RegistrarConfigError extends Error {
  /** The option at fault. */
  readonly option: string;

  /** Creates the error naming the option at fault. */
  constructor(option: string, message: string) {
    super(`registrar option ${option}: ${message}`);
    this.name = 'RegistrarConfigError';
    this.option = option;
  }
}

/**
 * A REGISTER is answered with a final non-2xx response. Thrown inside the processing steps and turned
 * into the response by `Registrar.handleRegister`; never escapes it.
 */
export class RegisterRejection extends Error {
  /** The status code to answer with (400, 403, 404, 420, 423, 439, 500...). */
  readonly status: number;
  /** Reason phrase, or `undefined` for the default one of the status. */
  readonly reason: string | undefined;
  /** Extra headers of the response (Min-Expires, Unsupported, WWW-Authenticate...). */
  readonly headers: ReadonlyArray<readonly [string, string]>;

  /** Creates a rejection; `detail` goes into the message for logs only. */
  constructor(
    status: number,
    detail: string,
    reason?: string,
    headers: ReadonlyArray<readonly [string, string]> = [],
  ) {
    super(`REGISTER rejected with ${status}: ${detail}`);
    this.name = 'RegisterRejection';
    this.status = status;
    this.reason = reason;
    this.headers = headers;
  }
}
