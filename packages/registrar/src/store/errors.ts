/**
 * Base class of every error thrown by the registrar stores, so a caller can catch them as a group.
 */
export class RegistrarStoreError extends Error {
  /** Creates an error with a message; subclasses set `name`. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegistrarStoreError';
  }
}

/**
 * RFC 3261 §10.3 step 7: a REGISTER carried the same Call-ID as the stored binding and a CSeq that is
 * not higher, so it is a retransmission or arrived out of order. The update is aborted (nothing is
 * written) and the registrar answers with {@link BindingOutOfOrderError.status} (500).
 */
export class BindingOutOfOrderError extends RegistrarStoreError {
  /** The response status the registrar sends: 500 (Server Internal Error), RFC 3261 §10.3 step 7. */
  readonly status = 500;
  /** Address-of-record of the binding. */
  readonly aor: string;
  /** The binding key that was refused (see `bindingKeyOf`). */
  readonly key: string;
  /** The Call-ID shared by the request and the stored binding. */
  readonly callId: string;
  /** CSeq stored with the binding. */
  readonly storedCseq: number;
  /** CSeq of the refused request. */
  readonly requestCseq: number;

  /** Creates the error for one binding. */
  constructor(aor: string, key: string, callId: string, storedCseq: number, requestCseq: number) {
    super(
      `REGISTER out of order for ${aor} (${key}): Call-ID ${callId} CSeq ${requestCseq} <= stored ${storedCseq}`,
    );
    this.name = 'BindingOutOfOrderError';
    this.aor = aor;
    this.key = key;
    this.callId = callId;
    this.storedCseq = storedCseq;
    this.requestCseq = requestCseq;
  }
}

/** A binding handed to a store breaks a rule of its fields (q-value range, CSeq range, ...). */
export class InvalidBindingError extends RegistrarStoreError {
  /** The field at fault. */
  readonly field: string;

  /** Creates the error naming the field at fault. */
  constructor(field: string, message: string) {
    super(`invalid binding ${field}: ${message}`);
    this.name = 'InvalidBindingError';
    this.field = field;
  }
}

/** `UserStore.add` was given a username that already exists. */
export class UserExistsError extends RegistrarStoreError {
  /** The username that already exists. */
  readonly username: string;

  /** Creates the error for one username. */
  constructor(username: string) {
    super(`user ${username} already exists`);
    this.name = 'UserExistsError';
    this.username = username;
  }
}

/** A `UserStore` operation named a user that does not exist. */
export class UserNotFoundError extends RegistrarStoreError {
  /** The username that was not found. */
  readonly username: string;

  /** Creates the error for one username. */
  constructor(username: string) {
    super(`user ${username} not found`);
    this.name = 'UserNotFoundError';
    this.username = username;
  }
}

/** A user record handed to a store breaks a rule (empty username, unknown algorithm, ...). */
export class InvalidUserError extends RegistrarStoreError {
  /** The field at fault. */
  readonly field: string;

  /** Creates the error naming the field at fault. */
  constructor(field: string, message: string) {
    super(`invalid user ${field}: ${message}`);
    this.name = 'InvalidUserError';
    this.field = field;
  }
}

/** The database schema could not be brought up to date, or disagrees with the migrations in the code. */
export class MigrationError extends RegistrarStoreError {
  /** Migration version at fault, when one is. */
  readonly version: number | undefined;

  /** Creates the error, optionally naming the migration at fault and the underlying cause. */
  constructor(message: string, version?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
    this.version = version;
  }
}

/** A row read from the database does not have the shape the store wrote (a corrupt or foreign table). */
export class StoreDataError extends RegistrarStoreError {
  /** The column at fault. */
  readonly column: string;

  /** Creates the error naming the column at fault. */
  constructor(column: string, message: string) {
    super(`unexpected value in column ${column}: ${message}`);
    this.name = 'StoreDataError';
    this.column = column;
  }
}
