/**
 * Typed errors of the user-agent API.
 * @module
 */

/** Base class of the user-agent errors. */
export class UserAgentError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The configuration given to `createUserAgent` is invalid; `path` names the offending key. */
export class UserAgentConfigError extends UserAgentError {
  /** The key path (`media.portMin`), or '' for the whole object. */
  readonly path: string;

  constructor(path: string, message: string) {
    super(`invalid user agent config${path === '' ? '' : ` at ${path}`}: ${message}`);
    this.path = path;
  }
}

/**
 * An outgoing call did not get answered: a 3xx-6xx final response, a local timeout (408), a
 * transport failure (503), or a CANCEL after an abort (487, with `aborted` true).
 */
export class CallFailedError extends UserAgentError {
  /** The final status code. */
  readonly status: number;
  /** Its reason phrase. */
  readonly reason: string;
  /** Contact targets of a 3xx redirection (RFC 3261 §8.1.3.4). */
  readonly contacts: readonly string[];
  /** True when the call was cancelled because the AbortSignal fired. */
  readonly aborted: boolean;

  constructor(
    status: number,
    reason: string,
    extra: { contacts?: readonly string[]; aborted?: boolean; cause?: unknown } = {},
  ) {
    super(`call failed: ${status} ${reason}`, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.status = status;
    this.reason = reason;
    this.contacts = extra.contacts ?? [];
    this.aborted = extra.aborted ?? false;
  }
}

/** A call or user-agent command was used in a state where it cannot act (hold on an ended call...). */
export class CallStateError extends UserAgentError {
  /** The command. */
  readonly command: string;
  /** The state it met. */
  readonly state: string;

  constructor(command: string, state: string) {
    super(`${command}: not possible in state ${state}`);
    this.command = command;
    this.state = state;
  }
}

/** A session modification (hold, resume) was refused by the peer. */
export class ModifyFailedError extends UserAgentError {
  /** The final status of the re-INVITE. */
  readonly status: number;

  constructor(command: string, status: number, reason: string) {
    super(`${command} failed: ${status} ${reason}`);
    this.status = status;
  }
}

/** REGISTER failed (wrong credentials, a 4xx-6xx, a timeout). */
export class RegistrationError extends UserAgentError {
  /** The final status (0 when the digest client gave up before sending). */
  readonly status: number;

  constructor(status: number, reason: string, options?: ErrorOptions) {
    super(`registration failed: ${status} ${reason}`, options);
    this.status = status;
  }
}

/** A transfer (REFER) was refused, or the referred call failed (the NOTIFY's final status). */
export class TransferFailedError extends UserAgentError {
  /** The REFER's status, or the final sipfrag status of the referred call. */
  readonly status: number;

  constructor(status: number, reason: string) {
    super(`transfer failed: ${status} ${reason}`);
    this.status = status;
  }
}
