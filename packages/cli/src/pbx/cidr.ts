/** The `trusted` source list: CIDR blocks (IPv4 and IPv6) matched with node's `BlockList`. */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** A parsed CIDR block. */
export interface Cidr {
  /** The network address. */
  readonly address: string;
  /** Prefix length (32 or 128 for a single address written without `/n`). */
  readonly prefix: number;
  /** Address family. */
  readonly family: 'ipv4' | 'ipv6';
}

/** Parses `10.0.0.0/8`, `127.0.0.1` (a /32), `::1`, `fd00::/8`; `undefined` when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (family === undefined) return undefined;
  const max = family === 'ipv4' ? 32 : 128;
  if (slash < 0) return { address, prefix: max, family };
  const p = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(p) || Number(p) > max) return undefined;
  return { address, prefix: Number(p), family };
}

/** IPv4-mapped IPv6 (`::ffff:192.0.2.1`, as a dual-stack socket reports it) to plain IPv4. */
function unmapped(address: string): string {
  return address.toLowerCase().startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}

/** A set of CIDR blocks. */
export class TrustedSources {
  readonly #list = new BlockList();
  readonly #empty: boolean;

  /** @param cidrs blocks as parsed by {@link parseCidr}; malformed entries throw a `TypeError`. */
  constructor(cidrs: readonly string[]) {
    for (const c of cidrs) {
      const b = parseCidr(c);
      if (b === undefined) throw new TypeError(`bad CIDR ${JSON.stringify(c)}`);
      this.#list.addSubnet(b.address, b.prefix, b.family);
    }
    this.#empty = cidrs.length === 0;
  }

  /** Whether `address` (an IP literal) is in one of the blocks. */
  has(address: string): boolean {
    if (this.#empty) return false;
    const a = unmapped(address);
    if (isIPv4(a)) return this.#list.check(a, 'ipv4');
    if (isIPv6(a)) return this.#list.check(a, 'ipv6');
    return false;
  }
}
