import { SdpParseError } from '../errors.js';
import { isToken, parseUint } from '../tokens.js';

/** The `b=` line (RFC 8866 §5.8), e.g. `AS:64` (kbit/s), `TIAS:64000` (bit/s, RFC 3890). */
export interface Bandwidth {
  /** `CT`, `AS`, `TIAS`, `RS`, `RR`, or an extension token. */
  type: string;
  /** The value, in the unit of the type. */
  bandwidth: number;
}

/** Parses the value of a `b=` line. */
export function parseBandwidth(value: string): Bandwidth {
  const colon = value.indexOf(':');
  if (colon < 0) throw new SdpParseError('b= needs "<bwtype>:<bandwidth>"');
  const type = value.slice(0, colon);
  if (!isToken(type)) throw new SdpParseError(`b= type "${type}" is not a token`);
  return { type, bandwidth: parseUint(value.slice(colon + 1), 'b= bandwidth') };
}

/** Formats a bandwidth as the value of a `b=` line. */
export function formatBandwidth(b: Bandwidth): string {
  if (!isToken(b.type)) throw new SdpParseError(`b= type "${b.type}" is not a token`);
  return `${b.type}:${b.bandwidth}`;
}
