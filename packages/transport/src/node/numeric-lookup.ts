/** A socket `lookup` that answers numeric addresses at once. @module */
import { type LookupOneOptions, lookup } from 'node:dns';
import { isIPv4, isIPv6 } from '../ip.js';

/**
 * A `lookup` for node:dgram/node:net sockets: a numeric address is its own look-up, answered
 * synchronously, so a datagram to it goes to the kernel within `send` (the default `dns.lookup`
 * answers even an IP literal on a later tick, deferring every send). Names go to `dns.lookup`.
 */
export function lookupNumeric(
  address: string,
  options: LookupOneOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : 0;
  if (family !== 0) {
    callback(null, address, family);
    return;
  }
  lookup(address, { family: options.family ?? 0 }, callback);
}
