import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncomingInvite } from '../usage/incoming-invite.js';
import type { InviteSession, TerminationReason } from '../usage/invite-session.js';
import { SimNetwork } from './sim-network.js';

describe('100rel / PRACK (RFC 3262)', () => {
  it('a reliable 180 is retransmitted at T1, 2T1... while PRACKs are lost, then stops', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const bob = net.addNode('bob');
    let incoming: IncomingInvite | undefined;
    let pracked = 0;
    bob.ua.on('invite', (inv) => {
      incoming = inv;
      inv.provisional(180, { reliable: true });
      inv.session?.on('prack', () => pracked++);
    });
    // The first two PRACKs (and their retransmissions within 600 ms) are lost.
    net.drop = (m) => m.isRequest && m.method === 'PRACK' && net.now < 600;
    alice.ua.invite({ to: `<${bob.uri}>`, body: 'offer' });
    net.advance(3000);
    assert.equal(pracked, 1);
    const ringing = net.wire.filter((r) => r.from === 'bob' && r.message.status === 180);
    // Sent at 10, retransmitted after T1 and 2T1; the PRACK's own retransmission (Timer E, at
    // 1520, after the loss window) gets through and stops them.
    assert.deepEqual(
      ringing.map((r) => r.at - ringing[0].at),
      [0, 500, 1500],
    );
    const rseq = ringing.map((r) => r.message.getHeader('RSeq'));
    assert.equal(new Set(rseq).size, 1, 'retransmissions keep the RSeq');
    assert.deepEqual(ringing[0].message.require, ['100rel']);
    const prack = net.wire.find(
      (r) => r.message.isRequest && r.message.method === 'PRACK' && !r.dropped,
    )!.message;
    // RFC 3262 §7.2: RAck = RSeq, CSeq number and method of the provisional.
    assert.equal(prack.getHeader('RAck'), `${rseq[0]} 1 INVITE`);
    assert.equal(incoming?.state, 'pending');
  });

  it('a PRACK that matches nothing gets 481 (RFC 3262 §3)', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const bob = net.addNode('bob');
    bob.ua.on('invite', (inv) => inv.provisional(180, { reliable: true }));
    let early: InviteSession | undefined;
    alice.ua.invite({ to: `<${bob.uri}>`, body: 'offer' }).on('early', (s) => {
      early = s;
    });
    net.advance(200);
    assert.ok(early);
    const bogus = early.dialog.createRequest('PRACK', { headers: [['RAck', '1 1 INVITE']] });
    let status = 0;
    alice.ua.sendRequest(bogus, {
      onResponse: (r) => {
        status = r.status;
      },
    });
    net.advance(200);
    assert.equal(status, 481);
  });

  it('UPDATE in the early dialog after a reliable 183 answered the offer (RFC 3311 §5.1)', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const bob = net.addNode('bob');
    let incoming: IncomingInvite | undefined;
    const updates: Array<string | undefined> = [];
    bob.ua.on('invite', (inv) => {
      incoming = inv;
      inv.provisional(183, { reliable: true, body: 'answer-1' });
      inv.session?.on('update', (req, offer) => {
        updates.push(offer);
        req.accept({ body: 'answer-2' });
      });
    });
    let early: InviteSession | undefined;
    const answers: string[] = [];
    const call = alice.ua.invite({ to: `<${bob.uri}>`, body: 'offer-1' });
    call.on('early', (s) => {
      early = s;
      s.on('answer', (b) => answers.push(b));
    });
    net.advance(200);
    assert.ok(early);
    assert.equal(early.state, 'early');
    assert.equal(early.offerAnswer.state, 'stable', 'the reliable 183 completed the first exchange');
    early.update('offer-2');
    net.advance(200);
    assert.deepEqual(updates, ['offer-2']);
    assert.deepEqual(answers, ['answer-1', 'answer-2']);
    assert.equal(early.state, 'early');
    // The call is then answered with no new offer.
    incoming?.accept();
    net.advance(200);
    assert.equal(call.session, early);
    assert.equal(early.state, 'confirmed');
    assert.equal(incoming?.session?.offerAnswer.localDescription, 'answer-2');
    const updateReq = net.wire.find((r) => r.message.isRequest && r.message.method === 'UPDATE')!.message;
    assert.equal(updateReq.contentType?.subtype, 'sdp');
  });
});

describe('session timers (RFC 4028)', () => {
  function call(aliceTimer: number | undefined, bobTimer: number | undefined, bobMinSE = 90) {
    const net = new SimNetwork();
    const alice = net.addNode(
      'alice',
      aliceTimer === undefined ? {} : { sessionTimer: { sessionExpires: aliceTimer, minSE: 90 } },
    );
    const bob = net.addNode(
      'bob',
      bobTimer === undefined ? {} : { sessionTimer: { sessionExpires: bobTimer, minSE: bobMinSE } },
    );
    let bobSession: InviteSession | undefined;
    bob.ua.on('invite', (inv) => {
      bobSession = inv.accept({ body: 'answer' });
    });
    let aliceSession: InviteSession | undefined;
    const c = alice.ua.invite({ to: `<${bob.uri}>`, body: 'offer' });
    c.on('accepted', (s) => {
      aliceSession = s;
    });
    net.advance(100);
    return { net, alice, bob, c, aliceSession: () => aliceSession, bobSession: () => bobSession };
  }

  it('the UAC refreshes with UPDATE at half the interval, and the session survives', () => {
    const { net, aliceSession, bobSession } = call(120, 120);
    const a = aliceSession();
    const b = bobSession();
    assert.ok(a && b);
    assert.deepEqual(a.sessionTimer, { interval: 120, weRefresh: true });
    assert.deepEqual(b.sessionTimer, { interval: 120, weRefresh: false });
    const ok = net.wire.find((r) => r.message.status === 200 && r.message.method === 'INVITE')!.message;
    assert.equal(ok.getHeader('Session-Expires'), '120;refresher=uac');
    assert.ok(ok.require.includes('timer'));
    let refreshes = 0;
    a.on('refreshed', () => refreshes++);
    net.advance(125_000);
    // Refreshes at 60 s and 120 s.
    assert.equal(refreshes, 2);
    const updates = net.wire.filter((r) => r.message.isRequest && r.message.method === 'UPDATE');
    assert.equal(updates.length, 2);
    assert.ok(Math.abs(updates[0].at - 60_010) <= 20, `first refresh at ${updates[0].at}`);
    assert.equal(a.state, 'confirmed');
    assert.equal(b.state, 'confirmed');
  });

  it('without refreshes the non-refresher sends BYE before expiry (RFC 4028 §10)', () => {
    const { net, aliceSession, bobSession } = call(120, 120);
    const a = aliceSession();
    const b = bobSession();
    assert.ok(a && b);
    // Alice's refreshes get lost.
    net.drop = (m) => m.isRequest && m.method === 'UPDATE';
    let bobEnd: TerminationReason | undefined;
    let aliceEnd: TerminationReason | undefined;
    b.on('terminated', (r) => {
      bobEnd = r;
    });
    a.on('terminated', (r) => {
      aliceEnd = r;
    });
    net.advance(130_000);
    assert.equal(bobEnd, 'session-expired');
    const bye = net.wire.find((r) => r.message.isRequest && r.message.method === 'BYE')!;
    assert.equal(bye.from, 'bob');
    // RFC 4028 §10: expiry - min(32, interval/3) = 120 - 32 = 88 s after the 2xx.
    assert.ok(Math.abs(bye.at - 88_010) <= 20, `BYE at ${bye.at}`);
    // Alice's UPDATE timed out (408) or saw the BYE; either way her session is over.
    assert.ok(aliceEnd === 'remote-bye' || aliceEnd === 'request-failed');
  });

  it('a Session-Expires below Min-SE gets 422, and the UAC retries with the Min-SE (RFC 4028 §7.4, §9)', () => {
    // Alice asks for 100 s; bob's Min-SE is 300.
    const net2 = new SimNetwork();
    const alice = net2.addNode('alice', { sessionTimer: { sessionExpires: 100, minSE: 90 } });
    const bob = net2.addNode('bob', { sessionTimer: { sessionExpires: 1800, minSE: 300 } });
    let bobSession: InviteSession | undefined;
    bob.ua.on('invite', (inv) => {
      bobSession = inv.accept({ body: 'answer' });
    });
    let accepted = false;
    alice.ua.invite({ to: `<${bob.uri}>`, body: 'offer' }).on('accepted', () => {
      accepted = true;
    });
    net2.advance(300);
    assert.ok(accepted);
    const invites = net2.wire.filter((r) => r.message.isRequest && r.message.method === 'INVITE');
    assert.equal(invites.length, 2);
    const r422 = net2.wire.find((r) => r.message.status === 422)!.message;
    assert.equal(r422.getHeader('Min-SE'), '300');
    assert.equal(invites[1].message.getHeader('Session-Expires'), '300');
    assert.equal((invites[1].message.cseq?.seq ?? 0) - (invites[0].message.cseq?.seq ?? 0), 1);
    assert.equal(invites[1].message.callId, invites[0].message.callId);
    assert.equal(bobSession?.sessionTimer?.interval, 300);
    // The first (422) transaction ending later does not touch the call.
    net2.advance(40_000);
    assert.equal(bobSession?.state, 'confirmed');
    assert.equal(alice.ua.dialogCount, 1);
  });
});
