import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createResponse } from '@tsvoip/sip';
import { SimNetwork } from '@tsvoip/transport';
import type { RequestEvent } from '../core/io.js';
import { SimDriver, type SimEventHandler } from '../drivers/sim-driver.js';
import { addr, BOB, eventsOf, makeStack, parsed, RAW, rawRequest } from '../testing.test-helper.js';

function invite(transport = 'UDP', branch = 'z9hG4bKsrv1', method = 'INVITE', toTag = ''): Uint8Array {
  return rawRequest([
    `${method} sip:bob@${BOB} SIP/2.0`,
    `Via: SIP/2.0/${transport} ${RAW}:5060;branch=${branch}`,
    'Max-Forwards: 70',
    `To: <sip:bob@${BOB}>${toTag}`,
    `From: <sip:raw@${RAW}>;tag=r1`,
    'Call-ID: srv-call-1',
    `CSeq: 1 ${method}`,
    `Contact: <sip:raw@${RAW}>`,
  ]);
}

/** Bob's core with a TU given by the test; a raw peer at RAW. */
function bobAndRawPeer(tu: SimEventHandler | undefined, transport: 'UDP' | 'TCP' = 'UDP') {
  const network = new SimNetwork();
  const driver = new SimDriver(network);
  const bob = driver.add(makeStack(BOB), [addr(BOB, 'UDP'), addr(BOB, 'TCP')], tu);
  const peer = addr(RAW, transport);
  network.bind(peer);
  const send = (bytes: Uint8Array) => network.send(peer, addr(BOB, transport), bytes, driver.now);
  return { network, driver, bob, peer, send };
}

/** A TU answering every request at once with `status`. */
function answering(status: number): SimEventHandler {
  return (event, node, now) => {
    if (event.type !== 'request') return;
    node.stack.sendResponse(
      event.transactionId,
      createResponse(event.request, status, undefined, { toTag: 'b1' }),
      now,
    );
  };
}

describe('INVITE server transaction (RFC 3261 §17.2.1, RFC 6026 §7.1)', () => {
  it('sends 100 Trying after 200 ms when the TU has not answered (§17.2.1)', () => {
    const { network, driver, bob, peer, send } = bobAndRawPeer(undefined);
    send(invite());
    driver.advance(1000);
    const got = parsed(network.drain(peer));
    assert.equal(got.length, 1);
    assert.equal(got[0].msg.status, 100);
    assert.equal(got[0].at, 200);
    assert.equal(got[0].msg.to?.tag, undefined, '100 Trying needs no To tag (§8.2.6.2)');
    assert.equal(eventsOf(bob, 'request').length, 1);
  });

  it('sends no 100 when the TU sent a provisional first', () => {
    const { network, driver, peer, send } = bobAndRawPeer(answering(180));
    send(invite());
    driver.advance(1000);
    assert.deepEqual(
      parsed(network.drain(peer)).map((d) => d.msg.status),
      [180],
    );
  });

  it('answers a retransmitted INVITE with the last response without telling the TU again', () => {
    const { network, driver, bob, peer, send } = bobAndRawPeer(answering(180));
    send(invite());
    driver.advance(100);
    send(invite());
    driver.advance(100);
    assert.deepEqual(
      parsed(network.drain(peer)).map((d) => [d.at, d.msg.status]),
      [
        [0, 180],
        [100, 180],
      ],
    );
    assert.equal(eventsOf(bob, 'request').length, 1);
  });

  it('retransmits a non-2xx final on Timer G up to T2 and gives up on Timer H at 64*T1', () => {
    const { network, driver, bob, peer, send } = bobAndRawPeer(answering(486));
    send(invite());
    driver.advance(40_000);
    const times = parsed(network.drain(peer)).map((d) => d.at);
    // G: 500, 1000, 2000, 4000, 4000, ... ; H at 32 s stops it.
    assert.deepEqual(times, [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    const timeouts = eventsOf(bob, 'timeout');
    assert.equal(timeouts.length, 1);
    assert.equal(timeouts[0].timer, 'H');
    assert.equal(bob.events.find((e) => e.event.type === 'timeout')?.at, 32_000);
  });

  it('stops Timer G on the ACK (Confirmed), absorbs ACKs, ends after Timer I = T4', () => {
    const { network, driver, bob, peer, send } = bobAndRawPeer(answering(486));
    send(invite());
    driver.advance(700);
    send(invite('UDP', 'z9hG4bKsrv1', 'ACK', ';tag=b1'));
    driver.advance(10);
    send(invite('UDP', 'z9hG4bKsrv1', 'ACK', ';tag=b1'));
    driver.advance(30_000);
    assert.deepEqual(
      parsed(network.drain(peer)).map((d) => d.at),
      [0, 500],
    );
    assert.equal(eventsOf(bob, 'ack').length, 0, 'the ACK for a non-2xx stays in the transaction');
    assert.equal(bob.events.find((e) => e.event.type === 'terminated')?.at, 700 + 5000);
  });

  it('over TCP: no Timer G, and Timer I is 0', () => {
    const { network, driver, bob, peer, send } = bobAndRawPeer(answering(486), 'TCP');
    send(invite('TCP'));
    driver.advance(5000);
    assert.equal(network.drain(peer).length, 1);
    send(invite('TCP', 'z9hG4bKsrv1', 'ACK', ';tag=b1'));
    driver.advance(1);
    assert.equal(bob.events.find((e) => e.event.type === 'terminated')?.at, 5000);
  });

  it('2xx: Accepted absorbs INVITE retransmissions, passes the ACK to the TU, sends TU 2xx retransmissions, ends on Timer L', () => {
    let txn = '';
    let req: RequestEvent['request'] | undefined;
    const { network, driver, bob, peer, send } = bobAndRawPeer((event, node, now) => {
      if (event.type !== 'request') return;
      txn = event.transactionId;
      req = event.request;
      node.stack.sendResponse(txn, createResponse(event.request, 200, undefined, { toTag: 'b1' }), now);
    });
    send(invite());
    driver.advance(100);
    send(invite());
    driver.advance(100);
    assert.equal(bob.stack.transactionState(txn), 'accepted');
    // RFC 6026 §8.7: the TU retransmits the 2xx through the transaction.
    bob.run(driver.now, (s) =>
      s.sendResponse(txn, createResponse(req!, 200, undefined, { toTag: 'b1' }), driver.now),
    );
    driver.advance(0);
    assert.deepEqual(
      parsed(network.drain(peer)).map((d) => [d.at, d.msg.status]),
      [
        [0, 200],
        [200, 200],
      ],
    );
    send(invite('UDP', 'z9hG4bKsrv1', 'ACK', ';tag=b1'));
    driver.advance(10);
    const acks = eventsOf(bob, 'ack');
    assert.equal(acks.length, 1);
    assert.equal(acks[0].transactionId, txn);
    driver.advance(40_000);
    assert.equal(bob.events.find((e) => e.event.type === 'terminated')?.at, 32_000);
  });

  // The transaction drops the request and response messages at its final response (Timer L/H
  // keep it 32 s); after a 2xx it keeps only the To tag (nothing resends a 2xx from it).
  it('a CANCEL after the 2xx gets 200 with the To tag of the INVITE response (RFC 3261 §9.2)', () => {
    const { network, driver, bob, peer, send } = bobAndRawPeer(answering(200));
    send(invite());
    driver.advance(100);
    send(invite('UDP', 'z9hG4bKsrv1', 'CANCEL'));
    driver.advance(10);
    const got = parsed(network.drain(peer)).map((d) => [d.msg.cseq?.method, d.msg.status, d.msg.to?.tag]);
    assert.deepEqual(got, [
      ['INVITE', 200, 'b1'],
      ['CANCEL', 200, 'b1'],
    ]);
    assert.equal(eventsOf(bob, 'cancel').length, 0, 'the INVITE is answered: nothing to cancel');
  });

  it('RFC 2543 fallback: an ACK matches a Completed INVITE by the To tag of the final response (§17.2.3)', () => {
    const { network, driver, bob, peer, send } = bobAndRawPeer(answering(486));
    send(invite('UDP', '1234'));
    driver.advance(10);
    send(invite('UDP', '1234', 'ACK', ';tag=other'));
    driver.advance(10);
    assert.equal(eventsOf(bob, 'ack').length, 1, 'another To tag: not this transaction, the TU gets it');
    send(invite('UDP', '1234', 'ACK', ';tag=b1'));
    driver.advance(10_000);
    assert.equal(eventsOf(bob, 'ack').length, 1, 'the ACK for the 486 is absorbed');
    // Timer G stopped at the matching ACK (t = 20): the 486 was sent once, Timer I ended it.
    assert.deepEqual(
      parsed(network.drain(peer)).map((d) => [d.at, d.msg.status]),
      [[0, 486]],
    );
    assert.equal(bob.events.find((e) => e.event.type === 'terminated')?.at, 20 + 5000);
  });
});

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  it('discards retransmissions in Trying, resends the provisional in Proceeding and the final in Completed', () => {
    let txn = '';
    let req: RequestEvent['request'] | undefined;
    const { network, driver, bob, peer, send } = bobAndRawPeer((event) => {
      if (event.type === 'request') {
        txn = event.transactionId;
        req = event.request;
      }
    });
    const options = invite('UDP', 'z9hG4bKopt', 'OPTIONS');
    send(options);
    driver.advance(10);
    send(options);
    driver.advance(10);
    assert.equal(network.drain(peer).length, 0, 'Trying: retransmission discarded');
    bob.run(driver.now, (s) => s.sendResponse(txn, createResponse(req!, 100), driver.now));
    send(options);
    driver.advance(10);
    // A reason phrase in UTF-8 (RFC 3261 §25.1 UTF8-NONASCII): the final response is kept as
    // text for Timer J, and its resend must be the same octets.
    bob.run(driver.now, (s) =>
      s.sendResponse(txn, createResponse(req!, 200, 'Très bien ✓', { toTag: 'o' }), driver.now),
    );
    send(options);
    driver.advance(10);
    const out = network.drain(peer);
    assert.deepEqual(
      parsed(out).map((d) => d.msg.status),
      [100, 100, 200, 200],
    );
    assert.deepEqual(Buffer.from(out[3].bytes), Buffer.from(out[2].bytes));
    assert.equal(parsed(out)[3].msg.reason, 'Très bien ✓');
    assert.equal(eventsOf(bob, 'request').length, 1);
  });

  it('ends after Timer J = 64*T1 over UDP and at once over TCP', () => {
    for (const [transport, j] of [
      ['UDP', 32_000],
      ['TCP', 0],
    ] as const) {
      const { driver, bob, send } = bobAndRawPeer(answering(200), transport);
      send(invite(transport, 'z9hG4bKopt', 'OPTIONS'));
      driver.advance(40_000);
      assert.equal(bob.events.find((e) => e.event.type === 'terminated')?.at, j, transport);
    }
  });
});

describe('server transaction transport errors (RFC 3261 §17.2.4)', () => {
  it('tells the TU when a response cannot be sent and ends the transaction', () => {
    let txn = '';
    let req: RequestEvent['request'] | undefined;
    const { network, driver, bob, peer, send } = bobAndRawPeer((event) => {
      if (event.type === 'request') {
        txn = event.transactionId;
        req = event.request;
      }
    }, 'TCP');
    send(invite('TCP', 'z9hG4bKgone', 'OPTIONS'));
    driver.advance(10);
    // The client's connection goes away before the TU answers.
    network.unbind(peer);
    bob.run(driver.now, (s) =>
      s.sendResponse(txn, createResponse(req!, 200, undefined, { toTag: 'x' }), driver.now),
    );
    const errors = eventsOf(bob, 'transport-error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].transactionId, txn);
    assert.equal(bob.stack.transactionState(txn), undefined);
  });
});
