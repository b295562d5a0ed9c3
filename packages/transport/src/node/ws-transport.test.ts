import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { TransportError } from '../errors.js';
import {
  collect,
  makeTestCertificate,
  next,
  optionsRequest,
  type TestCertificate,
  until,
} from './test-support.js';
import type { ConnectionInfo, ReceivedMessage } from './transport.js';
import { offersSipSubprotocol, WsTransport } from './ws-transport.js';

describe('WsTransport (RFC 7118)', () => {
  let cert: TestCertificate;
  const transports: WsTransport[] = [];
  const clients: WebSocket[] = [];
  const make = (opts?: ConstructorParameters<typeof WsTransport>[0]) => {
    const t = new WsTransport(opts);
    transports.push(t);
    return t;
  };
  const rawClient = (url: string, protocols: string[] = ['sip']) => {
    const ws = new WebSocket(url, protocols);
    clients.push(ws);
    return ws;
  };
  before(() => {
    cert = makeTestCertificate();
  });
  after(async () => {
    for (const c of clients) c.terminate();
    await Promise.all(transports.map((t) => t.close()));
  });

  it('parses the Sec-WebSocket-Protocol offer', () => {
    assert.ok(offersSipSubprotocol('sip'));
    assert.ok(offersSipSubprotocol('chat, sip'));
    assert.ok(!offersSipSubprotocol('sips, chat'));
    assert.ok(!offersSipSubprotocol(undefined));
  });

  for (const host of ['127.0.0.1', '::1']) {
    it(`one SIP message per WebSocket message, both ways, on ${host}`, async () => {
      const server = make();
      const client = make();
      const s = await server.listen(host, 0);
      const got = next<[ReceivedMessage]>(server, 'message');
      const sent = await client.send({ address: s.host, port: s.port }, optionsRequest(host, 5060, 'WS'));
      const [req] = await got;
      assert.equal(req.message.method, 'OPTIONS');
      assert.equal(req.source.transport, 'WS');
      assert.equal(req.source.port, sent.local.port);
      const back = next<[ReceivedMessage]>(client, 'message');
      await server.send(
        { address: req.source.host, port: req.source.port, connectionId: req.connectionId },
        optionsRequest(host, 5060, 'WS', { callId: 'r' }),
      );
      const [m] = await back;
      assert.equal(m.connectionId, sent.connectionId);
      assert.equal(m.message.callId, 'r');
    });
  }

  it('sends UTF-8 messages as text frames and others as binary; accepts both (RFC 7118 §5.2)', async () => {
    const server = make();
    const s = await server.listen('127.0.0.1', 0);
    const ws = rawClient(`ws://127.0.0.1:${s.port}/`);
    await next(ws, 'open');
    assert.equal(ws.protocol, 'sip');
    const msgs = collect<ReceivedMessage>(server, 'message');
    ws.send(optionsRequest('127.0.0.1', 5060, 'WS', { callId: 'text' }).toString('utf8'));
    ws.send(optionsRequest('127.0.0.1', 5060, 'WS', { callId: 'bin' }), { binary: true });
    await until(() => msgs.length === 2);
    const frames: boolean[] = [];
    ws.on('message', (_d, isBinary) => frames.push(isBinary));
    const id = msgs[0].connectionId;
    await server.send(
      { address: '127.0.0.1', port: 1, connectionId: id },
      optionsRequest('127.0.0.1', 5060, 'WS'),
    );
    await server.send(
      { address: '127.0.0.1', port: 1, connectionId: id },
      Buffer.concat([
        optionsRequest('127.0.0.1', 5060, 'WS', { body: '\xff' }).subarray(0, -1),
        Buffer.from([0xff]),
      ]),
    );
    await until(() => frames.length === 2);
    assert.deepEqual(frames, [false, true]);
  });

  it('refuses a handshake without the sip subprotocol (RFC 7118 §4.1)', async () => {
    const server = make();
    const s = await server.listen('127.0.0.1', 0);
    const err = next<[TransportError]>(server, 'transportError');
    const ws = rawClient(`ws://127.0.0.1:${s.port}/`, ['chat']);
    const [e] = await err;
    assert.equal(e.code, 'protocol');
    await next(ws, 'error');
    assert.equal(server.connections.length, 0);
  });

  it('answers a CRLFCRLF keep-alive message with CRLF (RFC 5626 §4.4.1)', async () => {
    const server = make();
    const s = await server.listen('127.0.0.1', 0);
    const ws = rawClient(`ws://127.0.0.1:${s.port}/`);
    await next(ws, 'open');
    const reply = next<[Buffer]>(ws, 'message');
    ws.send('\r\n\r\n');
    assert.equal((await reply)[0].toString(), '\r\n');
  });

  it('an oversized WebSocket message is a too-large error and closes the connection', async () => {
    const server = make({ maxMessageSize: 1000 });
    const s = await server.listen('127.0.0.1', 0);
    const errors = collect<TransportError>(server, 'transportError');
    const closed = next<[ConnectionInfo]>(server, 'close');
    const ws = rawClient(`ws://127.0.0.1:${s.port}/`);
    await next(ws, 'open');
    ws.send(optionsRequest('127.0.0.1', 5060, 'WS', { body: 'x'.repeat(2000) }));
    await closed;
    assert.equal(errors[0]?.code, 'too-large');
  });

  it('WSS: TLS with the sip subprotocol, certificate checked', async () => {
    const server = make({ secure: true, server: { key: cert.key, cert: cert.cert } });
    const client = make({ secure: true, client: { ca: cert.cert } });
    const s = await server.listen('127.0.0.1', 0);
    assert.equal(s.transport, 'WSS');
    const got = next<[ReceivedMessage]>(server, 'message');
    await client.send(
      { address: s.host, port: s.port, host: 'localhost' },
      optionsRequest('127.0.0.1', 5061, 'WSS'),
    );
    const [req] = await got;
    assert.equal(req.source.transport, 'WSS');
    const untrusted = make({ secure: true });
    await assert.rejects(
      untrusted.send(
        { address: s.host, port: s.port, host: 'localhost' },
        optionsRequest('127.0.0.1', 5061, 'WSS'),
      ),
      (e: unknown) => e instanceof TransportError && e.code === 'protocol',
    );
  });

  it('a plain HTTP request gets 426 Upgrade Required', async () => {
    const server = make();
    const s = await server.listen('127.0.0.1', 0);
    const res = await fetch(`http://127.0.0.1:${s.port}/`, { signal: AbortSignal.timeout(3000) });
    assert.equal(res.status, 426);
  });
});
