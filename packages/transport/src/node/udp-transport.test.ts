import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { TransportError } from '../errors.js';
import { stampVia } from '../sip/via-received.js';
import { collect, next, optionsRequest, until } from './test-support.js';
import type { InvalidMessage, ReceivedMessage } from './transport.js';
import { UdpTransport } from './udp-transport.js';

describe('UdpTransport', () => {
  const open: UdpTransport[] = [];
  const make = (opts?: ConstructorParameters<typeof UdpTransport>[0]) => {
    const t = new UdpTransport(opts);
    open.push(t);
    return t;
  };
  after(() => Promise.all(open.map((t) => t.close())));

  for (const host of ['127.0.0.1', '::1']) {
    it(`delivers a parsed message with its source over ${host}`, async () => {
      const server = make();
      const client = make();
      const s = await server.listen(host, 0);
      const c = await client.listen(host, 0);
      const got = next<[ReceivedMessage]>(server, 'message');
      await client.send({ address: s.host, port: s.port }, optionsRequest(c.host, c.port, 'UDP'));
      const [m] = await got;
      assert.equal(m.message.method, 'OPTIONS');
      assert.deepEqual(m.source, { transport: 'UDP', host: c.host, port: c.port });
      assert.deepEqual(m.listener, s);
      assert.equal(m.connectionId, undefined);
      // RFC 3581 §4: the source fills rport and received.
      const via = stampVia(`SIP/2.0/UDP 10.0.0.9:${c.port};rport`, {
        address: m.source.host,
        port: m.source.port,
      });
      assert.equal(via, `SIP/2.0/UDP 10.0.0.9:${c.port};rport=${c.port};received=${c.host}`);
    });
  }

  it('drops an oversized datagram with a too-large error, and keeps working', async () => {
    const server = make({ maxMessageSize: 600 });
    const client = make();
    const s = await server.listen('127.0.0.1', 0);
    const c = await client.listen('127.0.0.1', 0);
    const errors = collect<TransportError>(server, 'transportError');
    const messages = collect<ReceivedMessage>(server, 'message');
    await client.send(
      { address: s.host, port: s.port },
      optionsRequest(c.host, c.port, 'UDP', { body: 'x'.repeat(400) }),
    );
    await until(() => errors.length === 1);
    assert.equal(errors[0].code, 'too-large');
    await client.send({ address: s.host, port: s.port }, optionsRequest(c.host, c.port, 'UDP'));
    await until(() => messages.length === 1);
  });

  it('refuses to send over the limit', async () => {
    const t = make({ maxMessageSize: 100 });
    await t.listen('127.0.0.1', 0);
    await assert.rejects(
      t.send({ address: '127.0.0.1', port: 9 }, new Uint8Array(101)),
      (e: unknown) => e instanceof TransportError && e.code === 'too-large',
    );
  });

  it('reports an unparseable datagram as invalid, with the status to answer', async () => {
    const server = make();
    const client = make();
    const s = await server.listen('127.0.0.1', 0);
    await client.listen('127.0.0.1', 0);
    const got = next<[InvalidMessage]>(server, 'invalid');
    await client.send(
      { address: s.host, port: s.port },
      Buffer.from('OPTIONS sip:x SIP/2.0\r\nVia: nonsense\r\n\r\n'),
    );
    const [inv] = await got;
    assert.equal(inv.error.status, 400);
  });

  it('ignores CRLF keep-alive datagrams', async () => {
    const server = make();
    const client = make();
    const s = await server.listen('127.0.0.1', 0);
    await client.listen('127.0.0.1', 0);
    const invalid = collect<InvalidMessage>(server, 'invalid');
    await client.send({ address: s.host, port: s.port }, Buffer.from('\r\n\r\n'));
    await until(() => server.keepAlivesReceived === 1);
    assert.equal(invalid.length, 0);
  });

  it('rejects sending before bind with closed', async () => {
    const t = make();
    await assert.rejects(
      t.send({ address: '127.0.0.1', port: 9 }, new Uint8Array(1)),
      (e: unknown) => e instanceof TransportError && e.code === 'closed',
    );
  });
});
