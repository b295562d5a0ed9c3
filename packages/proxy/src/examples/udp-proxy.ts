/**
 * A proxy on UDP 127.0.0.1 that routes every `sip:*@example` request to one fixed target.
 *
 *   node --conditions=source --import tsx packages/proxy/src/examples/udp-proxy.ts [PORT] [TARGET_HOST:PORT]
 *
 * Defaults: port 5060, target 127.0.0.1:5080. Stop it with Ctrl-C.
 */
import { pathToFileURL } from 'node:url';
import { UdpTransport } from '@tsvoip/transport';
import { NodeProxyDriver } from '../node-driver.js';
import { SipProxy } from '../proxy.js';

/** Starts the proxy; returns it, its port and a function that stops it. */
export async function startUdpProxy(
  port: number,
  target: string,
): Promise<{ proxy: SipProxy; port: number; stop: () => Promise<void> }> {
  const udp = new UdpTransport();
  const local = await udp.listen('127.0.0.1', port);
  const proxy = new SipProxy({
    localAddresses: [{ transport: 'UDP', host: local.host, port: local.port }],
    domains: ['example'],
  });
  // sip:*@example → sip:<same user>@TARGET; other domains go to their own Request-URI (RFC 3261 §16.5).
  proxy.route((req) => {
    const uri = req.parsedRequestUri;
    if (uri?.kind !== 'sip' || uri.host.toLowerCase() !== 'example') return undefined;
    return [{ uri: `sip:${uri.user ?? ''}${uri.user === undefined ? '' : '@'}${target}` }];
  });
  const driver = new NodeProxyDriver(proxy, [udp]);
  return {
    proxy,
    port: local.port,
    stop: async () => {
      driver.close();
      await udp.close();
    },
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.argv[2] ?? 5060);
  const target = process.argv[3] ?? '127.0.0.1:5080';
  const { proxy, stop } = await startUdpProxy(port, target);
  proxy.on('final', (e) => console.log(`final ${e.status} for ${e.response.callId}`));
  proxy.on('error', (e) => console.error('routing error:', e.message));
  console.log(`proxy on udp 127.0.0.1:${port}, sip:*@example -> ${target}`);
  process.once('SIGINT', () => void stop());
}
