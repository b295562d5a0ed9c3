import { SdpParseError } from '../errors.js';
import { isVisible, splitSpaces } from '../tokens.js';

/** `a=msid:<msid-id> [<msid-appdata>]` (RFC 8830 §2). */
export interface Msid {
  /** Media stream id (`-` for none). */
  id: string;
  /** Application data: the track id in WebRTC. */
  appData?: string;
}

/** Parses the value of an `a=msid` attribute. */
export function parseMsid(value: string): Msid {
  const f = splitSpaces(value);
  if (f.length < 1 || f.length > 2) throw new SdpParseError('msid needs "<id> [<appdata>]"');
  if (f[0].length > 64 || (f.length === 2 && f[1].length > 64)) {
    throw new SdpParseError('msid id and appdata are at most 64 characters'); // RFC 8830 §2
  }
  return f.length === 1 ? { id: f[0] } : { id: f[0], appData: f[1] };
}

/** Formats the value of an `a=msid` attribute. */
export function formatMsid(m: Msid): string {
  if (!isVisible(m.id) || (m.appData !== undefined && !isVisible(m.appData))) {
    throw new SdpParseError('msid fields must be visible ASCII without spaces');
  }
  return m.appData === undefined ? m.id : `${m.id} ${m.appData}`;
}
