import { SdpParseError } from '../errors.js';
import { isToken, isVisible, parseUint, splitSpaces } from '../tokens.js';

/** The `m=` line (RFC 8866 §5.14). */
export interface MediaLine {
  /** `audio`, `video`, `text`, `application`, `image`, … */
  media: string;
  /** Transport port; 0 marks a rejected or disabled stream (RFC 3264 §5.1, §6). */
  port: number;
  /** Number of ports (`port/count`), when present. */
  numberOfPorts?: number;
  /** `RTP/AVP`, `RTP/SAVP`, `UDP/TLS/RTP/SAVPF`, `udptl`, … */
  proto: string;
  /** Media formats: RTP payload type numbers as strings for RTP protocols. */
  formats: string[];
}

/** Parses the value of an `m=` line. */
export function parseMediaLine(value: string): MediaLine {
  const f = splitSpaces(value);
  if (f.length < 3) throw new SdpParseError(`m= needs at least 3 fields, got ${f.length}`);
  if (!isToken(f[0])) throw new SdpParseError(`m= media "${f[0]}" is not a token`);
  const slash = f[1].indexOf('/');
  const port = parseUint(slash < 0 ? f[1] : f[1].slice(0, slash), 'm= port', 65535);
  const m: MediaLine = { media: f[0], port, proto: f[2], formats: f.slice(3) };
  if (slash >= 0) m.numberOfPorts = parseUint(f[1].slice(slash + 1), 'm= number of ports', 65535);
  // RFC 8866 §5.14: at least one format. Tolerated on a rejected (port 0) stream, as seen in the wild.
  if (m.formats.length === 0 && port !== 0) throw new SdpParseError('m= lists no media format');
  return m;
}

/** Formats a media line as the value of an `m=` line. */
export function formatMediaLine(m: MediaLine): string {
  if (!isToken(m.media) || !isVisible(m.proto)) throw new SdpParseError('m= media and proto must be tokens');
  for (const fmt of m.formats) if (!isVisible(fmt)) throw new SdpParseError(`m= format "${fmt}" is invalid`);
  const port = m.numberOfPorts === undefined ? `${m.port}` : `${m.port}/${m.numberOfPorts}`;
  return m.formats.length === 0
    ? `${m.media} ${port} ${m.proto}`
    : `${m.media} ${port} ${m.proto} ${m.formats.join(' ')}`;
}
