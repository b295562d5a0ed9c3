import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncomingInvite } from '../usage/incoming-invite.js';
import type { InviteSession, TerminationReason } from '../usage/invite-session.js';
import { SimNetwork } from './sim-network.js';

const OFFER = 'v=0\r\no=alice 1 1 IN IP4 10.0.0.1\r\n';
const ANSWER = 'v=0\r\no=bob 1 1 IN IP4 10.0.0.2\r\n';

function setup() {
  const net = new SimNetwork();
  const alice = net.addNode('alice');
  const bob = net.addNode('bob');
  return { net, alice, bob };
}

describe('basic call', () => {
  it('INVITE/180/200/ACK/BYE: the ladder of RFC 3261 §24.2 and both sessions end', () => {
    const { net, alice, bob } = setup();
    let incoming: IncomingInvite | undefined;
    bob.ua.on('invite', (inv) => {
      incoming = inv;
      inv.provisional(180);
    });
    const call = alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER });
    let accepted: InviteSession | undefined;
    const events: string[] = [];
    call.on('provisional', (r) => events.push(`provisional ${r.status}`));
    call.on('early', () => events.push('early'));
    call.on('accepted', (s) => {
      accepted = s;
      events.push('accepted');
    });
    net.advance(100);
    assert.ok(incoming);
    assert.equal(incoming.offer, OFFER);
    assert.deepEqual(events, ['early', 'provisional 180']);
    const bobSession = incoming.accept({ body: ANSWER });
    let bobConfirmed = false;
    bobSession.on('confirmed', () => {
      bobConfirmed = true;
    });
    net.advance(100);
    assert.deepEqual(events, ['early', 'provisional 180', 'accepted']);
    assert.ok(accepted);
    assert.equal(accepted.state, 'confirmed');
    assert.equal(accepted.offerAnswer.remoteDescription, ANSWER);
    assert.equal(bobSession.offerAnswer.remoteDescription, OFFER);
    assert.ok(bobConfirmed, 'the ACK confirmed the UAS session');
    // RFC 3261 §12.1: both sides name the same dialog with mirrored tags.
    assert.equal(accepted.dialog.callId, bobSession.dialog.callId);
    assert.equal(accepted.dialog.localTag, bobSession.dialog.remoteTag);
    assert.equal(accepted.dialog.remoteTag, bobSession.dialog.localTag);
    assert.equal(accepted.dialog.remoteTarget, bob.uri);
    let bobEnd: TerminationReason | undefined;
    bobSession.on('terminated', (r) => {
      bobEnd = r;
    });
    accepted.bye();
    net.advance(100);
    assert.equal(bobEnd, 'remote-bye');
    assert.equal(accepted.state, 'terminated');
    assert.deepEqual(net.trace(), [
      'alice>bob INVITE',
      'bob>alice 180 INVITE',
      'bob>alice 200 INVITE',
      'alice>bob ACK',
      'alice>bob BYE',
      'bob>alice 200 BYE',
    ]);
    // RFC 3261 §13.2.2.4: the ACK for the 2xx has the INVITE's CSeq number and its own branch.
    const invite = net.wire[0].message;
    const ack = net.wire.find((r) => r.message.method === 'ACK')!.message;
    assert.equal(ack.cseq?.seq, invite.cseq?.seq);
    assert.notEqual(ack.via[0].branch, invite.via[0].branch);
    // RFC 3261 §12.2.1.1: the BYE has a higher CSeq.
    const bye = net.wire.find((r) => r.message.method === 'BYE')!.message;
    assert.equal(bye.cseq?.seq, (invite.cseq?.seq ?? 0) + 1);
    assert.equal(alice.ua.dialogCount, 0);
    assert.equal(bob.ua.dialogCount, 0);
  });

  it('CANCEL before the answer: 487 to the INVITE (RFC 3261 §9)', () => {
    const { net, alice, bob } = setup();
    let incoming: IncomingInvite | undefined;
    let bobCancelled = false;
    bob.ua.on('invite', (inv) => {
      incoming = inv;
      inv.on('cancelled', () => {
        bobCancelled = true;
      });
      inv.provisional(180);
    });
    const call = alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER });
    let cancelled = false;
    call.on('cancelled', () => {
      cancelled = true;
    });
    net.advance(100);
    call.cancel();
    net.advance(200);
    assert.ok(cancelled);
    assert.ok(bobCancelled);
    assert.equal(incoming?.state, 'cancelled');
    const t = net.trace();
    assert.ok(t.includes('alice>bob CANCEL'));
    assert.ok(t.includes('bob>alice 200 CANCEL'));
    assert.ok(t.includes('bob>alice 487 INVITE'));
    assert.ok(t.includes('alice>bob ACK'), 'the transaction ACKs the 487');
  });

  it('a 2xx that crosses our CANCEL is ACKed, then the call is ended with BYE (RFC 3261 §9.1, §15)', () => {
    const { net, alice, bob } = setup();
    let incoming: IncomingInvite | undefined;
    bob.ua.on('invite', (inv) => {
      incoming = inv;
      inv.provisional(180);
    });
    const call = alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER });
    let cancelled = false;
    call.on('cancelled', () => {
      cancelled = true;
    });
    net.advance(100);
    let bobEnd: TerminationReason | undefined;
    // Both act at once: the CANCEL and the 200 cross on the wire.
    call.cancel();
    incoming?.accept({ body: ANSWER }).on('terminated', (r) => {
      bobEnd = r;
    });
    net.advance(500);
    assert.ok(cancelled);
    assert.equal(bobEnd, 'remote-bye');
    const t = net.trace();
    assert.ok(t.includes('bob>alice 200 CANCEL'), 'the CANCEL is answered');
    assert.ok(!t.includes('bob>alice 487 INVITE'), 'too late to cancel: no 487');
    assert.ok(t.indexOf('alice>bob ACK') < t.indexOf('alice>bob BYE'));
  });

  it('a rejected INVITE reports the status', () => {
    const { net, alice, bob } = setup();
    bob.ua.on('invite', (inv) => inv.reject(486));
    const call = alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER });
    let failed = 0;
    call.on('failed', (s) => {
      failed = s;
    });
    net.advance(200);
    assert.equal(failed, 486);
    assert.equal(call.state, 'failed');
  });

  it('2xx retransmitted at T1, 2T1, 4T1... until the ACK gets through (RFC 3261 §13.3.1.4)', () => {
    const { net, alice, bob } = setup();
    let bobSession: InviteSession | undefined;
    bob.ua.on('invite', (inv) => {
      bobSession = inv.accept({ body: ANSWER });
    });
    // Lose the first two ACKs.
    let acksLost = 0;
    net.drop = (m) => m.method === 'ACK' && acksLost++ < 2;
    const call = alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER });
    let confirmed = false;
    net.advance(50);
    bobSession?.on('confirmed', () => {
      confirmed = true;
    });
    net.advance(5000);
    assert.ok(confirmed);
    const oks = net.wire.filter((r) => r.from === 'bob' && r.message.status === 200);
    // 200 sent at ~10 ms, retransmitted at +500 and +1000 (two lost ACKs), then ACK #3 arrives.
    assert.equal(oks.length, 3);
    assert.equal(oks[1].at - oks[0].at, 500);
    assert.equal(oks[2].at - oks[1].at, 1000);
    const acks = net.wire.filter((r) => r.message.method === 'ACK');
    assert.equal(acks.length, 3, 'each 2xx retransmission is ACKed again');
    assert.equal(call.session?.state, 'confirmed');
  });

  it('no ACK within 64*T1: the UAS sends BYE (RFC 3261 §13.3.1.4)', () => {
    const { net, alice, bob } = setup();
    let reason: TerminationReason | undefined;
    bob.ua.on('invite', (inv) => {
      inv.accept({ body: ANSWER }).on('terminated', (r) => {
        reason = r;
      });
    });
    net.drop = (m) => m.method === 'ACK';
    alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER });
    net.advance(40_000);
    assert.equal(reason, 'no-ack');
    const oks = net.wire.filter(
      (r) => r.from === 'bob' && r.message.status === 200 && r.message.method === 'INVITE',
    );
    // Intervals T1, 2T1, 4T1, then capped at T2 = 4 s until 64*T1 = 32 s.
    const gaps = oks.slice(1).map((r, i) => r.at - oks[i].at);
    assert.deepEqual(gaps.slice(0, 4), [500, 1000, 2000, 4000]);
    assert.ok(gaps.every((g) => g <= 4000));
    assert.ok(net.trace().includes('bob>alice BYE'));
  });

  it('an in-dialog request for an unknown dialog gets 481 (RFC 3261 §12.2.2)', () => {
    const { net, alice, bob } = setup();
    let aliceSession: InviteSession | undefined;
    bob.ua.on('invite', (inv) => inv.accept({ body: ANSWER }));
    alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER }).on('accepted', (s) => {
      aliceSession = s;
    });
    net.advance(200);
    assert.ok(aliceSession);
    // Bob forgets the dialog (e.g. a restart): take his session down locally.
    const bobUsages = bob.ua.findDialog(
      aliceSession.dialog.callId,
      aliceSession.dialog.remoteTag,
      aliceSession.dialog.localTag,
    );
    assert.ok(bobUsages);
    (bobUsages.invite as InviteSession).terminate('local-bye');
    let status = 0;
    aliceSession.info('x', 'text/plain').on('response', (r) => {
      status = r.status;
    });
    let end: TerminationReason | undefined;
    aliceSession.on('terminated', (r) => {
      end = r;
    });
    net.advance(200);
    assert.equal(status, 481);
    // RFC 3261 §12.2.1.2: a 481 to an in-dialog request ends the dialog.
    assert.equal(end, 'request-failed');
  });

  it('a request with a CSeq lower than the last one gets 500 (RFC 3261 §12.2.2)', () => {
    const { net, alice, bob } = setup();
    let aliceSession: InviteSession | undefined;
    bob.ua.on('invite', (inv) => inv.accept({ body: ANSWER }));
    alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER }).on('accepted', (s) => {
      aliceSession = s;
    });
    net.advance(200);
    assert.ok(aliceSession);
    const first = aliceSession.message('hello');
    // Build an INFO reusing an old CSeq number.
    const stale = aliceSession.dialog.createRequest('INFO', {
      cseq: 1,
      body: 'old',
      contentType: 'text/plain',
    });
    let staleStatus = 0;
    alice.ua.sendRequest(stale, {
      onResponse: (r) => {
        staleStatus = r.status;
      },
    });
    net.advance(200);
    assert.equal(first.status, 200);
    assert.equal(staleStatus, 500);
  });

  it('MESSAGE out of and inside a dialog (RFC 3428)', () => {
    const { net, alice, bob } = setup();
    const got: string[] = [];
    bob.ua.on('message', (req) => {
      got.push(`out:${req.body}`);
      req.accept();
    });
    bob.ua.on('invite', (inv) => {
      inv.accept({ body: ANSWER }).on('message', (req) => {
        got.push(`in:${req.body}`);
        req.reject(488);
      });
    });
    const m = alice.ua.message({ to: `<${bob.uri}>`, body: 'hi' });
    let inStatus = 0;
    alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER }).on('accepted', (s) => {
      s.message('in dialog').on('response', (r) => {
        inStatus = r.status;
      });
    });
    net.advance(300);
    assert.equal(m.status, 200);
    assert.equal(inStatus, 488);
    assert.deepEqual(got.sort(), ['in:in dialog', 'out:hi']);
  });

  it('OPTIONS in and out of a dialog is answered 200 with Allow, Accept and Supported (RFC 3261 §11.2)', () => {
    const { net, alice, bob } = setup();
    const o = alice.ua.options({ to: `<${bob.uri}>` });
    bob.ua.on('invite', (inv) => inv.accept({ body: ANSWER }));
    let inDialog = 0;
    alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER }).on('accepted', (s) => {
      s.options().on('response', (r) => {
        inDialog = r.status;
      });
    });
    net.advance(300);
    assert.equal(inDialog, 200);
    assert.equal(o.status, 200);
    assert.ok(o.finalResponse?.allow.includes('REFER'));
    assert.ok(o.finalResponse?.supported.includes('100rel'));
    assert.equal(o.finalResponse?.getHeader('Accept'), 'application/sdp');
  });

  it('an INVITE body that is not a session description gets 415 with Accept', () => {
    const { net, alice, bob } = setup();
    let invited = false;
    bob.ua.on('invite', () => {
      invited = true;
    });
    const call = alice.ua.invite({ to: `<${bob.uri}>`, body: '<xml/>', contentType: 'application/xml' });
    let failed: number | undefined;
    let accept: string | undefined;
    call.on('failed', (s, r) => {
      failed = s;
      accept = r.getHeader('Accept');
    });
    net.advance(100);
    assert.equal(invited, false);
    assert.equal(failed, 415);
    assert.equal(accept, 'application/sdp');
  });

  it('Require with an unknown option tag gets 420 + Unsupported; a method not allowed gets 405 + Allow (RFC 3261 §8.2.1, §8.2.2.3)', () => {
    const { net, alice, bob } = setup();
    let failed: [number, string | undefined] | undefined;
    alice.ua
      .invite({ to: `<${bob.uri}>`, body: OFFER, headers: [['Require', 'foo']] })
      .on('failed', (s, r) => {
        failed = [s, r.getHeader('Unsupported')];
      });
    net.advance(100);
    assert.deepEqual(failed, [420, 'foo']);
    // Bob's stack does not take PUBLISH: 405 with the methods it does take.
    let status = 0;
    alice.ua
      .publish({ to: `<${bob.uri}>`, event: 'presence', body: 'x', contentType: 'text/plain' })
      .on('failed', (s) => {
        status = s;
      });
    net.advance(100);
    const allow = net.wire.find((r) => r.message.status === 405)?.message.allow ?? [];
    assert.equal(status, 405);
    assert.ok(allow.includes('INVITE') && !allow.includes('PUBLISH'));
  });

  it('INFO naming an Info-Package nobody handles gets 469 (RFC 6086 §4.2.2); a plain INFO 200', () => {
    const { net, alice, bob } = setup();
    bob.ua.on('invite', (inv) => inv.accept({ body: ANSWER }));
    const statuses: number[] = [];
    alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER }).on('accepted', (s) => {
      s.info('Signal=5', 'application/dtmf-relay', 'dtmf').on('response', (r) => statuses.push(r.status));
      s.info('x', 'text/plain').on('response', (r) => statuses.push(r.status));
    });
    net.advance(300);
    assert.deepEqual(statuses.sort(), [200, 469]);
  });

  it('a BYE in the early dialog: the INVITE is answered 487 (RFC 3261 §15.1.2)', () => {
    const { net, alice, bob } = setup();
    let incoming: IncomingInvite | undefined;
    bob.ua.on('invite', (inv) => {
      incoming = inv;
      inv.provisional(180);
    });
    let early: InviteSession | undefined;
    const call = alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER });
    call.on('early', (s) => {
      early = s;
    });
    let failed = 0;
    call.on('cancelled', () => {
      failed = 487;
    });
    net.advance(100);
    early?.bye();
    net.advance(100);
    assert.equal(incoming?.state, 'cancelled');
    assert.equal(failed, 487);
    assert.ok(net.trace().includes('bob>alice 487 INVITE'));
  });
});
