/** A socket lookup that answers IP literals at once. @module */
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';

/**
 * The sockets' destination lookup: node:dgram passes every `send` destination through it, and the
 * default (`dns.lookup`) answers even an IP literal on the next tick, so each datagram waited for a
 * deferred callback and its buffer stayed referenced until then. A literal is answered at once:
 * the datagram goes to the kernel within `send` (unless the socket's send queue is full, when
 * libuv queues it). Host names still go to `dns.lookup`.
 */
export function literalLookup(
  hostname: string,
  options: LookupOneOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  const family = isIP(hostname);
  if (family !== 0) callback(null, hostname, family);
  else dnsLookup(hostname, options, callback);
}
