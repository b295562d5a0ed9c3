import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ForwardedEvent } from './core-io.js';
import { ALICE, BOB, World } from './sim-harness.test.helper.js';

describe('proxy: stateless mode (RFC 3261 §16.11)', () => {
  it('§16.11: forwards the request and the response without transactions, our Via popped from the response', () => {
    const w = new World({ proxy: { mode: 'stateless' } });
    w.proxy.route(() => [{ uri: `sip:bob@${BOB}` }]);
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB, { ringAfter: 10, final: { status: 200, after: 100 } });
    alice.send('sip:bob@example.com');
    w.run(1000);
    assert.equal(bob.requests.length, 1);
    assert.equal(bob.requests[0].via.length, 2);
    assert.deepEqual(alice.finals(), [200]);
    const ok = alice.responses.find((r) => r.status === 200);
    assert.equal(ok?.via.length, 1, 'our Via was removed (§16.7 item 3)');
    assert.equal(w.proxy.core.stack.transactionCount, 0, 'no transaction state');
  });

  it('§16.11: a retransmitted request is forwarded again with the same branch', () => {
    const w = new World({ proxy: { mode: 'stateless' } });
    const sent: ForwardedEvent[] = [];
    w.proxy.route(() => [{ uri: `sip:bob@${BOB}` }]).on('forwarded', (e) => sent.push(e));
    const alice = w.ua('alice', ALICE);
    // bob answers late: alice's INVITE client transaction retransmits (Timer A, RFC 3261 §17.1.1.2).
    const bob = w.ua('bob', BOB, { final: { status: 200, after: 1600 }, tryingMs: 60_000 });
    alice.send('sip:bob@example.com');
    w.run(3000);
    assert.ok(sent.length >= 2, `retransmissions forwarded (${sent.length})`);
    const branches = new Set(sent.map((e) => e.request.via[0].branch));
    assert.equal(branches.size, 1);
    assert.equal(bob.requests.length, 1, 'bob saw one transaction');
    assert.deepEqual(alice.finals(), [200]);
  });

  it('§16.11: a stateless proxy forwards to one target only', () => {
    const w = new World({ proxy: { mode: 'stateless' } });
    w.proxy.route(() => [
      { uri: `sip:bob@${BOB}`, q: 0.2 },
      { uri: `sip:carol@${BOB}:5070`, q: 0.9 },
    ]);
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB, { final: { status: 200, after: 10 } });
    const carol = w.ua('carol', BOB, { final: { status: 200, after: 10 } }, 'UDP', 5070);
    alice.send('sip:bob@example.com');
    w.run(1000);
    assert.equal(bob.requests.length, 0);
    assert.equal(carol.requests.length, 1, 'the highest q wins');
  });

  it('§16.3 in stateless mode: Max-Forwards 0 answered 483 statelessly', () => {
    const w = new World({ proxy: { mode: 'stateless' } });
    w.proxy.route(() => [{ uri: `sip:bob@${BOB}` }]);
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB);
    alice.send('sip:bob@example.com', { maxForwards: 0 });
    w.run(1000);
    assert.deepEqual(alice.finals(), [483]);
    assert.equal(bob.requests.length, 0);
  });
});
