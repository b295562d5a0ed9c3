/** Typed errors of the stack core and its transactions. */

/** Base class of the errors of `@tsvoip/stack`'s transaction layer. */
export class StackError extends Error {
  override name = 'StackError';
}

/** A command named a transaction the stack does not hold (never created, or terminated). */
export class UnknownTransactionError extends StackError {
  override name = 'UnknownTransactionError';
  /** The transaction id given. */
  readonly transactionId: string;
  /** Creates an error for `transactionId`. */
  constructor(transactionId: string) {
    super(`no such transaction: ${transactionId}`);
    this.transactionId = transactionId;
  }
}

/** A command the stack cannot carry out as given (wrong message kind, wrong state, missing header). */
export class InvalidCommandError extends StackError {
  override name = 'InvalidCommandError';
  /** The transaction concerned, when there is one. */
  readonly transactionId?: string;
  /** Creates an error with a reason. */
  constructor(reason: string, transactionId?: string) {
    super(transactionId === undefined ? reason : `${reason} (transaction ${transactionId})`);
    if (transactionId !== undefined) this.transactionId = transactionId;
  }
}

/** A transaction timed out: Timer B or F on a client, Timer H on an INVITE server (RFC 3261 §17). */
export class TransactionTimeoutError extends StackError {
  override name = 'TransactionTimeoutError';
  /** The transaction that timed out. */
  readonly transactionId: string;
  /** The timer that fired: `B`, `F` or `H`. */
  readonly timer: 'B' | 'F' | 'H';
  /** Creates an error for `transactionId` timed out by `timer`. */
  constructor(transactionId: string, timer: 'B' | 'F' | 'H') {
    super(`transaction ${transactionId} timed out (Timer ${timer})`);
    this.transactionId = transactionId;
    this.timer = timer;
  }
}
