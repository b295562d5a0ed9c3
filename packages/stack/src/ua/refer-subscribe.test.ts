import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncomingInvite } from '../usage/incoming-invite.js';
import type { InviteSession, TerminationReason } from '../usage/invite-session.js';
import type { IncomingRefer } from '../usage/refer.js';
import type { NotifierSubscription } from '../usage/subscription.js';
import { SimNetwork, type SimNode } from './sim-network.js';

function connect(net: SimNetwork, caller: SimNode, callee: SimNode) {
  let calleeSession: InviteSession | undefined;
  let callerSession: InviteSession | undefined;
  const onInvite = (inv: IncomingInvite) => {
    if (inv.replaces !== undefined) return;
    calleeSession = inv.accept({ body: `${callee.name}-sdp` });
  };
  callee.ua.on('invite', onInvite);
  caller.ua.invite({ to: `<${callee.uri}>`, body: `${caller.name}-sdp` }).on('accepted', (s) => {
    callerSession = s;
  });
  net.advance(200);
  callee.ua.off('invite', onInvite);
  assert.ok(callerSession && calleeSession);
  return { callerSession, calleeSession };
}

describe('REFER (RFC 3515)', () => {
  it('REFER in a dialog: 202, then NOTIFY sipfrag 100 Trying, 180 Ringing, 200 OK and the subscription ends', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const bob = net.addNode('bob');
    const carol = net.addNode('carol');
    const { callerSession, calleeSession } = connect(net, alice, bob);
    let refer: IncomingRefer | undefined;
    calleeSession.on('refer', (r) => {
      refer = r;
      r.accept();
      // Bob calls Carol as asked and reports the progress.
      const c = bob.ua.invite({ to: `<${r.referTo}>`, body: 'bob-sdp', referredBy: r.referredBy });
      c.on('provisional', (p) => r.notify(p.status, p.reason));
      c.on('accepted', () => r.notify(200, 'OK'));
    });
    const atCarol: IncomingInvite[] = [];
    carol.ua.on('invite', (inv) => {
      inv.provisional(180);
      atCarol.push(inv);
    });
    const out = callerSession.refer(carol.uri, { referredBy: '<sip:alice@example.com>' });
    const progress: number[] = [];
    let done: [number, string] | undefined;
    out.on('progress', (s) => progress.push(s));
    out.on('done', (s, reason) => {
      done = [s, reason];
    });
    net.advance(200);
    assert.ok(refer);
    assert.equal(refer.referTo, carol.uri);
    assert.equal(refer.referredBy, '<sip:alice@example.com>');
    atCarol[0].accept({ body: 'carol-sdp' });
    net.advance(300);
    assert.deepEqual(progress, [100, 180, 200]);
    assert.deepEqual(done, [200, 'noresource']);
    const notifies = net.wire
      .filter((r) => r.message.isRequest && r.message.method === 'NOTIFY')
      .map((r) => r.message);
    // RFC 3515 §2.4.6: Event refer;id=<CSeq of the REFER>; message/sipfrag bodies.
    const referReq = net.wire.find((r) => r.message.isRequest && r.message.method === 'REFER')!.message;
    assert.equal(notifies[0].getHeader('Event'), `refer;id=${referReq.cseq?.seq}`);
    assert.equal(notifies[0].contentType?.subtype, 'sipfrag');
    assert.match(notifies[0].getHeader('Subscription-State') ?? '', /^active/);
    assert.equal(notifies.at(-1)?.getHeader('Subscription-State'), 'terminated;reason=noresource');
    assert.ok(net.trace().includes('bob>alice 202 REFER'));
    // The INVITE session of the REFER's dialog is untouched.
    assert.equal(callerSession.state, 'confirmed');
    const inviteToCarol = net.wire.find((r) => r.to === 'carol' && r.message.method === 'INVITE')!.message;
    assert.equal(inviteToCarol.getHeader('Referred-By'), '<sip:alice@example.com>');
  });

  it('the referrer drops the implicit subscription at expiry when the final NOTIFY is lost (RFC 3515 §2.4.4)', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const bob = net.addNode('bob');
    const { callerSession, calleeSession } = connect(net, alice, bob);
    let refer: IncomingRefer | undefined;
    calleeSession.on('refer', (r) => {
      refer = r;
      r.accept(30);
    });
    let done: string | undefined;
    callerSession.refer('sip:x@10.0.0.9').on('done', (_s, reason) => {
      done = reason;
    });
    net.advance(200);
    assert.ok(refer);
    net.drop = (m) => m.isRequest && m.method === 'NOTIFY';
    refer.notify(200, 'OK');
    net.advance(20_000);
    assert.equal(done, undefined);
    net.advance(50_000);
    assert.equal(done, 'timeout');
    assert.equal(callerSession.usages.subscriptions.size, 0);
    assert.equal(callerSession.state, 'confirmed');
  });

  it('REFER out of any dialog creates its own dialog for the NOTIFYs (RFC 3515 §2.4.1)', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const bob = net.addNode('bob');
    bob.ua.on('refer', (r) => {
      r.accept();
      r.notify(180, 'Ringing');
    });
    const progress: number[] = [];
    alice.ua.refer(`<${bob.uri}>`, 'sip:carol@10.0.0.3').on('progress', (s) => progress.push(s));
    net.advance(300);
    assert.deepEqual(progress, [100, 180]);
    assert.equal(alice.ua.dialogCount, 1);
    assert.equal(bob.ua.dialogCount, 1);
  });

  it('REFER without a listener is declined (603)', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const bob = net.addNode('bob');
    const { callerSession } = connect(net, alice, bob);
    let done: [number, string] | undefined;
    callerSession.refer('sip:x@10.0.0.9').on('done', (s, r) => {
      done = [s, r];
    });
    net.advance(200);
    assert.deepEqual(done, [0, 'rejected:603']);
  });
});

describe('Replaces (RFC 3891)', () => {
  it('an INVITE with Replaces naming a confirmed dialog takes it over; the old one gets BYE', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const bob = net.addNode('bob');
    const carol = net.addNode('carol');
    const { callerSession: aliceToBob, calleeSession: bobFromAlice } = connect(net, alice, bob);
    let replacing: IncomingInvite | undefined;
    bob.ua.on('invite', (inv) => {
      replacing = inv;
      inv.accept({ body: 'bob-sdp-2' });
    });
    let aliceEnd: TerminationReason | undefined;
    aliceToBob.on('terminated', (r) => {
      aliceEnd = r;
    });
    // Carol replaces Alice's call with Bob. From Bob's view: to-tag = his local tag.
    const d = bobFromAlice.dialog;
    let accepted = false;
    carol.ua
      .invite({
        to: `<${bob.uri}>`,
        body: 'carol-sdp',
        replaces: { callId: d.callId, toTag: d.localTag, fromTag: d.remoteTag, earlyOnly: false },
      })
      .on('accepted', () => {
        accepted = true;
      });
    net.advance(300);
    assert.ok(accepted);
    assert.equal(replacing?.replaces, bobFromAlice);
    assert.equal(aliceEnd, 'remote-bye');
    assert.equal(bobFromAlice.state, 'terminated');
  });

  it('Replaces naming our own early dialog: accepted, and our INVITE is cancelled (RFC 3891 §3, call pickup)', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const bob = net.addNode('bob');
    const carol = net.addNode('carol');
    bob.ua.on('invite', (inv) => inv.provisional(180));
    const toBob = alice.ua.invite({ to: `<${bob.uri}>`, body: 'a' });
    let early: InviteSession | undefined;
    toBob.on('early', (s) => {
      early = s;
    });
    let cancelled = false;
    toBob.on('cancelled', () => {
      cancelled = true;
    });
    net.advance(100);
    assert.ok(early);
    let picked: InviteSession | undefined;
    alice.ua.on('invite', (inv) => {
      picked = inv.accept({ body: 'a2' });
    });
    // Carol picks the call up: from Alice's view to-tag = her local tag.
    const d = early.dialog;
    carol.ua.invite({
      to: `<${alice.uri}>`,
      body: 'c',
      replaces: { callId: d.callId, toTag: d.localTag, fromTag: d.remoteTag, earlyOnly: true },
    });
    net.advance(300);
    assert.ok(picked);
    assert.ok(cancelled, 'the replaced early dialog was cancelled');
    assert.ok(net.trace().includes('alice>bob CANCEL'));
  });

  it('481 when no dialog matches, 486 for early-only on a confirmed dialog, 481 for an early dialog not ours', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const bob = net.addNode('bob');
    const carol = net.addNode('carol');
    const { calleeSession } = connect(net, alice, bob);
    const d = calleeSession.dialog;
    const statuses: number[] = [];
    const tryReplace = (callId: string, toTag: string, fromTag: string, earlyOnly: boolean) =>
      carol.ua
        .invite({ to: `<${bob.uri}>`, body: 'c', replaces: { callId, toTag, fromTag, earlyOnly } })
        .on('failed', (s) => statuses.push(s));
    tryReplace('nope', 'x', 'y', false);
    net.advance(100);
    tryReplace(d.callId, d.localTag, d.remoteTag, true);
    net.advance(100);
    // An early dialog at Dave where Dave is the UAS (not initiated by him).
    const dave = net.addNode('dave');
    let early: IncomingInvite | undefined;
    dave.ua.on('invite', (inv) => {
      if (early === undefined) {
        early = inv;
        inv.provisional(180);
      }
    });
    alice.ua.invite({ to: `<${dave.uri}>`, body: 'a' });
    net.advance(100);
    const ed = early?.session?.dialog;
    assert.ok(ed);
    carol.ua
      .invite({
        to: `<${dave.uri}>`,
        body: 'c',
        replaces: { callId: ed.callId, toTag: ed.localTag, fromTag: ed.remoteTag, earlyOnly: false },
      })
      .on('failed', (s) => statuses.push(s));
    net.advance(100);
    assert.deepEqual(statuses, [481, 486, 481]);
  });
});

describe('SUBSCRIBE/NOTIFY (RFC 6665)', () => {
  function presence() {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const bob = net.addNode('bob');
    let notifier: NotifierSubscription | undefined;
    bob.ua.on('subscribe', (s) => {
      notifier = s;
      s.accept(s.request.expires ?? 3600, { body: 'open', contentType: 'application/pidf+xml' });
    });
    const sub = alice.ua.subscribe({ to: `<${bob.uri}>`, event: 'presence', expires: 120 });
    const notes: string[] = [];
    sub.on('notify', (_r, st, body) => notes.push(`${st.state}:${body}`));
    let ended: string | undefined;
    sub.on('terminated', (r) => {
      ended = r;
    });
    net.advance(200);
    return { net, alice, bob, sub, notes, notifier: () => notifier, ended: () => ended };
  }

  it('accepted subscription: NOTIFY at once, refreshed before expiry, state changes notified', () => {
    const { net, sub, notes, notifier } = presence();
    assert.equal(sub.state, 'active');
    assert.deepEqual(notes, ['active:open']);
    const n = notifier();
    assert.ok(n);
    let refreshed = 0;
    n.on('refreshed', () => refreshed++);
    // Refresh at 120 - min(32, 60) = 88 s.
    net.advance(100_000);
    assert.equal(refreshed, 1);
    assert.deepEqual(
      notes,
      ['active:open', 'active:open'],
      'a NOTIFY follows each SUBSCRIBE (RFC 6665 §4.2.1.2)',
    );
    n.notify('closed');
    net.advance(100);
    assert.equal(notes.at(-1), 'active:closed');
    const subs = net.wire.filter((r) => r.message.isRequest && r.message.method === 'SUBSCRIBE');
    assert.equal(subs.length, 2);
    assert.ok(Math.abs(subs[1].at - 88_010) <= 20, `refresh at ${subs[1].at}`);
    assert.ok(subs[1].message.to?.tag !== undefined, 'the refresh is in the dialog');
  });

  it('unsubscribe: Expires 0, final NOTIFY terminated, dialog gone', () => {
    const { net, alice, bob, sub, notes, ended } = presence();
    sub.unsubscribe();
    net.advance(200);
    assert.equal(ended(), 'timeout');
    assert.equal(notes.at(-1), 'terminated:open');
    assert.equal(alice.ua.dialogCount, 0);
    assert.equal(bob.ua.dialogCount, 0);
  });

  it('the notifier ends the subscription when it expires without refresh', () => {
    const { net, sub, ended } = presence();
    net.drop = (m) => m.isRequest && m.method === 'SUBSCRIBE';
    net.advance(130_000);
    assert.equal(ended(), 'timeout');
    assert.equal(sub.state, 'terminated');
  });

  it('a NOTIFY that arrives before the 2xx to SUBSCRIBE creates the dialog (RFC 6665 §4.1.2.4)', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const bob = net.addNode('bob');
    bob.ua.on('subscribe', (s) => s.accept(60, { body: 'x' }));
    // Delay bob's 200 to SUBSCRIBE: drop it once; the SUBSCRIBE retransmission gets it again.
    let dropped = false;
    net.drop = (m) => {
      if (!dropped && !m.isRequest && m.method === 'SUBSCRIBE') {
        dropped = true;
        return true;
      }
      return false;
    };
    const sub = alice.ua.subscribe({ to: `<${bob.uri}>`, event: 'dialog', expires: 60 });
    let notified = false;
    let acceptedAfterNotify = false;
    sub.on('notify', () => {
      notified = true;
    });
    sub.on('accepted', () => {
      acceptedAfterNotify = notified;
    });
    net.advance(100);
    assert.ok(notified);
    assert.equal(sub.state, 'active');
    assert.ok(sub.dialog);
    net.advance(1000);
    assert.ok(acceptedAfterNotify);
    assert.equal(alice.ua.dialogCount, 1);
  });

  it('SUBSCRIBE without a listener gets 489 Bad Event', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    net.addNode('bob');
    const sub = alice.ua.subscribe({ to: '<sip:bob@10.0.0.2:5060>', event: 'presence' });
    let ended: string | undefined;
    sub.on('terminated', (r) => {
      ended = r;
    });
    net.advance(100);
    assert.equal(ended, 'rejected:489');
  });
});

describe('PUBLISH (RFC 3903)', () => {
  it('initial PUBLISH, refresh with SIP-If-Match and no body, modify, remove', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const esc = net.addNode('esc', {}, ['PUBLISH']);
    // A minimal ESC: answers each PUBLISH with a fresh entity tag.
    let n = 0;
    const seen: Array<{ ifMatch?: string; body: string; expires?: number }> = [];
    esc.ua.on('request', (req) => {
      seen.push({
        ifMatch: req.request.getHeader('SIP-If-Match'),
        body: req.body,
        expires: req.request.expires,
      });
      req.accept({
        headers: [
          ['SIP-ETag', `e${++n}`],
          ['Expires', String(req.request.expires ?? 3600)],
        ],
      });
    });
    const pub = alice.ua.publish({
      to: '<sip:esc@10.0.0.2:5060>',
      event: 'presence',
      body: 'open',
      contentType: 'application/pidf+xml',
      expires: 100,
    });
    const etags: string[] = [];
    pub.on('published', (e) => etags.push(e));
    net.advance(200);
    assert.deepEqual(etags, ['e1']);
    net.advance(70_000); // refresh at 100 - 32 = 68 s
    assert.deepEqual(etags, ['e1', 'e2']);
    pub.modify('closed');
    net.advance(200);
    let removed = false;
    pub.on('removed', () => {
      removed = true;
    });
    pub.remove();
    net.advance(200);
    assert.ok(removed);
    assert.deepEqual(seen, [
      { ifMatch: undefined, body: 'open', expires: 100 },
      { ifMatch: 'e1', body: '', expires: 100 },
      { ifMatch: 'e2', body: 'closed', expires: 100 },
      { ifMatch: 'e3', body: '', expires: 0 },
    ]);
  });
});
