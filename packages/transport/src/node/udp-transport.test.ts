import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { TransportError } from '../errors.js';
import { stampVia } from '../sip/via-received.js';
import { collect, next, optionsRequest, until } from './test-support.js';
import type { InvalidMessage, ReceivedMessage } from './transport.js';
import { UdpTransport } from './udp-transport.js';

/** Every transport a test makes, closed after the file. */
const open: UdpTransport[] = [];
const make = (opts?: ConstructorParameters<typeof UdpTransport>[0]) => {
  const t = new UdpTransport(opts);
  open.push(t);
  return t;
};
after(() => Promise.all(open.map((t) => t.close())));

describe('UdpTransport', () => {
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

  it('synchronousSend: a datagram to a numeric address leaves inside send(), all sends share one resolved promise', async () => {
    const server = make();
    const client = make({ synchronousSend: true });
    const s = await server.listen('127.0.0.1', 0);
    const c = await client.listen('127.0.0.1', 0);
    const messages = collect<ReceivedMessage>(server, 'message');
    const first = client.send({ address: s.host, port: s.port }, optionsRequest(c.host, c.port, 'UDP'));
    const second = client.send(
      { address: s.host, port: s.port },
      optionsRequest(c.host, c.port, 'UDP', { callId: 'b2' }),
    );
    // Closed before the next tick: only a datagram already handed to the kernel gets out.
    const closed = client.close();
    assert.equal(first, second);
    assert.deepEqual(await first, { local: c });
    await closed;
    await until(() => messages.length === 2);
    assert.deepEqual(
      messages.map((m) => m.message.callId),
      ['a84b4c76e66710', 'b2'],
    );
  });

  it('synchronousSend: names still go through the look-up, and refused sends still reject', async () => {
    const server = make();
    const client = make({ synchronousSend: true, maxMessageSize: 1000 });
    const s = await server.listen('127.0.0.1', 0);
    const c = await client.listen('127.0.0.1', 0);
    const got = next<[ReceivedMessage]>(server, 'message');
    await client.send({ address: 'localhost', port: s.port }, optionsRequest(c.host, c.port, 'UDP'));
    assert.equal((await got)[0].message.method, 'OPTIONS');
    await assert.rejects(
      client.send({ address: s.host, port: s.port }, new Uint8Array(1001)),
      (e: unknown) => e instanceof TransportError && e.code === 'too-large',
    );
  });

  it('receiveBufferSize sets SO_RCVBUF: a burst overflows a small buffer, not a large one', async () => {
    const burst = async (receiveBufferSize: number) => {
      const server = make({ receiveBufferSize });
      const client = make({ synchronousSend: true, sendBufferSize: 1024 * 1024 });
      const s = await server.listen('127.0.0.1', 0);
      const c = await client.listen('127.0.0.1', 0);
      const messages = collect<ReceivedMessage>(server, 'message');
      const bytes = optionsRequest(c.host, c.port, 'UDP');
      // 100 datagrams while the event loop is busy: the server reads none until the loop is free.
      for (let i = 0; i < 100; i++) void client.send({ address: s.host, port: s.port }, bytes);
      await new Promise((r) => setTimeout(r, 100));
      return messages.length;
    };
    assert.equal(await burst(1024 * 1024), 100);
    const small = await burst(2048);
    assert.ok(small < 50, `${small} datagrams fit a 2 KiB buffer`);
  });

  it('rejects sending before bind with closed', async () => {
    const t = make();
    await assert.rejects(
      t.send({ address: '127.0.0.1', port: 9 }, new Uint8Array(1)),
      (e: unknown) => e instanceof TransportError && e.code === 'closed',
    );
  });
});

describe('UdpTransport batch', () => {
  it('emits the datagrams of one poll phase after it, in order, and sends what listeners send at the end of the pass', async () => {
    const server = make({ synchronousSend: true, batch: true });
    const client = make({ synchronousSend: true });
    const s = await server.listen('127.0.0.1', 0);
    const c = await client.listen('127.0.0.1', 0);
    const replies = collect<ReceivedMessage>(client, 'message');
    const seen: string[] = [];
    let sentInsidePass = 0;
    server.on('message', (m) => {
      seen.push(m.message.callId ?? '');
      // Answer each request at once: the datagram is held until the pass ends.
      void server.send(
        { address: m.source.host, port: m.source.port },
        optionsRequest(s.host, s.port, 'UDP', { callId: `re-${m.message.callId}` }),
      );
      sentInsidePass++;
    });
    const ids = Array.from({ length: 20 }, (_, i) => `burst-${i}`);
    // Sent while the event loop is busy: the server reads them in one poll phase.
    for (const callId of ids)
      void client.send({ address: s.host, port: s.port }, optionsRequest(c.host, c.port, 'UDP', { callId }));
    assert.equal(seen.length, 0);
    await until(() => replies.length === ids.length);
    assert.deepEqual(seen, ids);
    assert.equal(sentInsidePass, ids.length);
    assert.deepEqual(
      replies.map((r) => r.message.callId),
      ids.map((id) => `re-${id}`),
    );
  });

  it('still reports a datagram that does not parse, and keeps the others of its batch', async () => {
    const server = make({ synchronousSend: true, batch: true });
    const client = make({ synchronousSend: true });
    const s = await server.listen('127.0.0.1', 0);
    const c = await client.listen('127.0.0.1', 0);
    const messages = collect<ReceivedMessage>(server, 'message');
    const invalid = collect<InvalidMessage>(server, 'invalid');
    void client.send(
      { address: s.host, port: s.port },
      optionsRequest(c.host, c.port, 'UDP', { callId: 'a' }),
    );
    void client.send({ address: s.host, port: s.port }, new TextEncoder().encode('NOT SIP AT ALL\r\n\r\n'));
    void client.send(
      { address: s.host, port: s.port },
      optionsRequest(c.host, c.port, 'UDP', { callId: 'b' }),
    );
    await until(() => messages.length === 2 && invalid.length === 1);
    assert.deepEqual(
      messages.map((m) => m.message.callId),
      ['a', 'b'],
    );
  });

  it('a close inside a pass sends what the pass sent before it', async () => {
    const server = make({ synchronousSend: true, batch: true });
    const client = make({ synchronousSend: true });
    const s = await server.listen('127.0.0.1', 0);
    const c = await client.listen('127.0.0.1', 0);
    const replies = collect<ReceivedMessage>(client, 'message');
    server.once('message', (m) => {
      void server.send(
        { address: m.source.host, port: m.source.port },
        optionsRequest(s.host, s.port, 'UDP', { callId: 'last-words' }),
      );
      void server.close();
    });
    void client.send({ address: s.host, port: s.port }, optionsRequest(c.host, c.port, 'UDP'));
    await until(() => replies.length === 1);
    assert.equal(replies[0].message.callId, 'last-words');
  });
});
