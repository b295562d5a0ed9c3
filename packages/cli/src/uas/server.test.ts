import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createRequest, serializeMessage } from '@tsvoip/sip';
import { silentLogger } from '@tsvoip/stack';
import { TcpTransport, TlsTransport, type Transport, UdpTransport, WsTransport } from '@tsvoip/transport';
import { parseListenSpec } from '../listen-spec.js';
import { startUas } from './server.js';

/** A throw-away self-signed certificate (openssl, as the transport tests do). */
function certificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tsvoip-cli-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
        ...[
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
        ],
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function options(client: Transport, transport: string, port: number): Promise<number> {
  const status = new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer over ${transport}`)), 5000);
    client.once('message', (m) => {
      clearTimeout(t);
      resolve(m.message.status);
    });
  });
  const req = createRequest({
    method: 'OPTIONS',
    requestUri: `sip:uas@127.0.0.1:${port};transport=${transport}`,
    from: '<sip:t@127.0.0.1>',
    to: '<sip:uas@127.0.0.1>',
    via: `SIP/2.0/${transport.toUpperCase()} 127.0.0.1:${client.listening?.port ?? 9};rport;branch=z9hG4bK-${transport}-1`,
  });
  await client.send({ address: '127.0.0.1', port, host: 'localhost' }, serializeMessage(req));
  return status;
}

describe('startUas on every transport', () => {
  for (const engine of ['transaction', 'ua'] as const) {
    it(`answers OPTIONS over UDP, TCP, TLS and WS (${engine} engine)`, async () => {
      const server = await startUas({
        listen: ['udp', 'tcp', 'tls', 'ws'].map((t) => parseListenSpec(`${t}:127.0.0.1:0`)),
        tls: certificate(),
        engine,
        logger: silentLogger,
      });
      const clients: Transport[] = [
        new UdpTransport(),
        new TcpTransport(),
        new TlsTransport({ client: { rejectUnauthorized: false } }),
        new WsTransport(),
      ];
      try {
        await clients[0]?.listen('127.0.0.1', 0);
        for (const [i, a] of server.addresses.entries()) {
          const client = clients[i] as Transport;
          assert.equal(client.protocol, a.transport);
          assert.equal(await options(client, a.transport.toLowerCase(), a.port), 200);
        }
        assert.equal(server.stats.other, 4);
      } finally {
        await Promise.allSettled(clients.map((c) => c.close()));
        await server.close();
      }
    });
  }
});
