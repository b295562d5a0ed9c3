import type { SdpLine, SessionDescription } from './model.js';

/**
 * Serializes a session description: every line as `<type>=<value>` followed by CRLF (RFC 8866 §5).
 * A description parsed from CRLF text serializes back to exactly that text.
 */
export function serializeSdp(sd: SessionDescription): string {
  let out = '';
  out = appendLines(out, sd.session);
  for (const m of sd.media) out = appendLines(out, m.lines);
  return out;
}

function appendLines(out: string, lines: readonly SdpLine[]): string {
  for (const l of lines) out += `${l.type}=${l.value}\r\n`;
  return out;
}
