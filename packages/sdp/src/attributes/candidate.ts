import { SdpParseError } from '../errors.js';
import { isVisible, parseUint, splitSpaces } from '../tokens.js';

/** `a=candidate` (RFC 8839 §5.1). */
export interface Candidate {
  /** 1–32 ice-chars. */
  foundation: string;
  /** Component id: 1 = RTP, 2 = RTCP. */
  component: number;
  /** Transport as written (`UDP`, `udp`, `tcp`). */
  transport: string;
  /** Priority, 1–(2^31−1). */
  priority: number;
  /** Connection address (IP or FQDN, incl. mDNS `.local` names). */
  address: string;
  /** Port. */
  port: number;
  /** `host`, `srflx`, `prflx`, `relay` or an extension type. */
  type: string;
  /** Related address (`raddr`). */
  relatedAddress?: string;
  /** Related port (`rport`). */
  relatedPort?: number;
  /** Extension attributes in order, e.g. `generation 0`, `tcptype passive`. */
  extensions: Array<[name: string, value: string]>;
}

/** Parses the value of an `a=candidate` attribute. */
export function parseCandidate(value: string): Candidate {
  const f = splitSpaces(value);
  if (f.length < 8) throw new SdpParseError(`candidate needs at least 8 fields, got ${f.length}`);
  if (f[6] !== 'typ') throw new SdpParseError(`candidate field 7 must be "typ", got "${f[6]}"`);
  if (f[0].length > 32) throw new SdpParseError('candidate foundation longer than 32');
  const c: Candidate = {
    foundation: f[0],
    component: parseUint(f[1], 'candidate component id', 256),
    transport: f[2],
    priority: parseUint(f[3], 'candidate priority', 0xffffffff),
    address: f[4],
    port: parseUint(f[5], 'candidate port', 65535),
    type: f[7],
    extensions: [],
  };
  let i = 8;
  if (f[i] === 'raddr') {
    if (i + 1 >= f.length) throw new SdpParseError('candidate raddr without address');
    c.relatedAddress = f[i + 1];
    i += 2;
  }
  if (f[i] === 'rport') {
    if (i + 1 >= f.length) throw new SdpParseError('candidate rport without port');
    c.relatedPort = parseUint(f[i + 1], 'candidate rport', 65535);
    i += 2;
  }
  if ((f.length - i) % 2 !== 0) throw new SdpParseError('candidate extension without value');
  for (; i < f.length; i += 2) c.extensions.push([f[i], f[i + 1]]);
  return c;
}

/** Formats the value of an `a=candidate` attribute. */
export function formatCandidate(c: Candidate): string {
  const parts: Array<string | number> = [
    c.foundation,
    c.component,
    c.transport,
    c.priority,
    c.address,
    c.port,
  ];
  parts.push('typ', c.type);
  if (c.relatedAddress !== undefined) parts.push('raddr', c.relatedAddress);
  if (c.relatedPort !== undefined) parts.push('rport', c.relatedPort);
  for (const [n, v] of c.extensions) parts.push(n, v);
  for (const p of parts) {
    if (typeof p === 'string' && !isVisible(p)) throw new SdpParseError(`candidate field "${p}" is invalid`);
  }
  return parts.join(' ');
}
