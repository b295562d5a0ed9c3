import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FlowTokenError } from './errors.js';
import { decodeFlowToken, encodeFlowToken, sameFlow } from './flow-token.js';
import type { Flow } from './types.js';

const flowArb: fc.Arbitrary<Flow> = fc
  .record({
    transport: fc.constantFrom('UDP', 'TCP', 'TLS', 'WS', 'WSS'),
    host: fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain()),
    port: fc.integer({ min: 1, max: 65535 }),
    connectionId: fc.option(
      fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes('|')),
      {
        nil: undefined,
      },
    ),
  })
  .map((f) =>
    f.connectionId === undefined
      ? { transport: f.transport, host: f.host, port: f.port }
      : { transport: f.transport, host: f.host, port: f.port, connectionId: f.connectionId },
  );

describe('flow tokens (RFC 5626 §5.2)', () => {
  it('round-trip: decode(encode(flow)) = flow, with and without a key (property)', () => {
    const key = Buffer.from('0123456789abcdef');
    fc.assert(
      fc.property(flowArb, (flow) => {
        assert.deepEqual(decodeFlowToken(encodeFlowToken(flow)), flow);
        assert.deepEqual(decodeFlowToken(encodeFlowToken(flow, key), key), flow);
      }),
    );
  });

  it('tokens are usable as a URI user part (unreserved characters only) (property)', () => {
    fc.assert(
      fc.property(flowArb, (flow) => {
        assert.match(encodeFlowToken(flow, Buffer.from('k')), /^[A-Za-z0-9_.-]+$/);
      }),
    );
  });

  it('a tampered token fails the HMAC check', () => {
    const key = Buffer.from('secret');
    const token = encodeFlowToken({ transport: 'TCP', host: '198.51.100.7', port: 40000 }, key);
    const forged = encodeFlowToken({ transport: 'TCP', host: '203.0.113.66', port: 40000 }, key).split(
      '.',
    )[0];
    const tampered = `${forged}.${token.split('.')[1]}`;
    assert.throws(() => decodeFlowToken(tampered, key), FlowTokenError);
    assert.throws(() => decodeFlowToken(token, Buffer.from('other')), FlowTokenError);
  });

  it('garbage is rejected with FlowTokenError', () => {
    assert.throws(() => decodeFlowToken('alice'), FlowTokenError);
    assert.throws(() => decodeFlowToken(Buffer.from('XYZ|h|5060|').toString('base64url')), FlowTokenError);
    assert.throws(() => decodeFlowToken(Buffer.from('UDP|h|0|').toString('base64url')), FlowTokenError);
  });

  it('sameFlow compares the connection only when both sides know it', () => {
    const a: Flow = { transport: 'TCP', host: 'h', port: 1, connectionId: 'c1' };
    assert.equal(sameFlow(a, { transport: 'TCP', host: 'h', port: 1 }), true);
    assert.equal(sameFlow(a, { ...a, connectionId: 'c2' }), false);
    assert.equal(sameFlow(a, { ...a, port: 2 }), false);
  });
});
