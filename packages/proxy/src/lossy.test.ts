import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALICE, BOB, CAROL, World } from './sim-harness.test.helper.js';

describe('proxy on a lossy network (RFC 3261 §17 retransmissions through §16)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}: a fork with 20% loss, duplication and jitter ends in exactly one best final response`, () => {
      const w = new World({ seed, conditions: { delayMs: 20, jitterMs: 30, loss: 0.2, duplicate: 0.1 } });
      w.proxy.route(() => [{ uri: `sip:bob@${BOB}` }, { uri: `sip:carol@${CAROL}` }]);
      const alice = w.ua('alice', ALICE);
      const bob = w.ua('bob', BOB, { ringAfter: 50, final: { status: 486, after: 400 } });
      const carol = w.ua('carol', CAROL, { final: { status: 404, after: 200 } });
      alice.send('sip:x@example.com');
      w.run(60_000);
      assert.equal(
        bob.requests.filter((r) => r.method === 'INVITE').length,
        1,
        'one INVITE transaction at bob',
      );
      assert.equal(carol.requests.filter((r) => r.method === 'INVITE').length, 1);
      assert.deepEqual(alice.finals(), [486], '§16.7 item 6: 486 over 404, delivered once');
      assert.equal(w.proxy.core.stack.transactionCount, 0, 'every transaction ended');
      assert.equal(w.proxy.core.contextCount, 0, 'no response context left');
    });
  }
});
