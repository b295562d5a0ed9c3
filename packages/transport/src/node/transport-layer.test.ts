import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { TransportProtocol } from '../address.js';
import { TransportError } from '../errors.js';
import { TcpTransport } from './tcp-transport.js';
import { next, optionsRequest } from './test-support.js';
import type { ReceivedMessage } from './transport.js';
import { TransportLayer } from './transport-layer.js';
import { UdpTransport } from './udp-transport.js';

describe('TransportLayer (RFC 3261 §18.1.1 size switch)', () => {
  const layers: TransportLayer[] = [];
  const open = async () => {
    const udp = new UdpTransport();
    const tcp = new TcpTransport();
    const layer = new TransportLayer([udp, tcp]);
    layers.push(layer);
    const u = await udp.listen('127.0.0.1', 0);
    return { layer, udp, tcp, port: u.port };
  };
  after(() => Promise.all(layers.map((l) => l.close())));

  const encoder = (body: string, seen: TransportProtocol[]) => (t: TransportProtocol) => {
    seen.push(t);
    return optionsRequest('127.0.0.1', 5060, t, { body });
  };

  it('a small request stays on UDP', async () => {
    const server = await open();
    const client = await open();
    const got = next<[ReceivedMessage]>(server.udp, 'message');
    const seen: TransportProtocol[] = [];
    const r = await client.layer.sendRequest(
      { transport: 'UDP', address: '127.0.0.1', port: server.port },
      encoder('', seen),
    );
    assert.equal(r.transport, 'UDP');
    assert.deepEqual(seen, ['UDP']);
    assert.equal((await got)[0].source.transport, 'UDP');
  });

  it('a request over 1300 octets goes over TCP, re-encoded with TCP in the Via', async () => {
    const server = await open();
    await server.tcp.listen('127.0.0.1', server.port);
    const client = await open();
    const got = next<[ReceivedMessage]>(server.tcp, 'message');
    const seen: TransportProtocol[] = [];
    const r = await client.layer.sendRequest(
      { transport: 'UDP', address: '127.0.0.1', port: server.port },
      encoder('x'.repeat(1400), seen),
    );
    assert.equal(r.transport, 'TCP');
    assert.deepEqual(seen, ['UDP', 'TCP']);
    const [m] = await got;
    assert.equal(m.message.via[0]?.transport, 'TCP');
  });

  it('falls back to UDP when the TCP connection is refused (§18.1.1)', async () => {
    const server = await open();
    const client = await open();
    const got = next<[ReceivedMessage]>(server.udp, 'message');
    const r = await client.layer.sendRequest(
      { transport: 'UDP', address: '127.0.0.1', port: server.port },
      encoder('x'.repeat(1400), []),
    );
    assert.equal(r.transport, 'UDP');
    assert.equal((await got)[0].message.via[0]?.transport, 'UDP');
  });

  it('a target whose transport the layer lacks is unreachable', async () => {
    const l = new TransportLayer([]);
    await assert.rejects(
      l.send({ transport: 'WS', address: '127.0.0.1', port: 1 }, new Uint8Array(1)),
      (e: unknown) => e instanceof TransportError && e.code === 'unreachable',
    );
  });
});
