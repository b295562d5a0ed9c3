/** Base class of every error raised by digest authentication; `code` tells them apart. */
export class DigestAuthError extends Error {
  override readonly name: string = 'DigestAuthError';
}

/**
 * A header value that does not follow the auth-param syntax (RFC 3261 §25.1, RFC 7235 §2.1), or a Digest
 * challenge / credentials value missing a required parameter.
 */
export class AuthHeaderParseError extends DigestAuthError {
  override readonly name = 'AuthHeaderParseError';
  /** The offending header value. */
  readonly input: string;
  /** Character offset in `input` where parsing failed (`-1` when the problem is a missing parameter). */
  readonly offset: number;

  constructor(message: string, input: string, offset: number) {
    super(offset >= 0 ? `${message} at offset ${offset}` : message);
    this.input = input;
    this.offset = offset;
  }
}

/** A value that cannot be written in the auth-param syntax (for example CR or LF inside a quoted-string). */
export class AuthParamFormatError extends DigestAuthError {
  override readonly name = 'AuthParamFormatError';
  /** The parameter whose value could not be written. */
  readonly param: string;

  constructor(message: string, param: string) {
    super(message);
    this.param = param;
  }
}

/** Invalid options given to a digest client or server (a short secret, -sess without qop, …). */
export class DigestConfigError extends DigestAuthError {
  override readonly name = 'DigestConfigError';
}

/** Why a client could not answer a challenge. */
export type DigestClientFailure =
  /** No Digest challenge with an algorithm and qop this client supports. */
  | 'unsupported-challenge'
  /** No credentials are known for the challenged realm. */
  | 'missing-credentials'
  /** The server rejected credentials computed for its own fresh nonce (stale=false): wrong username/password. */
  | 'rejected'
  /** The server kept answering stale=true to fresh answers. */
  | 'stale-loop';

/** A client-side failure to authenticate, carrying what the caller needs to report it. */
export class DigestClientError extends DigestAuthError {
  override readonly name = 'DigestClientError';
  /** Machine-readable reason. */
  readonly code: DigestClientFailure;
  /** The realm concerned, when there is one. */
  readonly realm: string | undefined;
  /** Status code of the challenging response (401 or 407). */
  readonly statusCode: number;

  constructor(code: DigestClientFailure, message: string, statusCode: number, realm?: string) {
    super(message);
    this.code = code;
    this.realm = realm;
    this.statusCode = statusCode;
  }
}
