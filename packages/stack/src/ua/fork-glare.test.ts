import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncomingInvite } from '../usage/incoming-invite.js';
import type { InviteSession, TerminationReason } from '../usage/invite-session.js';
import { SimNetwork } from './sim-network.js';

const OFFER = 'v=0\r\no=alice 1 1 IN IP4 10.0.0.1\r\n';

describe('forked INVITE (RFC 3261 §13.2.2.4)', () => {
  function forked(acceptForks: boolean) {
    const net = new SimNetwork();
    const alice = net.addNode('alice', { acceptForks });
    const bob1 = net.addNode('bob1');
    const bob2 = net.addNode('bob2');
    net.addFork('10.0.0.99', [bob1, bob2]);
    const ends: Record<string, TerminationReason> = {};
    const pending: Record<string, IncomingInvite> = {};
    bob1.ua.on('invite', (inv) => {
      pending.bob1 = inv;
      inv.provisional(180);
    });
    bob2.ua.on('invite', (inv) => {
      pending.bob2 = inv;
      inv.provisional(180);
    });
    const call = alice.ua.invite({ to: '<sip:bob@10.0.0.99>', body: OFFER });
    const accepted: InviteSession[] = [];
    const early: InviteSession[] = [];
    call.on('accepted', (s) => accepted.push(s));
    call.on('early', (s) => early.push(s));
    net.advance(100);
    // bob1 answers first, bob2 a little later: two 2xx for one INVITE.
    pending.bob1.accept({ body: 'answer-1' }).on('terminated', (r) => {
      ends.bob1 = r;
    });
    net.advance(100);
    pending.bob2.accept({ body: 'answer-2' }).on('terminated', (r) => {
      ends.bob2 = r;
    });
    net.advance(500);
    return { net, call, accepted, early, ends };
  }

  it('ACKs each 2xx and BYEs the extra dialog by default', () => {
    const { net, call, accepted, early, ends } = forked(false);
    assert.equal(early.length, 2, 'one early dialog per remote tag');
    assert.equal(accepted.length, 1);
    assert.equal(call.sessions.size, 2);
    const acks = net.wire.filter((r) => r.message.isRequest && r.message.method === 'ACK');
    assert.deepEqual(acks.map((r) => r.to).sort(), ['bob1', 'bob2']);
    const byes = net.wire.filter((r) => r.message.isRequest && r.message.method === 'BYE');
    assert.equal(byes.length, 1);
    const keptWith = 'bob1';
    const discarded = 'bob2';
    assert.ok(accepted[0].dialog.remoteTarget.includes('bob1'));
    assert.equal(accepted[0].offerAnswer.remoteDescription, 'answer-1');
    assert.equal(byes[0].to, discarded);
    assert.equal(ends[discarded], 'remote-bye');
    assert.equal(ends[keptWith], undefined);
    assert.equal(accepted[0].state, 'confirmed');
  });

  it('keeps both dialogs when the application wants forks', () => {
    const { net, accepted } = forked(true);
    assert.equal(accepted.length, 2);
    assert.notEqual(accepted[0].dialog.remoteTag, accepted[1].dialog.remoteTag);
    assert.equal(net.wire.filter((r) => r.message.isRequest && r.message.method === 'BYE').length, 0);
  });
});

describe('re-INVITE glare (RFC 3261 §14)', () => {
  it('both re-INVITE at once: each gets 491, then they retry after the back-off and one wins', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const bob = net.addNode('bob');
    let bobSession: InviteSession | undefined;
    bob.ua.on('invite', (inv) => {
      bobSession = inv.accept({ body: 'b0' });
    });
    let aliceSession: InviteSession | undefined;
    alice.ua.invite({ to: `<${bob.uri}>`, body: 'a0' }).on('accepted', (s) => {
      aliceSession = s;
    });
    net.advance(200);
    assert.ok(aliceSession && bobSession);
    const glare: Array<[string, number]> = [];
    aliceSession.on('glare', (d) => glare.push(['alice', d]));
    bobSession.on('glare', (d) => glare.push(['bob', d]));
    const answers: string[] = [];
    aliceSession.on('answer', (b) => answers.push(`alice got ${b}`));
    bobSession.on('answer', (b) => answers.push(`bob got ${b}`));
    aliceSession.reinvite('a1');
    bobSession.reinvite('b1');
    net.advance(100);
    const t491 = net.trace((r) => r.message.status === 491);
    assert.equal(t491.length, 2, 'each side answers the crossing re-INVITE with 491');
    assert.equal(glare.length, 2);
    const aliceDelay = glare.find(([w]) => w === 'alice')![1];
    const bobDelay = glare.find(([w]) => w === 'bob')![1];
    // RFC 3261 §14.1: the Call-ID owner (alice, the UAC) waits 2.1-4 s, the other 0-2 s.
    assert.ok(aliceDelay >= 2100 && aliceDelay <= 4000, `alice waits ${aliceDelay}`);
    assert.ok(bobDelay >= 0 && bobDelay <= 2000, `bob waits ${bobDelay}`);
    // The session is as before the failed offers (RFC 3261 §14.1).
    assert.equal(aliceSession.offerAnswer.localDescription, 'a0');
    net.advance(6000);
    // bob retries first and wins; alice's retry then goes through too.
    assert.deepEqual(answers, ['bob got a0', 'alice got b1']);
    assert.equal(aliceSession.offerAnswer.state, 'stable');
    assert.equal(bobSession.offerAnswer.state, 'stable');
    assert.equal(aliceSession.state, 'confirmed');
  });

  it('an UPDATE offer while our offer is pending gets 491 (RFC 3311 §5.2)', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const bob = net.addNode('bob');
    let bobSession: InviteSession | undefined;
    bob.ua.on('invite', (inv) => {
      bobSession = inv.accept({ body: 'b0' });
    });
    let aliceSession: InviteSession | undefined;
    alice.ua.invite({ to: `<${bob.uri}>`, body: 'a0' }).on('accepted', (s) => {
      aliceSession = s;
    });
    net.advance(200);
    assert.ok(aliceSession && bobSession);
    const failures: string[] = [];
    aliceSession.on('glare', () => failures.push('alice 491'));
    bobSession.on('glare', () => failures.push('bob 491'));
    aliceSession.update('a1');
    bobSession.update('b1');
    net.advance(50);
    assert.deepEqual(failures.sort(), ['alice 491', 'bob 491']);
    assert.equal(net.trace((r) => r.message.status === 491 && r.message.method === 'UPDATE').length, 2);
    net.advance(6000);
    assert.equal(aliceSession.offerAnswer.state, 'stable');
    assert.equal(bobSession.offerAnswer.state, 'stable');
  });
});
