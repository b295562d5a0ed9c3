import { SdpParseError } from '../errors.js';
import { isToken, parseUint, splitSpaces } from '../tokens.js';

/** `a=rtcp-fb:<pt|*> <type> [<parameters>]` (RFC 4585 §4.2). */
export interface RtcpFeedback {
  /** Payload type, or `*` for all formats. */
  payloadType: number | '*';
  /** Feedback type: `ack`, `nack`, `trr-int`, `ccm`, `transport-cc`, `goog-remb`, … */
  type: string;
  /** The rest, single-spaced (e.g. `pli` for `nack pli`, `fir` for `ccm fir`, `100` for `trr-int 100`). */
  parameter?: string;
}

/** Parses the value of an `a=rtcp-fb` attribute. */
export function parseRtcpFeedback(value: string): RtcpFeedback {
  const f = splitSpaces(value);
  if (f.length < 2) throw new SdpParseError('rtcp-fb needs "<pt|*> <type>"');
  const payloadType = f[0] === '*' ? '*' : parseUint(f[0], 'rtcp-fb payload type', 127);
  const type = f[1];
  if (!isToken(type)) throw new SdpParseError(`rtcp-fb type "${type}" is not a token`);
  return f.length === 2 ? { payloadType, type } : { payloadType, type, parameter: f.slice(2).join(' ') };
}

/** Formats the value of an `a=rtcp-fb` attribute. */
export function formatRtcpFeedback(f: RtcpFeedback): string {
  if (!isToken(f.type)) throw new SdpParseError(`rtcp-fb type "${f.type}" is not a token`);
  const base = `${f.payloadType} ${f.type}`;
  return f.parameter === undefined ? base : `${base} ${f.parameter}`;
}
