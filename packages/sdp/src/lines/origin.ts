import { SdpParseError } from '../errors.js';
import { isDigits, isVisible, splitSpaces } from '../tokens.js';

/** The `o=` line (RFC 8866 §5.2). Session id and version are decimal strings (they may exceed 2^53). */
export interface Origin {
  /** `-` when the host has no user ids. */
  username: string;
  /** Numeric session id, as a decimal string. */
  sessionId: string;
  /** Numeric session version, as a decimal string (RFC 3264 §8: +1 on each changed offer). */
  sessionVersion: string;
  /** `IN`. */
  netType: string;
  /** `IP4` or `IP6`. */
  addrType: string;
  /** Address (or FQDN) of the originating host. */
  unicastAddress: string;
}

/** Parses the value of an `o=` line. */
export function parseOrigin(value: string): Origin {
  const f = splitSpaces(value);
  if (f.length !== 6) throw new SdpParseError(`o= needs 6 fields, got ${f.length}`);
  if (!isDigits(f[1])) throw new SdpParseError(`o= sess-id must be numeric, got "${f[1]}"`);
  if (!isDigits(f[2])) throw new SdpParseError(`o= sess-version must be numeric, got "${f[2]}"`);
  return {
    username: f[0],
    sessionId: f[1],
    sessionVersion: f[2],
    netType: f[3],
    addrType: f[4],
    unicastAddress: f[5],
  };
}

/** Formats an origin as the value of an `o=` line. */
export function formatOrigin(o: Origin): string {
  for (const part of [o.username, o.netType, o.addrType, o.unicastAddress]) {
    if (!isVisible(part)) throw new SdpParseError(`o= field "${part}" must be visible ASCII without spaces`);
  }
  if (!isDigits(o.sessionId) || !isDigits(o.sessionVersion)) {
    throw new SdpParseError('o= session id and version must be numeric');
  }
  return `${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.unicastAddress}`;
}
