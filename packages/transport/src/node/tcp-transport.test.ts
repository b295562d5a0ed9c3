import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { TransportError } from '../errors.js';
import { TcpTransport } from './tcp-transport.js';
import { collect, next, optionsRequest, until } from './test-support.js';
import type { ConnectionInfo, ReceivedMessage } from './transport.js';

const response = (callId = 'a84b4c76e66710') =>
  Buffer.from(
    'SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKa1\r\nTo: <sip:peer@example.com>;tag=x\r\n' +
      `From: <sip:me@example.com>;tag=1928301774\r\nCall-ID: ${callId}\r\nCSeq: 63104 OPTIONS\r\nContent-Length: 0\r\n\r\n`,
  );

describe('TcpTransport', () => {
  const transports: TcpTransport[] = [];
  const sockets: Socket[] = [];
  const servers: Server[] = [];
  const make = (opts?: ConstructorParameters<typeof TcpTransport>[0]) => {
    const t = new TcpTransport(opts);
    transports.push(t);
    return t;
  };
  const raw = (port: number, host = '127.0.0.1') =>
    new Promise<Socket>((resolve, reject) => {
      const s = connect({ host, port }, () => resolve(s));
      s.once('error', reject);
      sockets.push(s);
    });
  after(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(transports.map((t) => t.close()));
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  for (const host of ['127.0.0.1', '::1']) {
    it(`request in, response back over the same connection (RFC 3261 §18.2.2) on ${host}`, async () => {
      const server = make();
      const client = make();
      const s = await server.listen(host, 0);
      const serverConns = collect<ConnectionInfo>(server, 'connection');
      const gotReq = next<[ReceivedMessage]>(server, 'message');
      const sent = await client.send({ address: s.host, port: s.port }, optionsRequest(host, 5060, 'TCP'));
      const [req] = await gotReq;
      assert.equal(req.message.method, 'OPTIONS');
      assert.ok(req.connectionId);
      assert.equal(req.source.host, host);
      assert.equal(req.source.port, sent.local.port);
      assert.deepEqual(req.listener, s);
      const gotResp = next<[ReceivedMessage]>(client, 'message');
      const back = await server.send(
        { address: req.source.host, port: req.source.port, connectionId: req.connectionId },
        response(),
      );
      assert.equal(back.connectionId, req.connectionId);
      const [resp] = await gotResp;
      assert.equal(resp.message.status, 200);
      assert.equal(resp.connectionId, sent.connectionId);
      assert.equal(serverConns.length, 1);
    });
  }

  it('reuses an open connection for further requests to the same target (RFC 3261 §18)', async () => {
    const server = make();
    const client = make();
    const s = await server.listen('127.0.0.1', 0);
    const conns = collect<ConnectionInfo>(server, 'connection');
    const msgs = collect<ReceivedMessage>(server, 'message');
    const [a, b, c] = await Promise.all([
      client.send(
        { address: s.host, port: s.port },
        optionsRequest('127.0.0.1', 5060, 'TCP', { callId: 'c1' }),
      ),
      client.send(
        { address: s.host, port: s.port },
        optionsRequest('127.0.0.1', 5060, 'TCP', { callId: 'c2' }),
      ),
      client.send(
        { address: s.host, port: s.port },
        optionsRequest('127.0.0.1', 5060, 'TCP', { callId: 'c3' }),
      ),
    ]);
    await until(() => msgs.length === 3);
    assert.equal(conns.length, 1);
    assert.equal(a.connectionId, b.connectionId);
    assert.equal(b.connectionId, c.connectionId);
  });

  it('frames messages split across chunks and several in one chunk (RFC 3261 §18.3)', async () => {
    const server = make();
    const s = await server.listen('127.0.0.1', 0);
    const msgs = collect<ReceivedMessage>(server, 'message');
    const sock = await raw(s.port);
    const one = optionsRequest('127.0.0.1', 5060, 'TCP', { body: 'v=0\r\n', callId: 'x1' });
    for (let i = 0; i < one.length; i += 7) sock.write(one.subarray(i, i + 7));
    sock.write(
      Buffer.concat([
        optionsRequest('127.0.0.1', 5060, 'TCP', { callId: 'x2' }),
        optionsRequest('127.0.0.1', 5060, 'TCP', { callId: 'x3' }),
      ]),
    );
    await until(() => msgs.length === 3);
    assert.deepEqual(
      msgs.map((m) => m.message.callId),
      ['x1', 'x2', 'x3'],
    );
    assert.equal(new TextDecoder().decode(msgs[0].message.body ?? new Uint8Array()), 'v=0\r\n');
  });

  it('answers a CRLFCRLF ping with a CRLF pong (RFC 5626 §4.4.1)', async () => {
    const server = make();
    const s = await server.listen('127.0.0.1', 0);
    const sock = await raw(s.port);
    const data = next<[Buffer]>(sock, 'data');
    sock.write('\r\n\r\n');
    const [pong] = await data;
    assert.equal(pong.toString('latin1'), '\r\n');
  });

  it('client keep-alives: pings on an idle outbound connection and sees the pong', async () => {
    const server = make();
    const client = make({ keepAliveIntervalMs: 40 });
    const s = await server.listen('127.0.0.1', 0);
    await client.send({ address: s.host, port: s.port }, optionsRequest('127.0.0.1', 5060, 'TCP'));
    const [info] = await next<[ConnectionInfo]>(client, 'pong', 2000);
    assert.equal(info.outbound, true);
  });

  it('closes a flow whose ping gets no pong (RFC 5626 §4.4.1)', async () => {
    const silent = createServer((sock) => sock.on('data', () => {}));
    servers.push(silent);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const client = make({ keepAliveIntervalMs: 20, keepAliveTimeoutMs: 60 });
    const errors = collect<TransportError>(client, 'transportError');
    await client.send({ address: '127.0.0.1', port }, optionsRequest('127.0.0.1', 5060, 'TCP'));
    const [closed] = await next<[ConnectionInfo & { reason: string }]>(client, 'close', 2000);
    assert.equal(closed.reason, 'keepalive-timeout');
    assert.equal(errors[0]?.code, 'timeout');
  });

  it('closes idle connections', async () => {
    const server = make({ idleTimeoutMs: 60 });
    const s = await server.listen('127.0.0.1', 0);
    const closing = next<[ConnectionInfo & { reason: string }]>(server, 'close', 2000);
    const sock = await raw(s.port);
    const ended = next(sock, 'close', 2000);
    const [info] = await closing;
    assert.equal(info.reason, 'idle');
    await ended;
    assert.equal(server.connections.length, 0);
  });

  it('oversized stream message: too-large error and the connection is closed, no crash', async () => {
    const server = make({ maxMessageSize: 1000 });
    const s = await server.listen('127.0.0.1', 0);
    const err = next<[TransportError]>(server, 'transportError');
    const sock = await raw(s.port);
    const closed = next(sock, 'close');
    sock.write(optionsRequest('127.0.0.1', 5060, 'TCP', { body: 'x'.repeat(2000) }));
    const [e] = await err;
    assert.equal(e.code, 'too-large');
    await closed;
  });

  it('a stream message without Content-Length is a protocol error that closes the connection (RFC 3261 §18.3)', async () => {
    const server = make();
    const s = await server.listen('127.0.0.1', 0);
    const err = next<[TransportError]>(server, 'transportError');
    const sock = await raw(s.port);
    sock.write('OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n\r\n');
    const [e] = await err;
    assert.equal(e.code, 'protocol');
    await next(sock, 'close');
  });

  it('connection refused is a typed refused error', async () => {
    const probe = make();
    const s = await probe.listen('127.0.0.1', 0);
    await probe.close();
    const client = make();
    await assert.rejects(
      client.send({ address: '127.0.0.1', port: s.port }, optionsRequest('127.0.0.1', 5060, 'TCP')),
      (e: unknown) => e instanceof TransportError && e.code === 'refused',
    );
  });

  it('refuses to send over the size limit, and after close', async () => {
    const t = make({ maxMessageSize: 10 });
    await assert.rejects(
      t.send({ address: '127.0.0.1', port: 9 }, new Uint8Array(11)),
      (e: unknown) => e instanceof TransportError && e.code === 'too-large',
    );
    await t.close();
    await assert.rejects(
      t.send({ address: '127.0.0.1', port: 9 }, new Uint8Array(1)),
      (e: unknown) => e instanceof TransportError && e.code === 'closed',
    );
  });
});
