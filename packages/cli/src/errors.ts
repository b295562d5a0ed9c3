/** Errors of the tsvoip CLI. */

/** A bad command line (bad option value, missing option): printed as one line, exit code 2. */
export class CliUsageError extends Error {
  /** Exit code to use. */
  readonly exitCode = 2;
  /** Creates the error with a one-line message. */
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
