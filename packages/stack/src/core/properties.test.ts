import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createResponse, parseMessage, parseVia } from '@tsvoip/sip';
import fc from 'fast-check';
import { addr, BOB, eventsOf, RAW, rawRequest, request, twoCores } from '../testing.test-helper.js';
import { responseRoute, stampTopVia } from './response-route.js';

describe('transaction invariants on a lossy network (property)', () => {
  it('every client transaction ends exactly once (final response xor timeout); each request reaches the TU at most once; both cores drain', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0, max: 0.6, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.integer({ min: 0, max: 300 }),
        fc.constantFrom('UDP' as const, 'TCP' as const),
        (seed, loss, duplicate, jitterMs, transport) => {
          const { driver, alice, bob } = twoCores({
            seed,
            conditions: { loss, duplicate, jitterMs, delayMs: 10 },
          });
          bob.onEvent = (event, node, now) => {
            if (event.type !== 'request') return;
            const status = event.request.method === 'INVITE' ? 486 : 200;
            node.stack.sendResponse(
              event.transactionId,
              createResponse(event.request, status, undefined, { toTag: 'b' }),
              now,
            );
          };
          const ids = [0, 1, 2].map((i) =>
            alice.run(0, (s) =>
              s.sendRequest(request(i === 1 ? 'INVITE' : 'OPTIONS', [], i + 1), addr(BOB, transport), 0),
            ),
          );
          driver.runUntilIdle();
          for (const id of ids) {
            const finals = eventsOf(alice, 'response').filter(
              (r) => r.transactionId === id && r.response.status >= 200,
            );
            const timeouts = eventsOf(alice, 'timeout').filter((t) => t.transactionId === id);
            assert.equal(finals.length + timeouts.length, 1, `transaction ${id}`);
          }
          const seen = eventsOf(bob, 'request').map((r) => r.request.callId);
          assert.equal(new Set(seen).size, seen.length, 'no request passed up twice');
          assert.equal(alice.stack.transactionCount, 0);
          assert.equal(bob.stack.transactionCount, 0);
          assert.equal(alice.stack.nextDeadline(), Infinity);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('Via stamping and response routing (RFC 3261 §18.2.1, §18.2.2, RFC 3581) (property)', () => {
  const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
  it('stamps received/rport so that re-parsing the request gives the source back, and routes the response there', () => {
    fc.assert(
      fc.property(
        ip,
        ip,
        fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
        fc.integer({ min: 1, max: 65535 }),
        fc.boolean(),
        (sentBy, source, port, sourcePort, rport) => {
          const bytes = rawRequest([
            `OPTIONS sip:x@${RAW} SIP/2.0`,
            `Via: SIP/2.0/UDP ${sentBy}${port === undefined ? '' : `:${port}`};branch=z9hG4bKp${rport ? ';rport' : ''};x=1`,
            'Via: SIP/2.0/UDP down.example.com;branch=z9hG4bKd',
            'To: <sip:x@y>',
            'From: <sip:a@b>;tag=1',
            'Call-ID: c',
            'CSeq: 1 OPTIONS',
          ]);
          const msg = parseMessage(bytes);
          const src = { transport: 'UDP' as const, host: source, port: sourcePort };
          const stamped = stampTopVia(msg, msg.via[0], src);
          // Re-parse the serialized top Via: what a response copies is what we computed.
          const again = parseVia(msg.getHeader('Via')!);
          assert.equal(again.received, stamped.received);
          assert.equal(again.params.get('x'), '1');
          assert.equal(msg.via.length, 2);
          assert.equal(msg.via[1].host, 'down.example.com');
          const { to } = responseRoute(stamped, src);
          if (rport) assert.deepEqual(to, src);
          else if (sentBy === source)
            assert.deepEqual(to, { transport: 'UDP', host: sentBy, port: port ?? 5060 });
          else assert.deepEqual(to, { transport: 'UDP', host: source, port: port ?? 5060 });
        },
      ),
    );
  });
});
