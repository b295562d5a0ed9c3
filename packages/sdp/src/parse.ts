import { SdpParseError } from './errors.js';
import { DEFAULT_SDP_LIMITS, type SdpLimits } from './limits.js';
import { parseBandwidth } from './lines/bandwidth.js';
import { parseConnection } from './lines/connection.js';
import { parseEncryptionKey } from './lines/encryption-key.js';
import { parseMediaLine } from './lines/media-line.js';
import { parseOrigin } from './lines/origin.js';
import { parseRepeatTimes, parseTimeZones, parseTiming } from './lines/timing.js';
import type { MediaDescription, SdpLine, SessionDescription } from './model.js';
import { isToken } from './tokens.js';

/** Options of {@link parseSdp}. */
export interface ParseSdpOptions {
  /** Limits; missing fields take {@link DEFAULT_SDP_LIMITS}. */
  limits?: Partial<SdpLimits>;
}

// RFC 8866 §5: lines that may only appear at session level.
const SESSION_ONLY = new Set(['v', 'o', 's', 'u', 'e', 'p', 't', 'r', 'z']);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses an SDP session description (RFC 8866).
 *
 * - Every line is kept as received (type letter and raw value), in order: serializing the result with
 *   `serializeSdp` gives back the input byte for byte when the input uses CRLF line endings and ends
 *   with one. LF-only (or mixed) line endings and a missing final line ending are accepted; the
 *   serializer then writes CRLF. Empty lines at the very end are ignored.
 * - Unknown line types and unknown attributes are kept untouched.
 * - Checked: `v=0` first, then `o=` and `s=`; the syntax of `o c b t r z k m` lines and of attribute
 *   names; session-only lines (`v o s u e p t r z`) inside a media description; the limits.
 *   The order of the other session-level lines is not enforced, and a missing `t=` is tolerated.
 *   Attribute values are checked only when read through their typed accessor.
 * - Bytes are decoded as UTF-8 (RFC 8866 §5: the default charset); invalid UTF-8 is an error.
 *
 * @throws SdpParseError with the 1-based line number and the reason.
 */
export function parseSdp(input: string | Uint8Array, options: ParseSdpOptions = {}): SessionDescription {
  const limits: SdpLimits = { ...DEFAULT_SDP_LIMITS, ...options.limits };
  let text: string;
  if (typeof input === 'string') {
    if (input.length > limits.maxBytes) {
      throw new SdpParseError(`description is ${input.length} characters, limit ${limits.maxBytes}`);
    }
    text = input;
  } else {
    if (input.byteLength > limits.maxBytes) {
      throw new SdpParseError(`description is ${input.byteLength} bytes, limit ${limits.maxBytes}`);
    }
    try {
      text = utf8.decode(input);
    } catch {
      throw new SdpParseError('description is not valid UTF-8');
    }
  }

  const raw = splitLines(text, limits);
  if (raw.length === 0) throw new SdpParseError('description is empty', 1);

  const sd: SessionDescription = { session: [], media: [] };
  let current: MediaDescription | undefined;
  for (let i = 0; i < raw.length; i++) {
    const lineNumber = i + 1;
    const l = raw[i];
    if (l.length > limits.maxLineLength) {
      throw new SdpParseError(`line is ${l.length} characters, limit ${limits.maxLineLength}`, lineNumber);
    }
    if (l.length < 2 || l.charCodeAt(1) !== 0x3d) {
      throw new SdpParseError(l.length === 0 ? 'empty line' : 'line is not "<type>=<value>"', lineNumber);
    }
    const type = l.charAt(0);
    const c = type.charCodeAt(0);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a))) {
      throw new SdpParseError(`line type "${type}" is not a letter`, lineNumber);
    }
    const line: SdpLine = { type, value: l.slice(2), lineNumber };
    try {
      checkLine(line, i, current !== undefined);
    } catch (e) {
      throw e instanceof SdpParseError ? e.at(lineNumber) : e;
    }
    if (type === 'm') {
      if (sd.media.length >= limits.maxMediaSections) {
        throw new SdpParseError(`more than ${limits.maxMediaSections} media descriptions`, lineNumber);
      }
      current = { lines: [line] };
      sd.media.push(current);
    } else if (current) {
      current.lines.push(line);
    } else {
      sd.session.push(line);
    }
  }
  return sd;
}

function splitLines(text: string, limits: SdpLimits): string[] {
  const out: string[] = [];
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    let stop = end;
    if (stop > start && text.charCodeAt(stop - 1) === 0x0d) stop--;
    const l = text.slice(start, stop);
    if (out.length >= limits.maxLines) throw new SdpParseError(`more than ${limits.maxLines} lines`);
    out.push(l);
    start = end + 1;
  }
  // Tolerate empty lines at the very end only.
  while (out.length > 0 && out[out.length - 1].length === 0) out.pop();
  for (let i = 0; i < out.length; i++) {
    const l = out[i];
    for (let j = 0; j < l.length; j++) {
      const c = l.charCodeAt(j);
      // RFC 8866 §9: text fields exclude NUL, CR and LF.
      if (c === 0 || c === 0x0d) {
        throw new SdpParseError(c === 0 ? 'NUL character' : 'CR not followed by LF', i + 1);
      }
    }
  }
  return out;
}

function checkLine(line: SdpLine, index: number, inMedia: boolean): void {
  const { type, value } = line;
  // RFC 8866 §5: v=, o=, s= come first, in that order, once.
  const expected = index === 0 ? 'v' : index === 1 ? 'o' : index === 2 ? 's' : undefined;
  if (expected !== undefined && type !== expected) {
    throw new SdpParseError(`expected "${expected}=" line, got "${type}="`);
  }
  if (expected === undefined && (type === 'v' || type === 'o' || type === 's')) {
    throw new SdpParseError(`duplicate "${type}=" line`);
  }
  if (inMedia && SESSION_ONLY.has(type)) {
    throw new SdpParseError(`"${type}=" is not allowed in a media description`);
  }
  switch (type) {
    case 'v':
      if (value !== '0') throw new SdpParseError(`unsupported version "${value}"`);
      break;
    case 'o':
      parseOrigin(value);
      break;
    case 'c':
      parseConnection(value);
      break;
    case 'b':
      parseBandwidth(value);
      break;
    case 't':
      parseTiming(value);
      break;
    case 'r':
      parseRepeatTimes(value);
      break;
    case 'z':
      parseTimeZones(value);
      break;
    case 'k':
      parseEncryptionKey(value);
      break;
    case 'm':
      parseMediaLine(value);
      break;
    case 'a': {
      const colon = value.indexOf(':');
      const name = colon < 0 ? value : value.slice(0, colon);
      if (!isToken(name)) throw new SdpParseError(`attribute name "${name}" is not a token`);
      break;
    }
    default:
      // s i u e p and unknown types: free text, kept as is.
      break;
  }
}
