/**
 * The tsvoip proxy as a separate process for the SIPp benchmark: stateful, UDP 127.0.0.1:PORT,
 * no routing function (a Request-URI outside its domains is its own target, RFC 3261 §16.5).
 * Prints "ready" once listening; exits on SIGTERM.
 */
import { UdpTransport } from '@tsvoip/transport';
import { NodeProxyDriver } from '../src/node-driver.js';
import { SipProxy } from '../src/proxy.js';

const port = Number(process.argv[2] ?? 5072);
const udp = new UdpTransport();
await udp.listen('127.0.0.1', port);
const proxy = new SipProxy({ localAddresses: [{ transport: 'UDP', host: '127.0.0.1', port }] });
const driver = new NodeProxyDriver(proxy, [udp]);
process.once('SIGTERM', () => {
  driver.close();
  void udp.close().then(() => process.exit(0));
});
console.log('ready');
