import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TransportError } from '../errors.js';
import {
  collect,
  makeTestCertificate,
  next,
  optionsRequest,
  type TestCertificate,
  until,
} from './test-support.js';
import { TlsTransport } from './tls-transport.js';
import type { ReceivedMessage } from './transport.js';

describe('TlsTransport (certificate made with openssl at test time)', () => {
  let cert: TestCertificate;
  const transports: TlsTransport[] = [];
  const make = (opts?: ConstructorParameters<typeof TlsTransport>[0]) => {
    const t = new TlsTransport(opts);
    transports.push(t);
    return t;
  };
  before(() => {
    cert = makeTestCertificate();
  });
  after(() => Promise.all(transports.map((t) => t.close())));

  for (const host of ['127.0.0.1', '::1']) {
    it(`carries a request and its response over one TLS connection on ${host}`, async () => {
      const server = make({ server: { key: cert.key, cert: cert.cert } });
      const client = make({ client: { ca: cert.cert } });
      const s = await server.listen(host, 0);
      const got = next<[ReceivedMessage]>(server, 'message');
      const sent = await client.send(
        { address: s.host, port: s.port, host: 'localhost' },
        optionsRequest(host, 5061, 'TLS'),
      );
      const [req] = await got;
      assert.equal(req.message.method, 'OPTIONS');
      assert.equal(req.source.transport, 'TLS');
      const back = next<[ReceivedMessage]>(client, 'message');
      await server.send(
        { address: req.source.host, port: req.source.port, connectionId: req.connectionId },
        optionsRequest(host, 5061, 'TLS', { callId: 'back' }),
      );
      const [m] = await back;
      assert.equal(m.connectionId, sent.connectionId);
      assert.equal(m.message.callId, 'back');
    });
  }

  it('checks the certificate against the numeric address when no host name is given', async () => {
    const server = make({ server: { key: cert.key, cert: cert.cert } });
    const client = make({ client: { ca: cert.cert } });
    const s = await server.listen('127.0.0.1', 0);
    const got = next<[ReceivedMessage]>(server, 'message');
    await client.send({ address: s.host, port: s.port }, optionsRequest('127.0.0.1', 5061, 'TLS'));
    assert.equal((await got)[0].message.method, 'OPTIONS');
  });

  it('rejects an untrusted certificate with a typed error, and the server reports the failed handshake', async () => {
    const server = make({ server: { key: cert.key, cert: cert.cert } });
    const client = make();
    const s = await server.listen('127.0.0.1', 0);
    const serverErrors = collect<TransportError>(server, 'transportError');
    await assert.rejects(
      client.send(
        { address: s.host, port: s.port, host: 'localhost' },
        optionsRequest('127.0.0.1', 5061, 'TLS'),
      ),
      (e: unknown) => e instanceof TransportError && e.code === 'protocol',
    );
    assert.equal(server.connections.length, 0);
    await until(() => serverErrors.length > 0);
    assert.ok(serverErrors[0] instanceof TransportError);
  });

  it('a handshake that never completes is a timeout', async () => {
    const accepted: Socket[] = [];
    const silent = createServer((sock) => accepted.push(sock));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const client = make({ client: { ca: cert.cert }, connectTimeoutMs: 100 });
    try {
      await assert.rejects(
        client.send({ address: '127.0.0.1', port }, optionsRequest('127.0.0.1', 5061, 'TLS')),
        (e: unknown) => e instanceof TransportError && e.code === 'timeout',
      );
    } finally {
      for (const sock of accepted) sock.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('rejects a certificate that does not name the target host (RFC 5922 §7.2)', async () => {
    const server = make({ server: { key: cert.key, cert: cert.cert } });
    const client = make({ client: { ca: cert.cert } });
    const s = await server.listen('127.0.0.1', 0);
    await assert.rejects(
      client.send(
        { address: s.host, port: s.port, host: 'sip.example.com' },
        optionsRequest('127.0.0.1', 5061, 'TLS'),
      ),
      (e: unknown) => e instanceof TransportError && e.code === 'protocol',
    );
  });
});
