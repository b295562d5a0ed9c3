import { SdpParseError } from '../errors.js';
import { isDigits, parseUint, splitSpaces } from '../tokens.js';

/** `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]` (RFC 8866 §6.6). */
export interface Rtpmap {
  /** RTP payload type, 0–127. */
  payloadType: number;
  /** Encoding name as written (compare case-insensitively, RFC 4855 §3). */
  encodingName: string;
  /** Clock rate in Hz. */
  clockRate: number;
  /** Encoding parameters: the number of channels for audio. */
  channels?: number;
}

/** Parses the value of an `a=rtpmap` attribute. */
export function parseRtpmap(value: string): Rtpmap {
  const f = splitSpaces(value);
  if (f.length !== 2) throw new SdpParseError('rtpmap needs "<pt> <encoding>/<clock rate>"');
  const payloadType = parseUint(f[0], 'rtpmap payload type', 127);
  const parts = f[1].split('/');
  if (parts.length < 2 || parts.length > 3 || parts[0].length === 0) {
    throw new SdpParseError(`rtpmap encoding "${f[1]}" is not "<name>/<rate>[/<params>]"`);
  }
  const r: Rtpmap = {
    payloadType,
    encodingName: parts[0],
    clockRate: parseUint(parts[1], 'rtpmap clock rate'),
  };
  if (parts.length === 3) {
    if (!isDigits(parts[2])) throw new SdpParseError(`rtpmap encoding parameters "${parts[2]}" not numeric`);
    r.channels = Number(parts[2]);
  }
  return r;
}

/** Formats an rtpmap as the value of an `a=rtpmap` attribute. */
export function formatRtpmap(r: Rtpmap): string {
  const base = `${r.payloadType} ${r.encodingName}/${r.clockRate}`;
  return r.channels === undefined ? base : `${base}/${r.channels}`;
}
