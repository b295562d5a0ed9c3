import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CliUsageError } from './errors.js';
import { formatListenSpec, LISTEN_TRANSPORTS, parseListenSpec } from './listen-spec.js';

describe('--listen transport:host:port', () => {
  it('parses IPv4, names and bracketed IPv6', () => {
    assert.deepEqual(parseListenSpec('udp:127.0.0.1:5080'), {
      transport: 'udp',
      host: '127.0.0.1',
      port: 5080,
    });
    assert.deepEqual(parseListenSpec('TLS:example.com:5061'), {
      transport: 'tls',
      host: 'example.com',
      port: 5061,
    });
    assert.deepEqual(parseListenSpec('tcp:[::1]:0'), { transport: 'tcp', host: '::1', port: 0 });
  });

  for (const bad of [
    '',
    'udp',
    'udp:127.0.0.1',
    'sctp:127.0.0.1:5060',
    'udp:::1:5060',
    'udp:[::1:5060',
    'udp:127.0.0.1:70000',
    'udp:127.0.0.1:x',
    'udp::5060',
  ]) {
    it(`rejects ${JSON.stringify(bad)} with a one-line usage error`, () => {
      assert.throws(
        () => parseListenSpec(bad),
        (e: unknown) =>
          e instanceof CliUsageError && !e.message.includes('\n') && e.message.includes('--listen'),
      );
    });
  }

  it('round-trips: parse(format(spec)) is the spec', () => {
    const host = fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain());
    fc.assert(
      fc.property(
        fc.constantFrom(...LISTEN_TRANSPORTS),
        host,
        fc.integer({ min: 0, max: 65535 }),
        (transport, h, port) => {
          const spec = { transport, host: h, port };
          assert.deepEqual(parseListenSpec(formatListenSpec(spec)), spec);
        },
      ),
    );
  });
});
