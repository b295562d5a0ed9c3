import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createResponse, parseMessage, serializeMessage } from '@tsvoip/sip';
import { SimNetwork } from '@tsvoip/transport';
import { SimDriver } from '../drivers/sim-driver.js';
import { ALICE, addr, eventsOf, makeStack, parsed, RAW, request } from '../testing.test-helper.js';

/** Alice's core sends to a raw endpoint that never answers unless the test makes it. */
function aliceAndSilentPeer(transport: 'UDP' | 'TCP' = 'UDP', t1?: number) {
  const network = new SimNetwork();
  const driver = new SimDriver(network);
  const alice = driver.add(makeStack(ALICE, t1 === undefined ? {} : { timers: { t1 } }), [
    addr(ALICE, 'UDP'),
    addr(ALICE, 'TCP'),
  ]);
  const peer = addr(RAW, transport);
  network.bind(peer);
  return { network, driver, alice, peer };
}

describe('INVITE client transaction timers (RFC 3261 §17.1.1.2, RFC 6026 §7.2)', () => {
  it('retransmits on Timer A with doubling intervals and times out on Timer B at 64*T1 over UDP', () => {
    const { network, driver, alice, peer } = aliceAndSilentPeer();
    const id = alice.run(0, (s) => s.sendRequest(request('INVITE'), peer, 0));
    driver.advance(40_000);
    const sent = parsed(network.drain(peer));
    // RFC 3261 §17.1.1.2: sends at 0, then A = 500, 1000, 2000, ... until B = 32 s.
    assert.deepEqual(
      sent.map((d) => d.at),
      [0, 500, 1500, 3500, 7500, 15500, 31500],
    );
    assert.ok(
      sent.every((d) => d.msg.method === 'INVITE' && d.msg.via[0].branch === sent[0].msg.via[0].branch),
    );
    const timeouts = eventsOf(alice, 'timeout');
    assert.deepEqual(timeouts, [{ type: 'timeout', transactionId: id, timer: 'B' }]);
    assert.equal(alice.events.find((e) => e.event.type === 'timeout')?.at, 32_000);
    assert.equal(alice.stack.transactionState(id), undefined);
  });

  it('scales every timer with T1 (T1 = 10 ms: Timer B after 640 ms)', () => {
    const { driver, alice, peer } = aliceAndSilentPeer('UDP', 10);
    alice.run(0, (s) => s.sendRequest(request('INVITE'), peer, 0));
    driver.advance(1000);
    assert.equal(alice.events.find((e) => e.event.type === 'timeout')?.at, 640);
  });

  it('does not retransmit over TCP; Timer B still fires', () => {
    const { network, driver, alice, peer } = aliceAndSilentPeer('TCP');
    alice.run(0, (s) => s.sendRequest(request('INVITE'), peer, 0));
    driver.advance(40_000);
    assert.equal(network.drain(peer).length, 1);
    assert.equal(alice.events.find((e) => e.event.type === 'timeout')?.at, 32_000);
  });

  it('ACKs a non-2xx itself, absorbs its retransmission and ends after Timer D = 32 s (UDP)', () => {
    const { network, driver, alice, peer } = aliceAndSilentPeer();
    const id = alice.run(0, (s) => s.sendRequest(request('INVITE'), peer, 0));
    driver.advance(100);
    const invite = parsed(network.drain(peer))[0].msg;
    const busy = serializeMessage(createResponse(invite, 486, undefined, { toTag: 'x1' }));
    network.send(peer, addr(ALICE), busy, 100);
    driver.advance(100);
    network.send(peer, addr(ALICE), busy, 200);
    driver.advance(100);
    const acks = parsed(network.drain(peer));
    // RFC 3261 §17.1.1.3: ACK with the INVITE's branch, the response's To tag, CSeq method ACK.
    assert.equal(acks.length, 2);
    for (const { msg } of acks) {
      assert.equal(msg.method, 'ACK');
      assert.equal(msg.via.length, 1);
      assert.equal(msg.via[0].branch, invite.via[0].branch);
      assert.equal(msg.to?.tag, 'x1');
      assert.deepEqual(msg.cseq, { seq: 1, method: 'ACK' });
      assert.equal(msg.requestUri, invite.requestUri);
    }
    assert.equal(eventsOf(alice, 'response').length, 1, 'the retransmitted 486 is not passed up');
    assert.equal(alice.stack.transactionState(id), 'completed');
    driver.advance(31_700);
    assert.equal(alice.stack.transactionState(id), 'completed');
    driver.advance(200);
    assert.equal(alice.stack.transactionState(id), undefined);
    assert.equal(alice.events.find((e) => e.event.type === 'terminated')?.at, 32_100);
  });

  it('terminates at once after a non-2xx over TCP (Timer D = 0)', () => {
    const { network, driver, alice, peer } = aliceAndSilentPeer('TCP');
    const id = alice.run(0, (s) => s.sendRequest(request('INVITE'), peer, 0));
    driver.advance(10);
    const invite = parsed(network.drain(peer))[0].msg;
    network.send(
      peer,
      addr(ALICE, 'TCP'),
      serializeMessage(createResponse(invite, 404, undefined, { toTag: 't' })),
      10,
    );
    driver.advance(1);
    assert.equal(alice.stack.transactionState(id), undefined);
    assert.equal(parsed(network.drain(peer))[0].msg.method, 'ACK');
  });

  it('moves to Accepted on 2xx, passes 2xx retransmissions to the TU, ends on Timer M (RFC 6026)', () => {
    const { network, driver, alice, peer } = aliceAndSilentPeer();
    const id = alice.run(0, (s) => s.sendRequest(request('INVITE'), peer, 0));
    driver.advance(100);
    const invite = parsed(network.drain(peer))[0].msg;
    const ok = serializeMessage(createResponse(invite, 200, undefined, { toTag: 'ok' }));
    network.send(peer, addr(ALICE), ok, 100);
    driver.advance(1000);
    assert.equal(alice.stack.transactionState(id), 'accepted');
    network.send(peer, addr(ALICE), ok, 1100);
    driver.advance(100);
    assert.equal(eventsOf(alice, 'response').length, 2);
    assert.equal(network.drain(peer).length, 0, 'the transaction never ACKs a 2xx');
    driver.advance(40_000);
    // RFC 6026 §7.2: Timer M = 64*T1 after the first 2xx.
    assert.equal(alice.events.find((e) => e.event.type === 'terminated')?.at, 100 + 32_000);
    // After Timer M a 2xx is a stray response for the TU.
    network.send(peer, addr(ALICE), ok, driver.now);
    driver.advance(10);
    assert.equal(eventsOf(alice, 'stray-response').length, 1);
  });

  it('stops retransmitting on a provisional response (Proceeding) and cancels Timer B', () => {
    const { network, driver, alice, peer } = aliceAndSilentPeer();
    const id = alice.run(0, (s) => s.sendRequest(request('INVITE'), peer, 0));
    driver.advance(600);
    const invite = parsed(network.drain(peer))[0].msg;
    network.send(
      peer,
      addr(ALICE),
      serializeMessage(createResponse(invite, 180, undefined, { toTag: 'r' })),
      600,
    );
    driver.advance(60_000);
    assert.equal(network.drain(peer).length, 0);
    assert.equal(alice.stack.transactionState(id), 'proceeding');
    assert.equal(eventsOf(alice, 'timeout').length, 0);
  });
});

describe('non-INVITE client transaction timers (RFC 3261 §17.1.2.2)', () => {
  it('retransmits on Timer E doubling up to T2 and times out on Timer F', () => {
    const { network, driver, alice, peer } = aliceAndSilentPeer();
    const id = alice.run(0, (s) => s.sendRequest(request('OPTIONS'), peer, 0));
    driver.advance(40_000);
    const times = parsed(network.drain(peer)).map((d) => d.at);
    // E: 500, 1000, 2000, 4000 (T2), 4000, ... until F = 32 s.
    assert.deepEqual(times, [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    assert.deepEqual(eventsOf(alice, 'timeout'), [{ type: 'timeout', transactionId: id, timer: 'F' }]);
  });

  it('retransmits every T2 in Proceeding', () => {
    const { network, driver, alice, peer } = aliceAndSilentPeer();
    alice.run(0, (s) => s.sendRequest(request('OPTIONS'), peer, 0));
    driver.advance(100);
    const req = parsed(network.drain(peer))[0].msg;
    network.send(peer, addr(ALICE), serializeMessage(createResponse(req, 100)), 100);
    driver.advance(9_000);
    // E fires at 500 (Proceeding since 100 ms: next interval T2), 4500, 8500.
    assert.deepEqual(
      parsed(network.drain(peer)).map((d) => d.at),
      [500, 4500, 8500],
    );
  });

  it('absorbs final-response retransmissions and ends after Timer K = T4 (UDP), 0 over TCP', () => {
    for (const [transport, k] of [
      ['UDP', 5000],
      ['TCP', 0],
    ] as const) {
      const { network, driver, alice, peer } = aliceAndSilentPeer(transport);
      const id = alice.run(0, (s) => s.sendRequest(request('OPTIONS'), peer, 0));
      driver.advance(100);
      const req = parsed(network.drain(peer))[0].msg;
      const ok = serializeMessage(createResponse(req, 200, undefined, { toTag: 'k' }));
      network.send(peer, addr(ALICE, transport), ok, 100);
      network.send(peer, addr(ALICE, transport), ok, 100);
      driver.advance(10_000);
      assert.equal(eventsOf(alice, 'response').length, 1);
      assert.equal(alice.stack.transactionState(id), undefined);
      assert.equal(alice.events.find((e) => e.event.type === 'terminated')?.at, 100 + k, transport);
    }
  });
});

describe('client transaction transport errors (RFC 3261 §17.1.4)', () => {
  it('reports a failed send to the TU and terminates the transaction', () => {
    const network = new SimNetwork();
    const driver = new SimDriver(network);
    const alice = driver.add(makeStack(ALICE), [addr(ALICE, 'UDP'), addr(ALICE, 'TCP')]);
    // Nobody listens on this TCP address: the simulated connection is refused.
    const id = alice.run(0, (s) => s.sendRequest(request('OPTIONS'), addr(RAW, 'TCP'), 0));
    driver.advance(1);
    const errs = eventsOf(alice, 'transport-error');
    assert.equal(errs.length, 1);
    assert.equal(errs[0].transactionId, id);
    assert.equal(alice.stack.transactionState(id), undefined);
  });

  it('accepts a send-failed input from a driver for a UDP send', () => {
    const stack = makeStack(ALICE);
    const id = stack.sendRequest(request('INVITE'), addr(RAW), 0);
    const error = new Error('EHOSTUNREACH');
    stack.handleInput({ type: 'send-failed', transactionId: id, to: addr(RAW), error }, 5);
    const outs = [];
    for (let o = stack.pollOutput(5); o !== undefined; o = stack.pollOutput(5)) outs.push(o);
    const ev = outs.filter((o) => o.type === 'event').map((o) => (o.type === 'event' ? o.event.type : ''));
    assert.deepEqual(ev, ['transport-error', 'terminated']);
    assert.equal(stack.transactionState(id), undefined);
    assert.equal(parseMessage((outs[0] as { bytes: Uint8Array }).bytes).method, 'INVITE');
  });
});
