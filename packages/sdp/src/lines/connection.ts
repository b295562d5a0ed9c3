import { SdpParseError } from '../errors.js';
import { isVisible, parseUint, splitSpaces } from '../tokens.js';

/** The `c=` line (RFC 8866 §5.7). */
export interface Connection {
  /** `IN`. */
  netType: string;
  /** `IP4` or `IP6`. */
  addrType: string;
  /** The address, without `/ttl` or `/count`. `0.0.0.0` is the legacy hold address (RFC 3264 §8.4). */
  address: string;
  /** IP4 multicast TTL. */
  ttl?: number;
  /** Number of multicast addresses. */
  numberOfAddresses?: number;
}

/** Parses the value of a `c=` line. */
export function parseConnection(value: string): Connection {
  const f = splitSpaces(value);
  if (f.length !== 3) throw new SdpParseError(`c= needs 3 fields, got ${f.length}`);
  const parts = f[2].split('/');
  const c: Connection = { netType: f[0], addrType: f[1], address: parts[0] };
  if (parts[0].length === 0) throw new SdpParseError('c= address is empty');
  // RFC 8866 §5.7: IP4 multicast is addr/ttl[/count]; IP6 multicast is addr[/count].
  if (parts.length > 3 || (f[1] === 'IP6' && parts.length > 2)) {
    throw new SdpParseError(`c= address "${f[2]}" has too many "/" parts`);
  }
  if (f[1] === 'IP6') {
    if (parts.length === 2) c.numberOfAddresses = parseUint(parts[1], 'c= number of addresses');
  } else {
    if (parts.length >= 2) c.ttl = parseUint(parts[1], 'c= TTL', 255);
    if (parts.length === 3) c.numberOfAddresses = parseUint(parts[2], 'c= number of addresses');
  }
  return c;
}

/** Formats a connection as the value of a `c=` line. */
export function formatConnection(c: Connection): string {
  if (!isVisible(c.netType) || !isVisible(c.addrType) || !isVisible(c.address)) {
    throw new SdpParseError('c= fields must be visible ASCII without spaces');
  }
  let addr = c.address;
  if (c.ttl !== undefined) addr += `/${c.ttl}`;
  if (c.numberOfAddresses !== undefined) addr += `/${c.numberOfAddresses}`;
  return `${c.netType} ${c.addrType} ${addr}`;
}

/** True for the RFC 2543 hold address `0.0.0.0` (RFC 3264 §8.4 asks answerers to recognise it). */
export function isLegacyHoldAddress(c: Connection | undefined): boolean {
  return c !== undefined && c.addrType === 'IP4' && c.address === '0.0.0.0';
}
