/**
 * Starting a stream listener (TCP, TLS, WS, WSS): bind, translate a bind error, read back the port.
 * @module
 */
import type { Server } from 'node:net';
import { formatHostPort } from '../address.js';
import { TransportError } from '../errors.js';
import { stripBrackets } from '../ip.js';
import { fromSystemError } from './transport.js';

/**
 * Listens with `server` on `host:port` (port 0 for any; an IPv6 host listens on IPv6 only) and
 * returns the bound address. A bind error rejects with a {@link TransportError}.
 */
export async function listenServer(
  server: Server,
  host: string,
  port: number,
): Promise<{ host: string; port: number }> {
  const h = stripBrackets(host);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(fromSystemError(err, formatHostPort(h, port)));
    server.once('error', onError);
    server.listen({ host: h, port, ipv6Only: h.includes(':') }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const a = server.address();
  if (a === null || typeof a === 'string') throw new TransportError('closed', 'server has no address');
  return { host: a.address, port: a.port };
}
