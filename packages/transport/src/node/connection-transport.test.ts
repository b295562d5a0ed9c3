import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { TransportAddress } from '../address.js';
import { TransportError } from '../errors.js';
import type { Connection } from './connection.js';
import { ConnectionTransport, normalizeAddress } from './connection-transport.js';
import { optionsRequest } from './test-support.js';
import type { ReceivedMessage } from './transport.js';

/** A socket-less stream transport: connections are fed by hand, writes are recorded. */
class LoopTransport extends ConnectionTransport {
  constructor(maxMessageSize?: number) {
    super('TCP', { maxMessageSize });
  }
  get listening(): TransportAddress | undefined {
    return undefined;
  }
  listen(): Promise<TransportAddress> {
    return Promise.reject(new TransportError('closed', 'no listener'));
  }
  protected connect(): Promise<Connection> {
    return Promise.reject(new TransportError('refused', 'no network'));
  }
  protected closeListeners(): Promise<void> {
    return Promise.resolve();
  }
  open(port = 5060) {
    const written: Uint8Array[] = [];
    let conn: Connection | undefined;
    const link = {
      write: async (b: Uint8Array) => {
        written.push(b);
      },
      end: () => this.linkClosed(conn!),
      destroy: () => this.linkClosed(conn!),
    };
    conn = this.adopt(
      link,
      { address: '::ffff:192.0.2.1', port },
      { address: '192.0.2.2', port: 5060 },
      false,
      true,
    );
    return { conn, written, feed: (chunk: Uint8Array) => this.receiveBytes(conn!, chunk) };
  }
}

describe('ConnectionTransport (socket-less)', () => {
  it('property: any chunking of messages and pings yields the same messages in order and one pong per ping', async () => {
    const item = fc.oneof(
      fc.record({
        callId: fc.stringMatching(/^[a-z0-9]{1,12}$/),
        body: fc.string({ maxLength: 40, unit: 'grapheme-ascii' }),
      }),
      fc.constant('ping' as const),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(item, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (items, cuts) => {
          const t = new LoopTransport();
          const got: string[] = [];
          t.on('message', (m: ReceivedMessage) => got.push(m.message.callId ?? ''));
          const { feed, written } = t.open();
          const parts = items.map((i) =>
            i === 'ping' ? Buffer.from('\r\n\r\n') : optionsRequest('192.0.2.1', 5060, 'TCP', i),
          );
          const bytes = Buffer.concat(parts);
          // A ping cut between its two CRLFs reads as two pongs (RFC 5626 §4.4.1 cannot tell them
          // apart without waiting): such cuts are excluded.
          const ambiguous = new Set<number>();
          let offset = 0;
          for (const [k, p] of parts.entries()) {
            if (items[k] === 'ping') ambiguous.add(offset + 2);
            offset += p.length;
          }
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))]
            .filter((p) => !ambiguous.has(p))
            .sort((a, b) => a - b);
          let prev = 0;
          for (const p of [...points, bytes.length]) {
            feed(bytes.subarray(prev, p));
            prev = p;
          }
          await new Promise((r) => setImmediate(r));
          assert.deepEqual(
            got,
            items.filter((i) => i !== 'ping').map((i) => (i as { callId: string }).callId),
          );
          // RFC 5626 §4.4.1: one CRLF pong per CRLFCRLF ping.
          assert.equal(written.length, items.filter((i) => i === 'ping').length);
          assert.ok(written.every((w) => Buffer.from(w).toString() === '\r\n'));
          await t.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('writes IPv4-mapped sources as IPv4 and reuses the connection by remote address', async () => {
    const t = new LoopTransport();
    const a = t.open(5070);
    assert.equal(a.conn.info.remote.host, '192.0.2.1');
    const r = await t.send({ address: '192.0.2.1', port: 5070 }, new Uint8Array([1]));
    assert.equal(r.connectionId, a.conn.info.id);
    assert.equal(a.written.length, 1);
    await t.close();
  });

  it('a second connection to the same peer takes over reuse when the first closes', async () => {
    const t = new LoopTransport();
    const first = t.open(5080);
    const second = t.open(5080);
    first.conn.link.destroy();
    const r = await t.send({ address: '192.0.2.1', port: 5080 }, new Uint8Array([1]));
    assert.equal(r.connectionId, second.conn.info.id);
    await t.close();
  });

  it('a response for a closed connection opens a new one (here refused: no network)', async () => {
    const t = new LoopTransport();
    const a = t.open(5090);
    const id = a.conn.info.id;
    a.conn.link.destroy();
    await assert.rejects(
      t.send({ address: '192.0.2.1', port: 5090, connectionId: id }, new Uint8Array([1])),
      (e: unknown) => e instanceof TransportError && e.code === 'refused',
    );
    await t.close();
  });

  it('normalizes addresses', () => {
    assert.equal(normalizeAddress('::ffff:10.1.2.3'), '10.1.2.3');
    assert.equal(normalizeAddress('[::1]'), '::1');
    assert.equal(normalizeAddress('::ffff:1'), '::ffff:1');
  });
});
