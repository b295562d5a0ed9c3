import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { ALICE, BOB, CAROL, World } from './sim-harness.test.helper.js';

const TWO = [{ uri: `sip:bob@${BOB}` }, { uri: `sip:carol@${CAROL}` }];

describe('proxy: forking and best response (RFC 3261 §16.6, §16.7, §16.8, §16.10)', () => {
  it('§16.7 item 10: parallel fork, the first 2xx wins and the other branch is CANCELled', () => {
    const w = new World();
    w.proxy.route(() => TWO);
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB, { ringAfter: 50, final: { status: 200, after: 1000 } });
    const carol = w.ua('carol', CAROL, { ringAfter: 50 });
    alice.send('sip:both@example.com');
    w.run(3000);
    assert.equal(bob.requests.filter((r) => r.method === 'INVITE').length, 1);
    assert.equal(carol.requests.filter((r) => r.method === 'INVITE').length, 1);
    assert.equal(carol.cancels.length, 1, 'carol was cancelled');
    // RFC 3326: the CANCEL says why.
    assert.match(carol.cancels[0].getHeader('Reason') ?? '', /cause=200/);
    assert.equal(bob.cancels.length, 0);
    assert.deepEqual(alice.finals(), [200], "alice sees bob's 200 only, not carol's 487");
    // Both branches got distinct branch parameters (§16.6 item 8).
    const b1 = bob.requests[0].via[0].branch;
    const b2 = carol.requests[0].via[0].branch;
    assert.notEqual(b1, b2);
  });

  it('§16.7 item 5: every 2xx of a forked INVITE is forwarded (two UAS answer at once)', () => {
    const w = new World();
    w.proxy.route(() => TWO);
    const alice = w.ua('alice', ALICE);
    w.ua('bob', BOB, { final: { status: 200, after: 300 } });
    w.ua('carol', CAROL, { final: { status: 200, after: 300 } });
    alice.send('sip:both@example.com');
    w.run(3000);
    const oks = alice.responses.filter((r) => r.status === 200);
    assert.equal(oks.length, 2);
    assert.deepEqual(oks.map((r) => r.to?.tag).sort(), ['bobtag', 'caroltag']);
  });

  it('§16.6/§16.8: sequential fork by q: the lower q group starts only after the higher one failed', () => {
    const w = new World();
    w.proxy.route(() => [
      { uri: `sip:carol@${CAROL}`, q: 0.5 },
      { uri: `sip:bob@${BOB}`, q: 1 },
    ]);
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB, { ringAfter: 50, final: { status: 486, after: 500 } });
    const carol = w.ua('carol', CAROL, { final: { status: 200, after: 100 } });
    alice.send('sip:seq@example.com');
    w.run(3000);
    assert.equal(bob.arrivals.length, 1);
    const carolInvite = carol.arrivals.find((a) => a.request.method === 'INVITE');
    assert.ok(carolInvite);
    assert.ok(carolInvite.at >= 500, `carol tried after bob's 486 (at ${carolInvite.at})`);
    assert.deepEqual(alice.finals(), [200]);
  });

  it('§16.7 item 6: 486 and 404 give the caller 486', () => {
    const w = new World();
    w.proxy.route(() => TWO);
    const alice = w.ua('alice', ALICE);
    w.ua('bob', BOB, { final: { status: 486, after: 200 } });
    w.ua('carol', CAROL, { final: { status: 404, after: 100 } });
    alice.send('sip:x@example.com');
    w.run(3000);
    assert.deepEqual(alice.finals(), [486]);
  });

  it('§16.7 item 5: a 6xx cancels the other branches and is the response sent', () => {
    const w = new World();
    w.proxy.route(() => TWO);
    const alice = w.ua('alice', ALICE);
    w.ua('bob', BOB, { ringAfter: 20, final: { status: 603, after: 300 } });
    const carol = w.ua('carol', CAROL, { ringAfter: 20 });
    alice.send('sip:x@example.com');
    w.run(3000);
    assert.equal(carol.cancels.length, 1);
    assert.match(carol.cancels[0].getHeader('Reason') ?? '', /cause=603/);
    assert.deepEqual(alice.finals(), [603], '603 beats the 487 of the cancelled branch');
  });

  it('§16.7 item 7: 401 and 407 are aggregated into one response with every challenge', () => {
    const w = new World();
    w.proxy.route(() => TWO);
    const alice = w.ua('alice', ALICE);
    w.ua('bob', BOB, {
      final: { status: 401, after: 100, headers: [['WWW-Authenticate', 'Digest realm="b", nonce="1"']] },
    });
    w.ua('carol', CAROL, {
      final: { status: 407, after: 200, headers: [['Proxy-Authenticate', 'Digest realm="c", nonce="2"']] },
    });
    alice.send('sip:x@example.com');
    w.run(3000);
    const finals = alice.responses.filter((r) => r.status >= 200);
    assert.equal(finals.length, 1);
    assert.ok(finals[0].status === 401 || finals[0].status === 407);
    assert.deepEqual(finals[0].getHeaders('WWW-Authenticate'), ['Digest realm="b", nonce="1"']);
    assert.deepEqual(finals[0].getHeaders('Proxy-Authenticate'), ['Digest realm="c", nonce="2"']);
  });

  it('§16.7 item 6: a 503 chosen as best is sent as 500', () => {
    const w = new World();
    w.proxy.route(() => [{ uri: `sip:bob@${BOB}` }]);
    const alice = w.ua('alice', ALICE);
    w.ua('bob', BOB, { final: { status: 503, after: 100 } });
    alice.send('sip:x@example.com');
    w.run(3000);
    assert.deepEqual(alice.finals(), [500]);
  });

  it('§16.9: an unreachable target (no address) counts as 503, sent as 500', () => {
    const w = new World();
    w.proxy.route(() => [{ uri: 'sip:bob@unresolvable.invalid' }]);
    const alice = w.ua('alice', ALICE);
    alice.send('sip:x@example.com');
    w.run(3000);
    assert.deepEqual(alice.finals(), [500]);
  });

  it('§16.10: a CANCEL from the caller cancels the pending branches; their 487 goes back', () => {
    const w = new World();
    w.proxy.route(() => TWO);
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB, { ringAfter: 20 });
    const carol = w.ua('carol', CAROL, { ringAfter: 20 });
    alice.send('sip:x@example.com');
    w.run(500);
    alice.cancel();
    w.run(3000);
    assert.equal(bob.cancels.length, 1);
    assert.equal(carol.cancels.length, 1);
    assert.equal(bob.cancels[0].hasHeader('Reason'), false, 'no Reason on a caller-initiated CANCEL');
    assert.deepEqual(alice.finalsOf('INVITE'), [487]);
    assert.deepEqual(alice.finalsOf('CANCEL'), [200]);
  });

  it('§16.10: a CANCEL while the routing function is still deciding ends the request with 487', async () => {
    const w = new World();
    let decide: ((v: Array<{ uri: string }>) => void) | undefined;
    w.proxy.route(
      () =>
        new Promise<Array<{ uri: string }>>((resolve) => {
          decide = resolve;
        }),
    );
    const alice = w.ua('alice', ALICE, { tryingMs: 50 });
    const bob = w.ua('bob', BOB, { final: { status: 200, after: 10 } });
    alice.send('sip:x@example.com');
    w.run(400); // the proxy's stack sent 100 Trying: alice may CANCEL now
    alice.cancel();
    w.run(500);
    assert.deepEqual(alice.finalsOf('INVITE'), [487]);
    assert.deepEqual(alice.finalsOf('CANCEL'), [200]);
    decide?.([{ uri: `sip:bob@${BOB}` }]);
    await tick();
    w.run(1000);
    assert.equal(bob.requests.length, 0, 'nothing forwarded after the CANCEL');
  });

  it('§16.10: a CANCEL between two q groups ends the request with 487', () => {
    const w = new World();
    w.proxy.route(() => [
      { uri: `sip:bob@${BOB}`, q: 1 },
      { uri: `sip:carol@${CAROL}`, q: 0.5 },
    ]);
    const alice = w.ua('alice', ALICE);
    w.ua('bob', BOB, { ringAfter: 10, final: { status: 486, after: 2000 } });
    const carol = w.ua('carol', CAROL, { final: { status: 200, after: 10 } });
    alice.send('sip:x@example.com');
    w.run(500);
    alice.cancel();
    w.run(5000);
    assert.deepEqual(alice.finalsOf('INVITE'), [487]);
    assert.equal(carol.requests.length, 0, 'the next group never started');
  });

  it('§16.6 item 11 / §16.8: Timer C expiry CANCELs a branch that only rang', () => {
    const w = new World();
    w.proxy.route(() => [{ uri: `sip:bob@${BOB}` }]);
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB, { ringAfter: 1000 });
    alice.send('sip:x@example.com');
    w.run(170_000);
    assert.equal(bob.cancels.length, 0, 'not before 3 minutes');
    w.run(20_000);
    assert.equal(bob.cancels.length, 1, 'cancelled by Timer C');
    w.run(2000);
    assert.deepEqual(alice.finals(), [487]);
  });

  it('§16.7 item 4: 3xx recursion: the Contacts join the target set', () => {
    const w = new World({ proxy: { redirects: 'recurse' } });
    w.proxy.route(() => [{ uri: `sip:bob@${BOB}` }]);
    const alice = w.ua('alice', ALICE);
    w.ua('bob', BOB, { final: { status: 302, after: 50, headers: [['Contact', `<sip:carol@${CAROL}>`]] } });
    const carol = w.ua('carol', CAROL, { final: { status: 200, after: 50 } });
    alice.send('sip:x@example.com');
    w.run(3000);
    assert.equal(carol.requests[0]?.requestUri, `sip:carol@${CAROL}`);
    assert.deepEqual(alice.finals(), [200]);
  });

  it('§16.7 item 4: 3xx returned to the caller by default', () => {
    const w = new World();
    w.proxy.route(() => [{ uri: `sip:bob@${BOB}` }]);
    const alice = w.ua('alice', ALICE);
    w.ua('bob', BOB, { final: { status: 302, after: 50, headers: [['Contact', `<sip:carol@${CAROL}>`]] } });
    const carol = w.ua('carol', CAROL, { final: { status: 200, after: 50 } });
    alice.send('sip:x@example.com');
    w.run(3000);
    assert.equal(carol.requests.length, 0);
    assert.deepEqual(alice.finals(), [302]);
    assert.equal(alice.responses.find((r) => r.status === 302)?.getHeader('Contact'), `<sip:carol@${CAROL}>`);
  });
});

describe('proxy: transport failures (RFC 3261 §16.9)', () => {
  it('§16.9: a TCP target that refuses the connection counts as 503, sent as 500', () => {
    const w = new World();
    w.proxy.route(() => [{ uri: 'sip:nobody@10.0.0.77;transport=tcp' }]);
    const alice = w.ua('alice', ALICE);
    alice.send('sip:x@example.com');
    w.run(3000);
    assert.deepEqual(alice.finals(), [500]);
  });

  it('§16.9: a failed branch does not stop the fork: the other answers', () => {
    const w = new World();
    w.proxy.route(() => [{ uri: 'sip:nobody@10.0.0.77;transport=tcp' }, { uri: `sip:bob@${BOB}` }]);
    const alice = w.ua('alice', ALICE);
    w.ua('bob', BOB, { final: { status: 200, after: 300 } });
    alice.send('sip:x@example.com');
    w.run(3000);
    assert.deepEqual(alice.finals(), [200]);
  });
});
