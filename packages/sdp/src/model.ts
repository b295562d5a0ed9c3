/**
 * The SDP data model. Lines are kept exactly as they were received (type letter and the raw text after
 * `=`), in order, so that serializing a parsed description reproduces it byte for byte. Typed views
 * (origin, connection, rtpmap, candidate, …) are computed from these lines by accessor functions and
 * never rewrite them.
 */

/** One `<type>=<value>` line. */
export interface SdpLine {
  /** The type letter (RFC 8866 §5), e.g. `v`, `o`, `a`, `m`. Unknown letters are kept as is. */
  type: string;
  /** Everything after the `=`, without the line ending, exactly as received. */
  value: string;
  /** 1-based line number in the parsed text; absent for lines built in code. */
  lineNumber?: number;
}

/** One media description: its `m=` line first, then the lines up to the next `m=` line. */
export interface MediaDescription {
  /** `lines[0]` is the `m=` line. */
  lines: SdpLine[];
}

/** A session description (RFC 8866 §5): the session-level lines, then the media descriptions. */
export interface SessionDescription {
  /** Session-level lines, starting with `v=`, `o=`, `s=`, in received order. */
  session: SdpLine[];
  /** Media descriptions in order. */
  media: MediaDescription[];
}

/** Builds a line. */
export function sdpLine(type: string, value: string): SdpLine {
  return { type, value };
}

/** Builds an attribute line: `a=name` (property) or `a=name:value`. */
export function attributeLine(name: string, value?: string): SdpLine {
  return { type: 'a', value: value === undefined ? name : `${name}:${value}` };
}
