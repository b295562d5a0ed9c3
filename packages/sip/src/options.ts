/** Limits and switches for {@link parseMessage} and the stream framer. */
export interface ParseOptions {
  /** Largest accepted message (start line + headers + body), in octets. Default 65536. */
  readonly maxMessageSize?: number;
  /** Most header lines (field rows) accepted. Default 256. */
  readonly maxHeaders?: number;
  /** Longest header line, folding included, in octets. Default 8192. */
  readonly maxHeaderLineLength?: number;
  /** Most parameters in one URI, Via, name-addr or auth element. Default 64. */
  readonly maxParams?: number;
  /** Most comma-separated elements in one list header line. Default 128. */
  readonly maxListElements?: number;
  /**
   * Parse and check the headers RFC 3261 makes mandatory to understand (request-URI, Via, From,
   * To, Call-ID, CSeq, Max-Forwards, Contact) before returning. Default true. When false only the
   * structure (start line, header lines, Content-Length) is checked and typed views may throw
   * {@link SipParseError} on first access.
   */
  readonly validate?: boolean;
  /**
   * The message came from a stream (TCP/TLS/WS): a missing Content-Length is an error
   * (RFC 3261 §18.3). Default false (datagram: the body runs to the end of the input).
   */
  readonly stream?: boolean;
}

/** {@link ParseOptions} with every field filled in. */
export interface ResolvedParseOptions {
  /** See {@link ParseOptions.maxMessageSize}. */
  readonly maxMessageSize: number;
  /** See {@link ParseOptions.maxHeaders}. */
  readonly maxHeaders: number;
  /** See {@link ParseOptions.maxHeaderLineLength}. */
  readonly maxHeaderLineLength: number;
  /** See {@link ParseOptions.maxParams}. */
  readonly maxParams: number;
  /** See {@link ParseOptions.maxListElements}. */
  readonly maxListElements: number;
  /** See {@link ParseOptions.validate}. */
  readonly validate: boolean;
  /** See {@link ParseOptions.stream}. */
  readonly stream: boolean;
}

/** The default limits: 64 KiB message, 256 headers, 8 KiB header line, 64 params, 128 list elements. */
export const DEFAULT_PARSE_OPTIONS: ResolvedParseOptions = Object.freeze({
  maxMessageSize: 65536,
  maxHeaders: 256,
  maxHeaderLineLength: 8192,
  maxParams: 64,
  maxListElements: 128,
  validate: true,
  stream: false,
});

let lastGiven: ParseOptions | undefined;
let lastResolved: ResolvedParseOptions = DEFAULT_PARSE_OPTIONS;

/**
 * Fills unspecified options with {@link DEFAULT_PARSE_OPTIONS}. A caller usually passes the same
 * options object for every message: the last result is reused while every field still matches.
 */
export function resolveParseOptions(options: ParseOptions | undefined): ResolvedParseOptions {
  if (options === undefined) return DEFAULT_PARSE_OPTIONS;
  const d = DEFAULT_PARSE_OPTIONS;
  const r = lastResolved;
  if (
    options === lastGiven &&
    (options.maxMessageSize ?? d.maxMessageSize) === r.maxMessageSize &&
    (options.maxHeaders ?? d.maxHeaders) === r.maxHeaders &&
    (options.maxHeaderLineLength ?? d.maxHeaderLineLength) === r.maxHeaderLineLength &&
    (options.maxParams ?? d.maxParams) === r.maxParams &&
    (options.maxListElements ?? d.maxListElements) === r.maxListElements &&
    (options.validate ?? d.validate) === r.validate &&
    (options.stream ?? d.stream) === r.stream
  ) {
    return r;
  }
  const resolved: ResolvedParseOptions = Object.freeze({
    maxMessageSize: options.maxMessageSize ?? d.maxMessageSize,
    maxHeaders: options.maxHeaders ?? d.maxHeaders,
    maxHeaderLineLength: options.maxHeaderLineLength ?? d.maxHeaderLineLength,
    maxParams: options.maxParams ?? d.maxParams,
    maxListElements: options.maxListElements ?? d.maxListElements,
    validate: options.validate ?? d.validate,
    stream: options.stream ?? d.stream,
  });
  lastGiven = options;
  lastResolved = resolved;
  return resolved;
}
