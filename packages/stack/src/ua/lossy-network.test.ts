import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimNetwork, VirtualClock } from '@tsvoip/transport';
import type { InviteSession } from '../usage/invite-session.js';
import { TransportSimUa } from './sim-network.js';

describe('calls over a lossy simulated network (loss, duplication, reordering)', () => {
  it('ten calls set up and torn down with 20% loss, 10% duplication and jitter', () => {
    const network = new SimNetwork({
      seed: 42,
      defaults: { delayMs: 20, jitterMs: 15, loss: 0.2, duplicate: 0.1 },
    });
    const clock = new VirtualClock();
    clock.add(network);
    const alice = TransportSimUa.create(network, clock, 'alice', '10.1.0.1');
    const bob = TransportSimUa.create(network, clock, 'bob', '10.1.0.2');
    const bobSessions: InviteSession[] = [];
    bob.ua.on('invite', (inv) => {
      inv.provisional(180, { reliable: true });
      clock.after(300, () => {
        bobSessions.push(inv.accept({ body: 'answer' }));
        bob.flush(clock.now);
      });
    });
    const aliceSessions: InviteSession[] = [];
    for (let i = 0; i < 10; i++) {
      clock.at(i * 1000, (now) => {
        alice.ua.tick(now);
        alice.ua
          .invite({ to: '<sip:bob@10.1.0.2:5060>', body: `offer-${i}` })
          .on('accepted', (s) => aliceSessions.push(s));
        alice.flush(now);
      });
    }
    clock.advance(40_000);
    assert.equal(aliceSessions.length, 10);
    assert.equal(bobSessions.length, 10);
    assert.ok(
      bobSessions.every((s) => s.state === 'confirmed'),
      'every 2xx was ACKed (retransmitted as needed)',
    );
    for (const s of aliceSessions) s.bye();
    alice.flush(clock.now);
    clock.advance(40_000);

    assert.ok(bobSessions.every((s) => s.state === 'terminated'));
    assert.equal(alice.ua.dialogCount, 0);
    assert.equal(bob.ua.dialogCount, 0);
    assert.ok(
      network.stats.lost > 0 && network.stats.duplicated > 0,
      'the network really lost and duplicated',
    );
  });
});
