/** Typed errors of the proxy package. */

/** Base class of the errors thrown by `@tsvoip/proxy`. */
export class ProxyError extends Error {
  override readonly name: string = 'ProxyError';
}

/** A command named a routing context or a look-up the core does not know (or no longer waits for). */
export class UnknownContextError extends ProxyError {
  override readonly name = 'UnknownContextError';
  /** The id that was not found. */
  readonly id: number;
  /** Builds the error for `id`. */
  constructor(id: number) {
    super(`no pending routing context or look-up ${id}`);
    this.id = id;
  }
}

/** A routing function returned something that is neither targets nor a response. */
export class InvalidRouteResultError extends ProxyError {
  override readonly name = 'InvalidRouteResultError';
  /** Builds the error with a short description of the problem. */
  constructor(message: string) {
    super(message);
  }
}

/** A flow token failed to decode or its integrity check (RFC 5626 §5.2). */
export class FlowTokenError extends ProxyError {
  override readonly name = 'FlowTokenError';
}

/** Internal: a routing context's request was read after the context completed and released it. */
export class ContextReleasedError extends ProxyError {
  override readonly name = 'ContextReleasedError';
  /** Builds the error for context `id`. */
  constructor(id: number) {
    super(`routing context ${id} already completed`);
  }
}
