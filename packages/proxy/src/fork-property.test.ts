import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { selectBest } from './best-response.js';
import { ALICE, World } from './sim-harness.test.helper.js';

const STATUSES = [200, 302, 404, 480, 486, 500, 503, 603];

const branchArb = fc.record({
  ringAfter: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
  status: fc.constantFrom(...STATUSES),
  after: fc.integer({ min: 10, max: 3000 }),
  q: fc.constantFrom(1, 0.5),
});

describe('proxy: forking invariants (RFC 3261 §16.7, property)', () => {
  it('whatever the branches answer and when, the caller gets one final response, or 2xx only', () => {
    fc.assert(
      fc.property(
        fc.array(branchArb, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 1000 }),
        (branches, seed) => {
          const w = new World({ seed });
          const targets = branches.map((b, i) => {
            const host = `10.0.1.${i + 1}`;
            w.ua(`u${i}`, host, {
              ringAfter: b.ringAfter,
              final: { status: b.status, after: b.after },
              ...(b.status === 302
                ? { final: { status: 302, after: b.after, headers: [['Contact', '<sip:x@10.0.9.9>']] } }
                : {}),
            });
            return { uri: `sip:u${i}@${host}`, q: b.q };
          });
          w.proxy.route(() => targets);
          const alice = w.ua('alice', ALICE);
          alice.send('sip:fork@example.com');
          w.run(120_000);
          const finals = alice.finals();
          assert.ok(finals.length > 0, 'a final response came');
          const ok = finals.filter((s) => s < 300);
          if (ok.length > 0) assert.equal(ok.length, finals.length, 'no failure after a 2xx');
          else assert.equal(finals.length, 1, 'exactly one failure response');
          const statuses = branches.map((b) => b.status);
          if (!statuses.some((s) => s < 300 || s >= 600)) {
            // No 2xx, no 6xx: nothing was cancelled; §16.7 item 6 picks among all of them.
            const best = statuses[selectBest(statuses.map((status) => ({ status })))];
            assert.equal(finals[0], best === 503 ? 500 : best);
          }
          if (statuses.some((s) => s >= 600) && !statuses.some((s) => s < 300)) {
            assert.ok(finals[0] >= 600, '§16.7: a 6xx wins');
          }
          assert.equal(w.proxy.core.contextCount, 0, 'no context left');
          assert.equal(w.proxy.core.stack.transactionCount, 0, 'no transaction left');
        },
      ),
      { numRuns: 60 },
    );
  });
});
