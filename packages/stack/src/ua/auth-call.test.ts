import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SipMessage } from '@tsvoip/sip';
import { DigestClientSession } from '../auth/client-session.js';
import type { DigestClientError } from '../auth/errors.js';
import { createHa1Lookup } from '../auth/ha1-lookup.js';
import { DigestServer } from '../auth/server.js';
import type { IncomingInvite } from '../usage/incoming-invite.js';
import type { InviteSession } from '../usage/invite-session.js';
import type { ServerRequest } from '../usage/server-request.js';
import { digestAuthenticator } from './auth-retry.js';
import { SimNetwork } from './sim-network.js';

const OFFER = 'v=0\r\no=alice 1 1 IN IP4 10.0.0.1\r\n';
const ANSWER = 'v=0\r\no=bob 1 1 IN IP4 10.0.0.2\r\n';
const REALM = 'example.com';
const lookup = createHa1Lookup(REALM, [{ username: 'alice', password: 'wonderland' }]);

function counter(): (size: number) => Uint8Array {
  let n = 0;
  return (size) => new Uint8Array(size).fill(++n & 0xff);
}

/** A digest verifier (a proxy's 407 or a UAS's 401) over the simulated clock. */
function verifier(net: SimNetwork, proxy: boolean) {
  const server = new DigestServer({
    realm: REALM,
    secret: new Uint8Array(32).fill(7),
    proxy,
    randomBytes: counter(),
  });
  const verified: string[] = [];
  /** Undefined when `request` carries valid credentials, else the challenge response parts. */
  const check = (request: SipMessage) => {
    const r = server.verify(
      {
        method: request.method,
        uri: request.requestUri,
        authorization: request.getHeaders(proxy ? 'Proxy-Authorization' : 'Authorization'),
      },
      net.now,
      lookup,
    );
    if (r.ok) {
      verified.push(`${request.method} ${r.username}`);
      return undefined;
    }
    return {
      status: r.statusCode,
      headers: r.challenges.map((c) => [r.challengeHeader, c] as const),
    };
  };
  return { check, verified };
}

function setup(password: string, proxy = true) {
  const net = new SimNetwork();
  const errors: DigestClientError[] = [];
  const client = new DigestClientSession({
    credentials: { username: 'alice', password },
    randomBytes: counter(),
  });
  const alice = net.addNode('alice', { authenticate: digestAuthenticator(client, (e) => errors.push(e)) });
  const bob = net.addNode('bob');
  const auth = verifier(net, proxy);
  return { net, alice, bob, auth, errors };
}

const invites = (net: SimNetwork) =>
  net.wire.filter((r) => r.from === 'alice' && r.message.method === 'INVITE' && r.message.isRequest);

describe('digest challenges to the requests the UA core sends (RFC 3261 §22.2)', () => {
  it('a 407 to INVITE is answered with Proxy-Authorization in a new transaction and the call is answered', () => {
    const { net, alice, bob, auth } = setup('wonderland');
    let bobSession: InviteSession | undefined;
    bob.ua.on('invite', (inv) => {
      const challenge = auth.check(inv.request);
      if (challenge !== undefined) return void inv.reject(challenge.status, { headers: challenge.headers });
      bobSession = inv.accept({ body: ANSWER });
    });
    const call = alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER });
    const firstTransaction = call.transactionId;
    let accepted: InviteSession | undefined;
    let failed = 0;
    call.on('accepted', (s) => {
      accepted = s;
    });
    call.on('failed', () => failed++);
    net.advance(200);
    assert.equal(failed, 0, 'the challenge does not reach the application');
    assert.ok(accepted && bobSession);
    assert.equal(accepted.state, 'confirmed');
    assert.deepEqual(auth.verified, ['INVITE alice']);
    assert.deepEqual(net.trace(), [
      'alice>bob INVITE',
      'bob>alice 407 INVITE',
      'alice>bob ACK',
      'alice>bob INVITE',
      'bob>alice 200 INVITE',
      'alice>bob ACK',
    ]);
    const [first, second] = invites(net).map((r) => r.message);
    // RFC 3261 §8.1.3.5 / §22.2: same Call-ID, From tag and To; CSeq + 1; a new branch.
    assert.equal(second.callId, first.callId);
    assert.equal(second.from?.tag, first.from?.tag);
    assert.equal(second.getHeader('To'), first.getHeader('To'));
    assert.equal(second.cseq?.seq, (first.cseq?.seq ?? 0) + 1);
    assert.notEqual(second.via[0].branch, first.via[0].branch);
    assert.equal(first.getHeaders('Proxy-Authorization').length, 0);
    assert.equal(second.getHeaders('Proxy-Authorization').length, 1);
    assert.equal(second.getHeaders('Authorization').length, 0);
    assert.equal(Buffer.from(second.body).toString('utf8'), OFFER);
    assert.notEqual(call.transactionId, firstTransaction);
    assert.equal(call.request.cseq?.seq, second.cseq?.seq);
    // The 2xx ACK and the next request follow the retried INVITE's CSeq (§13.2.2.4, §12.2.1.1).
    const ack = net.wire.filter((r) => r.message.method === 'ACK').at(-1)!.message;
    assert.equal(ack.cseq?.seq, second.cseq?.seq);
    accepted.bye();
    net.advance(100);
    const bye = net.wire.find((r) => r.message.method === 'BYE')!.message;
    assert.equal(bye.cseq?.seq, (second.cseq?.seq ?? 0) + 1);
    assert.equal(bobSession.state, 'terminated');
  });

  it('the INVITE option overrides the UA hook; without any hook the 407 fails the call', () => {
    const net = new SimNetwork();
    const alice = net.addNode('alice');
    const bob = net.addNode('bob');
    const auth = verifier(net, true);
    bob.ua.on('invite', (inv) => {
      const challenge = auth.check(inv.request);
      if (challenge !== undefined) return void inv.reject(challenge.status, { headers: challenge.headers });
      inv.accept({ body: ANSWER });
    });
    const plain = alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER });
    let status = 0;
    plain.on('failed', (s) => {
      status = s;
    });
    net.advance(200);
    assert.equal(status, 407);
    assert.equal(plain.state, 'failed');
    assert.equal(invites(net).length, 1);

    const client = new DigestClientSession({ credentials: { username: 'alice', password: 'wonderland' } });
    const withAuth = alice.ua.invite({
      to: `<${bob.uri}>`,
      body: OFFER,
      authenticate: digestAuthenticator(client),
    });
    net.advance(200);
    assert.equal(withAuth.state, 'accepted');
    assert.equal(invites(net).length, 3);
    withAuth.session?.bye();
    net.advance(100);
  });

  it('a wrong password fails the call with the second 407 after one retry (no loop)', () => {
    const { net, alice, bob, auth, errors } = setup('not-the-password');
    let challenged = 0;
    bob.ua.on('invite', (inv) => {
      const challenge = auth.check(inv.request);
      assert.ok(challenge);
      challenged++;
      inv.reject(challenge.status, { headers: challenge.headers });
    });
    const call = alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER });
    let failed: [number, SipMessage] | undefined;
    call.on('failed', (s, r) => {
      failed = [s, r];
    });
    net.advance(40_000);
    assert.ok(failed);
    assert.equal(failed[0], 407);
    assert.equal(call.state, 'failed');
    assert.equal(challenged, 2);
    assert.equal(invites(net).length, 2);
    // The challenge to the retry is final without asking the digest client again.
    assert.deepEqual(errors, []);
    assert.deepEqual(auth.verified, []);
  });

  it('a hook that always answers still gets one retry only', () => {
    const net = new SimNetwork();
    let asked = 0;
    const alice = net.addNode('alice', {
      authenticate: () => {
        asked++;
        return [['Proxy-Authorization', 'Digest username="x", realm="r", nonce="n", uri="u", response="0"']];
      },
    });
    const bob = net.addNode('bob');
    bob.ua.on('invite', (inv) =>
      inv.reject(407, { headers: [['Proxy-Authenticate', 'Digest realm="r", nonce="n"']] }),
    );
    const call = alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER });
    let status = 0;
    call.on('failed', (s) => {
      status = s;
    });
    net.advance(40_000);
    assert.equal(status, 407);
    assert.equal(asked, 1);
    assert.equal(invites(net).length, 2);
  });

  it('the CANCEL of a retried INVITE matches the new transaction (RFC 3261 §9.1)', () => {
    const { net, alice, bob, auth } = setup('wonderland');
    let incoming: IncomingInvite | undefined;
    bob.ua.on('invite', (inv) => {
      const challenge = auth.check(inv.request);
      if (challenge !== undefined) return void inv.reject(challenge.status, { headers: challenge.headers });
      incoming = inv;
      inv.provisional(180);
    });
    const call = alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER });
    let cancelled = false;
    call.on('cancelled', () => {
      cancelled = true;
    });
    net.advance(200);
    assert.ok(incoming);
    assert.equal(call.state, 'proceeding');
    call.cancel();
    net.advance(200);
    assert.ok(cancelled);
    assert.equal(incoming.state, 'cancelled');
    const retried = invites(net)[1].message;
    const cancel = net.wire.find((r) => r.message.method === 'CANCEL' && r.message.isRequest)!.message;
    // RFC 3261 §9.1: the CANCEL has the INVITE's branch, Call-ID, From, To and CSeq number.
    assert.equal(cancel.via[0].branch, retried.via[0].branch);
    assert.equal(cancel.cseq?.seq, retried.cseq?.seq);
    assert.ok(net.trace().includes('bob>alice 487 INVITE'));
    assert.ok(net.trace().includes('bob>alice 200 CANCEL'));
  });

  it('a cancelled INVITE is not retried with credentials', () => {
    const { net, alice, bob, auth } = setup('wonderland');
    bob.ua.on('invite', (inv) => {
      inv.provisional(100 + 83);
      const challenge = auth.check(inv.request);
      if (challenge !== undefined) return void inv.reject(challenge.status, { headers: challenge.headers });
    });
    const call = alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER });
    let cancelled = false;
    call.on('cancelled', () => {
      cancelled = true;
    });
    call.cancel();
    net.advance(40_000);
    assert.ok(cancelled);
    assert.equal(invites(net).length, 1);
  });

  it('in-dialog MESSAGE, INFO and re-INVITE challenged with 401 go again with Authorization and the dialog CSeq', () => {
    const { net, alice, bob } = setup('wonderland', false);
    const auth = verifier(net, false);
    let bobSession: InviteSession | undefined;
    bob.ua.on('invite', (inv) => {
      bobSession = inv.accept({ body: ANSWER });
      const guard = (sr: ServerRequest) => {
        const challenge = auth.check(sr.request);
        if (challenge !== undefined) sr.reject(challenge.status, { headers: challenge.headers });
        else sr.accept();
      };
      bobSession.on('message', guard);
      bobSession.on('info', guard);
      bobSession.on('reinvite', (sr) => {
        const challenge = auth.check(sr.request);
        if (challenge !== undefined) sr.reject(challenge.status, { headers: challenge.headers });
        else sr.accept({ body: ANSWER });
      });
    });
    const call = alice.ua.invite({ to: `<${bob.uri}>`, body: OFFER });
    net.advance(200);
    const session = call.session;
    assert.ok(session && bobSession);
    const message = session.message('hello');
    const sentFirst = message.request;
    net.advance(200);
    assert.equal(message.status, 200);
    assert.notEqual(message.request, sentFirst);
    assert.equal(message.request.cseq?.seq, (sentFirst.cseq?.seq ?? 0) + 1);
    assert.equal(message.request.getHeaders('Authorization').length, 1);
    // The dialog's local CSeq moved past the retry: the INFO is numbered after it (§12.2.1.1).
    const info = session.info('signal=1', 'application/dtmf-relay');
    assert.equal(info.request.cseq?.seq, (message.request.cseq?.seq ?? 0) + 1);
    net.advance(200);
    assert.equal(info.status, 200);
    let modifyFailed = 0;
    session.on('modify-failed', () => modifyFailed++);
    let answered = '';
    session.on('answer', (a) => {
      answered = a;
    });
    session.reinvite(OFFER);
    net.advance(200);
    assert.equal(modifyFailed, 0);
    assert.equal(answered, ANSWER);
    assert.equal(session.state, 'confirmed');
    assert.deepEqual(auth.verified, ['MESSAGE alice', 'INFO alice', 'INVITE alice']);
    const methods = net.trace((r) => r.from === 'bob' && !r.message.isRequest);
    assert.deepEqual(methods, [
      'bob>alice 200 INVITE',
      'bob>alice 401 MESSAGE',
      'bob>alice 200 MESSAGE',
      'bob>alice 401 INFO',
      'bob>alice 200 INFO',
      'bob>alice 401 INVITE',
      'bob>alice 200 INVITE',
    ]);
    // The retried re-INVITE's 2xx is ACKed with its CSeq; bob's dialog took every CSeq in order.
    const reinvites = invites(net)
      .slice(1)
      .map((r) => r.message);
    const ack = net.wire.filter((r) => r.message.method === 'ACK').at(-1)!.message;
    assert.equal(ack.cseq?.seq, reinvites[1].cseq?.seq);
    assert.equal(bobSession.dialog.remoteSeq, reinvites[1].cseq?.seq);
    session.bye();
    net.advance(100);
  });

  it('out-of-dialog MESSAGE and OPTIONS are retried; the second 401 reaches the application', () => {
    const { net, alice, bob } = setup('wonderland', false);
    const auth = verifier(net, false);
    let rejectAll = false;
    const guard = (sr: ServerRequest) => {
      const challenge = auth.check(sr.request);
      if (challenge !== undefined) sr.reject(challenge.status, { headers: challenge.headers });
      else if (rejectAll)
        sr.reject(401, { headers: [['WWW-Authenticate', `Digest realm="${REALM}", nonce="x"`]] });
      else sr.accept();
    };
    bob.ua.on('message', guard);
    bob.ua.on('options', guard);
    const m = alice.ua.message({ to: `<${bob.uri}>`, body: 'hi' });
    const o = alice.ua.options({ to: `<${bob.uri}>` });
    net.advance(200);
    assert.equal(m.status, 200);
    assert.equal(o.status, 200);
    assert.equal(m.request.cseq?.seq, 2);
    assert.equal(m.request.getHeaders('Authorization').length, 1);
    assert.deepEqual(auth.verified, ['MESSAGE alice', 'OPTIONS alice']);
    rejectAll = true;
    const again = alice.ua.message({ to: `<${bob.uri}>`, body: 'again' });
    net.advance(200);
    assert.equal(again.status, 401);
    assert.equal(net.trace((r) => r.from === 'alice' && r.message.method === 'MESSAGE').length, 4);
  });
});
