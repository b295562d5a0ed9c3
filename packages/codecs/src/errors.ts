/** What went wrong, so a caller can branch on it without parsing messages. */
export type CodecErrorCode =
  | 'unknown-codec'
  | 'invalid-option'
  | 'invalid-frame'
  | 'invalid-payload'
  | 'destroyed'
  | 'wasm';

/** The one error class of `@tsvoip/codecs`: bad options, frames of the wrong size, malformed payloads. */
export class CodecError extends Error {
  override readonly name = 'CodecError';
  /** Machine-readable reason. */
  readonly code: CodecErrorCode;
  /** The codec concerned, when there is one (`'PCMU'`, `'opus'`, `'telephone-event'` …). */
  readonly codec: string | undefined;

  constructor(code: CodecErrorCode, message: string, codec?: string) {
    super(message);
    this.code = code;
    this.codec = codec;
  }
}
