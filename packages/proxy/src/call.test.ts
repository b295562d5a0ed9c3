import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALICE, BOB, PROXY, World } from './sim-harness.test.helper.js';

describe('proxy: a basic call (RFC 3261 §16.6, §16.7, §16.12)', () => {
  it('forwards INVITE with Record-Route, returns 180/200, and routes ACK and BYE by the Route set', () => {
    const w = new World();
    w.proxy.route((req) =>
      req.requestUri === 'sip:bob@example.com' ? [{ uri: `sip:bob@${BOB}` }] : undefined,
    );
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB, { ringAfter: 100, final: { status: 200, after: 1000 } });
    const invite = alice.send('sip:bob@example.com');
    w.run(2000);

    const got = bob.requests.find((r) => r.method === 'INVITE');
    assert.ok(got, 'bob got the INVITE');
    // RFC 3261 §16.6 item 2: the Request-URI is the target; item 3: Max-Forwards decremented.
    assert.equal(got.requestUri, `sip:bob@${BOB}`);
    assert.equal(got.maxForwards, 69);
    // §16.6 item 4: Record-Route with lr; item 8: our Via on top of alice's.
    assert.deepEqual(got.getHeaders('Record-Route'), [`<sip:${PROXY}:5060;lr>`]);
    assert.equal(got.via.length, 2);
    assert.equal(got.via[0].host, PROXY);
    assert.equal(got.via[1].host, ALICE);

    // §16.7: 180 and 200 forwarded upstream with our Via popped, Record-Route kept.
    const statuses = alice.responses.map((r) => r.status);
    assert.deepEqual(statuses, [180, 200]);
    const ok = alice.responses[1];
    assert.equal(ok.via.length, 1);
    assert.equal(ok.via[0].host, ALICE);
    assert.deepEqual(ok.getHeaders('Record-Route'), [`<sip:${PROXY}:5060;lr>`]);

    // ACK and BYE go to the proxy (Route set) and on to bob's Contact.
    alice.inDialog('ACK', { asUac: ok, invite });
    w.run(100);
    assert.equal(bob.acks.length, 1);
    assert.equal(bob.acks[0].via[0].host, PROXY, 'the ACK came through the proxy');
    assert.equal(bob.acks[0].hasHeader('Route'), false, '§16.4: our Route value was popped');
    alice.inDialog('BYE', { asUac: ok, invite });
    w.run(1000);
    const bye = bob.requests.find((r) => r.method === 'BYE');
    assert.ok(bye);
    assert.equal(bye.via[0].host, PROXY);
    assert.equal(bye.maxForwards, 69);
    assert.deepEqual(alice.finals(), [200, 200], 'INVITE 200 then BYE 200');
    assert.equal(w.proxy.core.contextCount >= 0, true);
  });
});
