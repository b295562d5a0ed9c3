import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { StaticResolver } from '@tsvoip/transport';
import type { FinalEvent } from './core-io.js';
import { createNextHopResolver } from './resolve.js';
import { ALICE, addr, BOB, CAROL, PROXY, RAW, World } from './sim-harness.test.helper.js';

const TARGET = '10.0.0.8';

const INBOUND = [
  'INVITE sip:bob@example.com SIP/2.0',
  'v: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKbytes1',
  'Max-Forwards:   12',
  'f: "Raw"  <sip:raw@10.0.0.9>;tag=abc',
  't:<sip:bob@example.com>',
  'i: bytes-1@10.0.0.9',
  'CSeq:    7   INVITE',
  'X-Custom:  odd   spacing ,kept',
  'Subject: a\r\n folded line',
  'Contact: <sip:raw@10.0.0.9>',
  'c: application/sdp',
  'l: 4',
  '',
  'v=0\n',
].join('\r\n');

function headerLines(text: string): string[] {
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  // Unfold first, so a folded header counts as one line.
  return head
    .replace(/\r\n[ \t]/g, ' @FOLD@ ')
    .split('\r\n')
    .slice(1);
}

const CHANGED = /^(via|v|max-forwards|route|record-route)\s*:/i;

describe('proxy: forwarding (RFC 3261 §16.6)', () => {
  it('§16.6: untouched headers and the body are byte-identical; only Via, Max-Forwards, Route, Record-Route and the Request-URI change', () => {
    const w = new World();
    w.proxy.route(() => [{ uri: `sip:bob@${TARGET}` }]);
    w.bindRaw(addr(TARGET));
    w.bindRaw(addr(RAW));
    w.network.send(addr(RAW), addr(PROXY), Buffer.from(INBOUND, 'latin1'), 0);
    w.run(100);
    const out = w.raw.find((d) => d.to.host === TARGET);
    assert.ok(out, 'forwarded');
    const text = Buffer.from(out.bytes).toString('latin1');
    assert.equal(text.slice(0, text.indexOf('\r\n')), `INVITE sip:bob@${TARGET} SIP/2.0`);
    const before = headerLines(INBOUND).filter((l) => !CHANGED.test(l));
    const after = headerLines(text).filter((l) => !CHANGED.test(l));
    assert.deepEqual(after, before);
    assert.ok(text.endsWith('\r\n\r\nv=0\n'), 'body unchanged');
    assert.ok(/\r\nMax-Forwards: 11\r\n/.test(text), 'Max-Forwards decremented (§16.6 item 3)');
  });

  it('§16.6 item 3: a request without Max-Forwards gets 70', () => {
    const w = new World();
    w.proxy.route(() => [{ uri: `sip:bob@${TARGET}` }]);
    w.bindRaw(addr(TARGET));
    w.bindRaw(addr(RAW));
    const noMf = INBOUND.replace('Max-Forwards:   12\r\n', '');
    w.network.send(addr(RAW), addr(PROXY), Buffer.from(noMf, 'latin1'), 0);
    w.run(100);
    const out = w.raw.find((d) => d.to.host === TARGET);
    assert.ok(out);
    assert.match(Buffer.from(out.bytes).toString('latin1'), /\r\nMax-Forwards: 70\r\n/);
  });

  it('§16.6 item 5: a target may add headers to its copy', () => {
    const w = new World();
    w.proxy.route(() => [{ uri: `sip:bob@${BOB}`, headers: [['X-Routed-By', 'test']] }]);
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB, { final: { status: 200, after: 10 } });
    alice.send('sip:bob@example.com');
    w.run(500);
    assert.equal(bob.requests[0].getHeader('X-Routed-By'), 'test');
  });
});

describe('proxy: routing API', () => {
  it('awaits asynchronous routing functions, in order; the first that returns something wins', async () => {
    const w = new World();
    const seen: string[] = [];
    w.proxy
      .route(async (req) => {
        seen.push(`first ${req.method}`);
        await tick();
        return undefined;
      })
      .route(async () => {
        seen.push('second');
        await tick();
        return [{ uri: `sip:bob@${BOB}` }];
      })
      .route(() => {
        seen.push('third');
        return { status: 404 };
      });
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB, { final: { status: 200, after: 10 } });
    alice.send('sip:bob@example.com');
    w.run(50);
    for (let i = 0; i < 5; i++) await tick();
    w.run(1000);
    assert.deepEqual(seen, ['first INVITE', 'second']);
    assert.equal(bob.requests.length, 1);
    assert.deepEqual(alice.finals(), [200]);
  });

  it('a routing response is sent to the caller; final and response events fire (CDR hooks)', () => {
    const w = new World();
    const finals: FinalEvent[] = [];
    w.proxy.route(() => ({ status: 404, reason: 'Nobody Here', headers: [['X-Why', 'test']] }));
    w.proxy.on('final', (e) => finals.push(e));
    const alice = w.ua('alice', ALICE);
    alice.send('sip:ghost@example.com');
    w.run(500);
    const res = alice.responses.find((r) => r.status === 404);
    assert.equal(res?.reason, 'Nobody Here');
    assert.equal(res?.getHeader('X-Why'), 'test');
    assert.deepEqual(
      finals.map((f) => f.status),
      [404],
    );
  });

  it('onResponse sees every response of a branch', () => {
    const w = new World();
    const statuses: number[] = [];
    w.proxy.route(() => [{ uri: `sip:bob@${BOB}` }]).onResponse((e) => statuses.push(e.response.status));
    const alice = w.ua('alice', ALICE);
    w.ua('bob', BOB, { ringAfter: 300, final: { status: 486, after: 400 } });
    alice.send('sip:bob@example.com');
    w.run(1000);
    // bob's stack sends 100 Trying itself after 200 ms (RFC 3261 §17.2.1), then bob rings and fails.
    assert.deepEqual(statuses, [100, 180, 486]);
  });

  it('a routing function that throws gives the caller 500 and an error event', () => {
    const w = new World();
    const errors: Error[] = [];
    w.proxy.route(() => {
      throw new Error('boom');
    });
    w.proxy.on('error', (e) => errors.push(e));
    const alice = w.ua('alice', ALICE);
    alice.send('sip:bob@example.com');
    w.run(500);
    assert.deepEqual(alice.finals(), [500]);
    assert.equal(errors[0]?.message, 'boom');
  });

  it('a routing response outside 300-699 is an error: the caller gets 500', () => {
    const w = new World();
    const errors: Error[] = [];
    w.proxy.route(() => ({ status: 200 })).on('error', (e) => errors.push(e));
    const alice = w.ua('alice', ALICE);
    alice.send('sip:bob@example.com');
    w.run(500);
    assert.deepEqual(alice.finals(), [500]);
    assert.equal(errors[0]?.name, 'InvalidRouteResultError');
  });

  it('§16.5: with no routing decision, a Request-URI of ours gets 480, another domain is forwarded', () => {
    const w = new World();
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB, { final: { status: 200, after: 10 } });
    alice.send('sip:nobody@example.com');
    alice.send(`sip:bob@${BOB}`);
    w.run(1000);
    assert.deepEqual(alice.finals().sort(), [200, 480]);
    assert.equal(bob.requests.length, 1);
  });

  it('non-INVITE requests are proxied too (MESSAGE), without Record-Route', () => {
    const w = new World();
    w.proxy.route(() => [{ uri: `sip:bob@${BOB}` }]);
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB);
    alice.send('sip:bob@example.com', { method: 'MESSAGE' });
    w.run(1000);
    assert.equal(bob.requests[0]?.method, 'MESSAGE');
    assert.equal(bob.requests[0]?.hasHeader('Record-Route'), false);
    assert.deepEqual(alice.finals(), [200]);
  });
});

describe('proxy: next hop by RFC 3263 (RFC 3261 §16.6 item 7)', () => {
  it('resolves a host name through locate (SRV, then A) with an asynchronous resolver', async () => {
    const dns = new StaticResolver({
      srv: {
        '_sip._udp.bob.example': [{ priority: 10, weight: 1, port: 5060, target: 'host1.bob.example' }],
      },
      a: { 'host1.bob.example': [BOB] },
    });
    const w = new World({ proxy: { resolver: createNextHopResolver(dns) } });
    w.proxy.route(() => [{ uri: 'sip:bob@bob.example' }]);
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB, { final: { status: 200, after: 10 } });
    alice.send('sip:bob@example.com');
    w.run(50);
    for (let i = 0; i < 10; i++) await tick();
    w.run(1000);
    assert.equal(bob.requests[0]?.requestUri, 'sip:bob@bob.example');
    assert.deepEqual(alice.finals(), [200]);
    assert.ok(dns.queries.some((q) => q.rrtype === 'SRV'));
  });

  it('RFC 3263 §4.3: when the first address refuses the connection, the next one is tried', async () => {
    const dns = new StaticResolver({
      srv: {
        '_sip._tcp.bob.example': [
          { priority: 10, weight: 1, port: 5060, target: 'dead.bob.example' },
          { priority: 20, weight: 1, port: 5060, target: 'live.bob.example' },
        ],
      },
      a: { 'dead.bob.example': ['10.0.0.66'], 'live.bob.example': [BOB] },
    });
    const w = new World({ proxy: { resolver: createNextHopResolver(dns) } });
    w.proxy.route(() => [{ uri: 'sip:bob@bob.example;transport=tcp' }]);
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB, { final: { status: 200, after: 10 } }, 'TCP');
    alice.send('sip:bob@example.com');
    w.run(50);
    for (let i = 0; i < 10; i++) await tick();
    w.run(1000);
    assert.equal(bob.requests.length, 1, 'bob got it from the second address');
    assert.deepEqual(alice.finals(), [200]);
  });

  it('RFC 3263 §4.3: a 503 from the first address moves on to the next', () => {
    const w = new World({
      proxy: {
        resolver: () => [
          { transport: 'UDP', host: CAROL, port: 5060 },
          { transport: 'UDP', host: BOB, port: 5060 },
        ],
      },
    });
    w.proxy.route(() => [{ uri: 'sip:svc@svc.example' }]);
    const alice = w.ua('alice', ALICE);
    const carol = w.ua('carol', CAROL, { final: { status: 503, after: 10 } });
    const bob = w.ua('bob', BOB, { final: { status: 200, after: 10 } });
    alice.send('sip:svc@example.com');
    w.run(2000);
    assert.equal(carol.requests.length, 1);
    assert.equal(bob.requests.length, 1);
    assert.notEqual(
      bob.requests[0].via[0].branch,
      carol.requests[0].via[0].branch,
      'a new client transaction',
    );
    assert.deepEqual(alice.finals(), [200]);
  });

  it('a name that does not resolve fails the branch (503, sent as 500)', async () => {
    const w = new World({ proxy: { resolver: createNextHopResolver(new StaticResolver({})) } });
    w.proxy.route(() => [{ uri: 'sip:bob@nowhere.example' }]);
    const alice = w.ua('alice', ALICE);
    alice.send('sip:bob@example.com');
    w.run(50);
    for (let i = 0; i < 10; i++) await tick();
    w.run(1000);
    assert.deepEqual(alice.finals(), [500]);
  });
});
