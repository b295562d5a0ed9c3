import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessage } from '@tsvoip/sip';
import { loopHash } from './loop.js';
import { ALICE, addr, BOB, PROXY, RAW, World } from './sim-harness.test.helper.js';

function rawInvite(
  o: { ruri?: string; extra?: string; mf?: number; vias?: string[]; method?: string } = {},
): string {
  const method = o.method ?? 'INVITE';
  const vias = o.vias ?? [`SIP/2.0/UDP ${RAW}:5060;branch=z9hG4bKraw1`];
  return [
    `${method} ${o.ruri ?? 'sip:bob@example.com'} SIP/2.0`,
    ...vias.map((v) => `Via: ${v}`),
    `Max-Forwards: ${o.mf ?? 70}`,
    `From: <sip:raw@${RAW}>;tag=rawtag`,
    'To: <sip:bob@example.com>',
    'Call-ID: raw-call-1',
    `CSeq: 1 ${method}`,
    `Contact: <sip:raw@${RAW}>`,
    ...(o.extra === undefined ? [] : [o.extra]),
    'Content-Length: 0',
    '',
    '',
  ].join('\n');
}

function setup() {
  const w = new World();
  w.bindRaw(addr(RAW));
  w.proxy.route(() => [{ uri: `sip:bob@${BOB}` }]);
  const bob = w.ua('bob', BOB, { final: { status: 200, after: 10 } });
  return { w, bob };
}

describe('proxy: request validation (RFC 3261 §16.3)', () => {
  it('§16.3 item 3: Max-Forwards 0 gets 483 and nothing is forwarded', () => {
    const { w, bob } = setup();
    w.sendRaw(addr(RAW), addr(PROXY), rawInvite({ mf: 0 }));
    w.run(1000);
    assert.deepEqual(w.rawStatuses(), [483]);
    assert.equal(bob.requests.length, 0);
  });

  it('§16.3 item 3: an OPTIONS with Max-Forwards 0 addressed to us is answered 200', () => {
    const { w, bob } = setup();
    w.sendRaw(addr(RAW), addr(PROXY), rawInvite({ method: 'OPTIONS', mf: 0, ruri: `sip:${PROXY}` }));
    w.run(1000);
    const res = w.rawMessages();
    assert.deepEqual(
      res.map((m) => m.status),
      [200],
    );
    assert.ok(res[0].getHeader('Allow')?.includes('INVITE'));
    assert.equal(bob.requests.length, 0);
  });

  it('§16.3 item 3: an OPTIONS with Max-Forwards 0 for someone else gets 483', () => {
    const { w } = setup();
    w.sendRaw(addr(RAW), addr(PROXY), rawInvite({ method: 'OPTIONS', mf: 0, ruri: `sip:bob@${BOB}` }));
    w.run(1000);
    assert.deepEqual(w.rawStatuses(), [483]);
  });

  it('§16.3 item 4: our sent-by with this request hash in the branch is a loop: 482', () => {
    const { w, bob } = setup();
    // What the request looks like when it comes back: same invariant parts, our Via inside.
    const probe = parseMessage(Buffer.from(rawInvite().replace(/\n/g, '\r\n')), { stream: false });
    const ours = `SIP/2.0/UDP ${PROXY}:5060;branch=z9hG4bK${loopHash(probe)}.px1`;
    w.sendRaw(
      addr(RAW),
      addr(PROXY),
      rawInvite({
        vias: [`SIP/2.0/UDP ${RAW}:5060;branch=z9hG4bKraw2`, ours, `SIP/2.0/UDP ${ALICE};branch=z9hG4bKa`],
      }),
    );
    w.run(1000);
    assert.deepEqual(w.rawStatuses(), [482]);
    assert.equal(bob.requests.length, 0);
  });

  it('§16.3 item 4: our sent-by with another hash is a spiral, forwarded', () => {
    const { w, bob } = setup();
    const ours = `SIP/2.0/UDP ${PROXY}:5060;branch=z9hG4bK0123456789abcdef.px1`;
    w.sendRaw(
      addr(RAW),
      addr(PROXY),
      rawInvite({ vias: [`SIP/2.0/UDP ${RAW}:5060;branch=z9hG4bKraw3`, ours] }),
    );
    w.run(1000);
    assert.equal(bob.requests.length, 1);
    assert.deepEqual(w.rawStatuses(), [200]);
  });

  it('§16.3 item 4: a request routed back to the proxy itself ends in 482', () => {
    const w = new World();
    w.bindRaw(addr(RAW));
    w.proxy.route(() => [{ uri: `sip:again@${PROXY}` }]);
    const answered: number[] = [];
    w.proxy.on('answered', (e) => answered.push(e.status));
    w.sendRaw(addr(RAW), addr(PROXY), rawInvite());
    w.run(40_000);
    // One spiral (the Request-URI changed once), then the same request again: the loop check
    // (not the stack's merged-request check) refuses it.
    assert.deepEqual(answered, [482]);
    assert.deepEqual(w.rawStatuses(), [482]);
  });

  it('§16.3 item 4: a spiral (retargeted back through the proxy) is forwarded, not refused', () => {
    const w = new World();
    // alias@example.com → bob@<the proxy itself> → bob@BOB: the request passes the proxy twice
    // with the same From tag, Call-ID and CSeq (not a merged request: RFC 3261 §8.2.2.2 is a UAS rule).
    w.proxy.route((req) =>
      req.requestUri === 'sip:alias@example.com'
        ? [{ uri: `sip:bob@${PROXY}` }]
        : [{ uri: `sip:bob@${BOB}` }],
    );
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB, { final: { status: 200, after: 50 } });
    alice.send('sip:alias@example.com');
    w.run(1000);
    assert.equal(bob.requests.length, 1);
    const via = bob.requests[0].via;
    assert.equal(via.length, 3, 'two Vias of ours: it spiralled once');
    assert.equal(bob.requests[0].maxForwards, 68);
    assert.deepEqual(alice.finals(), [200]);
  });

  it('§16.3 item 5: an unsupported Proxy-Require gets 420 with Unsupported', () => {
    const { w, bob } = setup();
    w.sendRaw(addr(RAW), addr(PROXY), rawInvite({ extra: 'Proxy-Require: foo, bar' }));
    w.run(1000);
    const res = w.rawMessages();
    assert.deepEqual(w.rawStatuses(), [420]);
    assert.deepEqual(res[0].getHeaders('Unsupported'), ['foo', 'bar']);
    assert.equal(bob.requests.length, 0);
  });

  it("§16.3: Require is not the proxy's business: forwarded untouched", () => {
    const w = new World();
    w.bindRaw(addr(RAW));
    w.proxy.route(() => [{ uri: `sip:bob@${BOB}` }]);
    const bob = w.ua('bob', BOB, { final: { status: 200, after: 10 }, supported: ['100rel', 'x-unknown'] });
    w.sendRaw(addr(RAW), addr(PROXY), rawInvite({ extra: 'Require: 100rel, x-unknown' }));
    w.run(1000);
    assert.equal(bob.requests.length, 1);
    assert.deepEqual(bob.requests[0].require, ['100rel', 'x-unknown']);
  });

  it('§16.3: a method the proxy does not know is forwarded, not answered 501', () => {
    const w = new World();
    w.bindRaw(addr(RAW));
    w.bindRaw(addr(BOB, 'UDP', 5070));
    w.proxy.route(() => [{ uri: `sip:bob@${BOB}:5070` }]);
    w.sendRaw(addr(RAW), addr(PROXY), rawInvite({ method: 'FOO' }));
    w.run(100);
    const got = w.rawMessages();
    assert.deepEqual(
      got.map((m) => (m.isRequest ? m.method : m.status)),
      ['FOO'],
      'the FOO reached the next hop and nothing came back to the sender',
    );
    assert.equal(got[0].via.length, 2);
  });

  it('§16.3 item 2: an unknown Request-URI scheme gets 416', () => {
    const { w } = setup();
    w.sendRaw(addr(RAW), addr(PROXY), rawInvite({ ruri: 'foo:bar@example.com' }));
    w.run(1000);
    assert.deepEqual(w.rawStatuses(), [416]);
  });
});

describe('proxy: Route processing (RFC 3261 §16.4)', () => {
  it('§16.4: strict-route fix-up: our Request-URI is replaced by the last Route value', () => {
    const { w, bob } = setup();
    w.sendRaw(
      addr(RAW),
      addr(PROXY),
      rawInvite({ ruri: `sip:${PROXY};lr`, extra: `Route: <sip:bob@${BOB}>` }).replace(
        'To: <sip:bob@example.com>',
        'To: <sip:bob@example.com>;tag=dlg',
      ),
    );
    w.run(1000);
    assert.equal(bob.requests.length, 1);
    assert.equal(bob.requests[0].requestUri, `sip:bob@${BOB}`);
    assert.equal(bob.requests[0].hasHeader('Route'), false);
  });

  it('§16.4 / §16.6 item 7: loose routing: our Route value popped, next hop from the next Route value', () => {
    const { w, bob } = setup();
    w.sendRaw(
      addr(RAW),
      addr(PROXY),
      rawInvite({
        ruri: 'sip:someone@elsewhere.example',
        extra: `Route: <sip:${PROXY};lr>, <sip:${BOB};lr>`,
      }),
    );
    w.run(1000);
    assert.equal(bob.requests.length, 1, 'sent to the host of the next Route value');
    assert.equal(bob.requests[0].requestUri, 'sip:someone@elsewhere.example');
    assert.deepEqual(bob.requests[0].getHeaders('Route'), [`<sip:${BOB};lr>`]);
    // §16.6 item 4: still record-routed (an outbound proxy stays on the dialog's path).
    assert.deepEqual(bob.requests[0].getHeaders('Record-Route'), [`<sip:${PROXY}:5060;lr>`]);
  });
});
