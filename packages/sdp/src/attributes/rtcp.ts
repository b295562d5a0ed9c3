import { SdpParseError } from '../errors.js';
import { parseUint, splitSpaces } from '../tokens.js';

/** `a=rtcp:<port> [<nettype> <addrtype> <connection-address>]` (RFC 3605 §2.1). */
export interface RtcpAttribute {
  /** RTCP port. */
  port: number;
  /** `IN`, when an address is given. */
  netType?: string;
  /** `IP4`/`IP6`, when an address is given. */
  addrType?: string;
  /** RTCP address, when given. */
  address?: string;
}

/** Parses the value of an `a=rtcp` attribute. */
export function parseRtcp(value: string): RtcpAttribute {
  const f = splitSpaces(value);
  if (f.length !== 1 && f.length !== 4)
    throw new SdpParseError('rtcp needs "<port> [<net> <addr> <address>]"');
  const port = parseUint(f[0], 'rtcp port', 65535);
  return f.length === 1 ? { port } : { port, netType: f[1], addrType: f[2], address: f[3] };
}

/** Formats the value of an `a=rtcp` attribute. */
export function formatRtcp(r: RtcpAttribute): string {
  if (r.address === undefined) return `${r.port}`;
  return `${r.port} ${r.netType ?? 'IN'} ${r.addrType ?? (r.address.includes(':') ? 'IP6' : 'IP4')} ${r.address}`;
}
