/** Typed errors of the dialog layer and the usages. */

/** Base class of the dialog-layer errors of `@tsvoip/stack`. */
export class DialogError extends Error {
  override name = 'DialogError';
  /** The dialog concerned (`callId;local;remote`), when there is one. */
  readonly dialogId?: string;
  /** Creates an error with a reason and, optionally, the dialog it concerns. */
  constructor(reason: string, dialogId?: string) {
    super(dialogId === undefined ? reason : `${reason} (dialog ${dialogId})`);
    if (dialogId !== undefined) this.dialogId = dialogId;
  }
}

/** A usage method was called in a state that does not allow it (e.g. `accept()` twice). */
export class UsageStateError extends DialogError {
  override name = 'UsageStateError';
  /** The state the usage was in. */
  readonly state: string;
  /** Creates an error naming the operation and the state. */
  constructor(operation: string, state: string, dialogId?: string) {
    super(`${operation} not allowed in state ${state}`, dialogId);
    this.state = state;
  }
}

/** An offer or answer was given when the offer/answer state does not allow it (RFC 3264 §4). */
export class OfferAnswerError extends DialogError {
  override name = 'OfferAnswerError';
}
