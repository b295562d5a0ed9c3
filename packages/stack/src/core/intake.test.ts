import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createResponse, parseMessage, type SipMessage } from '@tsvoip/sip';
import { SimNetwork } from '@tsvoip/transport';
import { SimDriver } from '../drivers/sim-driver.js';
import { addr, BOB, eventsOf, makeStack, parsed, RAW, rawRequest, request } from '../testing.test-helper.js';
import type { SipStackOptions } from './options.js';

/** Bob's core (answering 200 to whatever reaches its TU) and a raw peer. */
function bob(options: Partial<SipStackOptions> = {}) {
  const network = new SimNetwork();
  const driver = new SimDriver(network);
  const node = driver.add(makeStack(BOB, options), [addr(BOB, 'UDP'), addr(BOB, 'TCP')], (event, n, now) => {
    if (event.type === 'request') {
      n.stack.sendResponse(
        event.transactionId,
        createResponse(event.request, 200, undefined, { toTag: 'ok' }),
        now,
      );
    }
  });
  const peer = addr(RAW);
  network.bind(peer);
  /** Sends bytes from the raw peer and returns the responses it got. */
  const exchange = (bytes: Uint8Array | string): SipMessage[] => {
    network.send(peer, addr(BOB), typeof bytes === 'string' ? Buffer.from(bytes) : bytes, driver.now);
    driver.advance(10);
    return parsed(network.drain(peer)).map((d) => d.msg);
  };
  return { network, driver, node, peer, exchange };
}

function req(
  method: string,
  extra: readonly string[] = [],
  o: { uri?: string; branch?: string; cseqMethod?: string; toTag?: string; cseq?: number } = {},
) {
  return rawRequest([
    `${method} ${o.uri ?? `sip:bob@${BOB}`} SIP/2.0`,
    `Via: SIP/2.0/UDP ${RAW}:5060;branch=${o.branch ?? 'z9hG4bKin1'}`,
    'Max-Forwards: 70',
    `To: <sip:bob@${BOB}>${o.toTag ?? ''}`,
    `From: <sip:raw@${RAW}>;tag=f1`,
    'Call-ID: intake-1',
    `CSeq: ${o.cseq ?? 7} ${o.cseqMethod ?? method}`,
    ...extra,
  ]);
}

describe('request intake (RFC 3261 §8.2)', () => {
  it('answers an unknown method 501 with Allow, a known but not allowed one 405 (§8.2.1)', () => {
    const { exchange, node } = bob();
    const [r501] = exchange(req('FOO'));
    assert.equal(r501.status, 501);
    assert.deepEqual(r501.allow, ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS']);
    const [r405] = exchange(req('REGISTER', [], { branch: 'z9hG4bKin2' }));
    assert.equal(r405.status, 405);
    assert.ok(r405.allow.includes('INVITE'));
    assert.equal(eventsOf(node, 'request').length, 0);
    assert.ok(r405.to?.tag, 'a stack-made final response carries a To tag (§8.2.6.2)');
  });

  it('passes methods the TU declares, including extension methods', () => {
    const { exchange, node } = bob({ allowedMethods: ['OPTIONS', 'FOO'] });
    assert.equal(exchange(req('FOO'))[0].status, 200);
    assert.equal(eventsOf(node, 'request')[0].request.method, 'FOO');
  });

  it('answers 416 to an unknown Request-URI scheme (§8.2.2.1)', () => {
    const { exchange } = bob();
    assert.equal(exchange(req('OPTIONS', [], { uri: 'mailto:bob@example.com' }))[0].status, 416);
  });

  it('answers 420 with Unsupported for unknown Require tags, not for supported ones (§8.2.2.3)', () => {
    const { exchange } = bob({ supportedOptionTags: ['timer'] });
    const [r] = exchange(req('OPTIONS', ['Require: timer, foo, bar']));
    assert.equal(r.status, 420);
    assert.deepEqual(r.getHeaders('Unsupported'), ['foo', 'bar']);
    assert.equal(
      exchange(req('OPTIONS', ['Require: timer'], { branch: 'z9hG4bKin3', cseq: 8 }))[0].status,
      200,
    );
  });

  it('answers 483 to Max-Forwards 0 except for OPTIONS (§8.1.1.6, RFC 4475 §3.3.11)', () => {
    const { exchange } = bob();
    const mf0 = (m: string, b: string) =>
      rawRequest([
        `${m} sip:bob@${BOB} SIP/2.0`,
        `Via: SIP/2.0/UDP ${RAW};branch=${b}`,
        'Max-Forwards: 0',
        `To: <sip:bob@${BOB}>`,
        `From: <sip:raw@${RAW}>;tag=f1`,
        `Call-ID: mf-${b}`,
        `CSeq: 1 ${m}`,
      ]);
    assert.equal(exchange(mf0('BYE', 'z9hG4bKmf1'))[0].status, 483);
    assert.equal(exchange(mf0('OPTIONS', 'z9hG4bKmf2'))[0].status, 200);
  });

  it('answers 400 to missing mandatory headers and to duplicated single headers', () => {
    const { exchange } = bob();
    const noCallId = rawRequest([
      `OPTIONS sip:bob@${BOB} SIP/2.0`,
      `Via: SIP/2.0/UDP ${RAW};branch=z9hG4bKm1`,
      `To: <sip:b@${BOB}>`,
      'From: <sip:a@x>;tag=1',
      'CSeq: 1 OPTIONS',
    ]);
    const [r1] = exchange(noCallId);
    assert.equal(r1.status, 400);
    assert.equal(r1.reason, 'Missing Call-ID');
    const twoTo = req('OPTIONS', [`To: <sip:other@${BOB}>`], { branch: 'z9hG4bKm2' });
    assert.equal(exchange(twoTo)[0].status, 400);
  });

  it('answers unparsable requests 400 with the reason, 505 for a bad version, 513 over the size limit', () => {
    const { exchange } = bob({ parseOptions: { maxMessageSize: 2000 } });
    const bad = Buffer.from(req('OPTIONS', ['Contact: <sip:x@y'], { branch: 'z9hG4bKp1' }));
    const [r400] = exchange(bad);
    assert.equal(r400.status, 400);
    assert.match(r400.reason, /Contact/);
    const v = Buffer.from(
      req('OPTIONS', [], { branch: 'z9hG4bKp2' }).toString().replace('SIP/2.0\r\n', 'SIP/3.0\r\n'),
    );
    assert.equal(exchange(v)[0].status, 505);
    const big = req('OPTIONS', [`X-Pad: ${'a'.repeat(3000)}`], { branch: 'z9hG4bKp3' });
    assert.equal(exchange(big)[0].status, 513);
  });

  it('drops what cannot be answered and malformed responses, without throwing', () => {
    const { exchange, node } = bob();
    assert.deepEqual(exchange('garbage\r\n\r\n'), []);
    assert.deepEqual(exchange(`SIP/2.0 999 Nope\r\nVia: SIP/2.0/UDP ${BOB};branch=z9hG4bKx\r\n\r\n`), []);
    assert.deepEqual(
      exchange(`OPTIONS sip:b@${BOB} SIP/2.0\r\nVia: SIP/2.0/UDP ;;;\r\nCall-ID: x\r\n\r\n`),
      [],
    );
    assert.equal(node.events.length, 0);
  });

  it('answers 400 to a CSeq method that is not the request method', () => {
    const { exchange } = bob();
    assert.equal(exchange(req('OPTIONS', [], { cseqMethod: 'INVITE' }))[0].status, 400);
  });

  it('answers 482 to a merged request: same From tag, Call-ID, CSeq, other branch, no To tag (§8.2.2.2)', () => {
    const network = new SimNetwork();
    const driver = new SimDriver(network);
    // A TU that never answers, so the first transaction stays live.
    const node = driver.add(makeStack(BOB), [addr(BOB)]);
    const peer = addr(RAW);
    network.bind(peer);
    network.send(peer, addr(BOB), req('OPTIONS', [], { branch: 'z9hG4bKfork1' }), 0);
    network.send(peer, addr(BOB), req('OPTIONS', [], { branch: 'z9hG4bKfork2' }), 0);
    network.send(peer, addr(BOB), req('OPTIONS', [], { branch: 'z9hG4bKfork3', toTag: ';tag=x' }), 0);
    driver.advance(10);
    const got = parsed(network.drain(peer)).map((d) => [d.msg.via[0].branch, d.msg.status]);
    assert.deepEqual(got, [['z9hG4bKfork2', 482]]);
    assert.equal(eventsOf(node, 'request').length, 2, 'the first and the in-dialog one reach the TU');
  });

  it('stamps received and rport on the top Via and answers there (§18.2.1, §18.2.2, RFC 3581)', () => {
    const network = new SimNetwork();
    const driver = new SimDriver(network);
    let seen: SipMessage | undefined;
    driver.add(makeStack(BOB), [addr(BOB)], (event, n, now) => {
      if (event.type !== 'request') return;
      seen = event.request;
      n.stack.sendResponse(
        event.transactionId,
        createResponse(event.request, 200, undefined, { toTag: 't' }),
        now,
      );
    });
    const natted = addr(RAW, 'UDP', 40000);
    network.bind(natted);
    const bytes = rawRequest([
      `OPTIONS sip:bob@${BOB} SIP/2.0`,
      'Via: SIP/2.0/UDP 192.168.1.5:5060;branch=z9hG4bKnat;rport',
      'Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKdown',
      'Max-Forwards: 70',
      `To: <sip:bob@${BOB}>`,
      'From: <sip:a@x>;tag=1',
      'Call-ID: nat',
      'CSeq: 1 OPTIONS',
    ]);
    network.send(natted, addr(BOB), bytes, 0);
    driver.advance(10);
    assert.equal(seen?.via[0].received, RAW);
    assert.equal(seen?.via[0].rport, 40000);
    assert.equal(seen?.via[1].host, 'proxy.example.com', 'other Vias untouched');
    const [res] = parsed(network.drain(natted));
    assert.equal(res.msg.status, 200);
    assert.equal(res.msg.via.length, 2);
    assert.equal(res.msg.via[0].received, RAW);
  });
});

describe('RFC 2543 fallback matching (RFC 3261 §17.2.3)', () => {
  const inv2543 = (method: string, toTag = '') =>
    rawRequest([
      `${method} sip:bob@${BOB} SIP/2.0`,
      `Via: SIP/2.0/UDP ${RAW}:5060`,
      `From: <sip:old@${RAW}>;tag=o1`,
      `To: <sip:bob@${BOB}>${toTag}`,
      'Call-ID: old-1',
      `CSeq: 3 ${method}`,
    ]);

  it('matches a retransmitted branchless INVITE and its ACK (To tag of the response)', () => {
    const network = new SimNetwork();
    const driver = new SimDriver(network);
    const node = driver.add(makeStack(BOB), [addr(BOB)], (event, n, now) => {
      if (event.type === 'request') {
        n.stack.sendResponse(
          event.transactionId,
          createResponse(event.request, 404, undefined, { toTag: 'nf' }),
          now,
        );
      }
    });
    const peer = addr(RAW);
    network.bind(peer);
    network.send(peer, addr(BOB), inv2543('INVITE'), 0);
    driver.advance(10);
    network.send(peer, addr(BOB), inv2543('INVITE'), 10);
    driver.advance(10);
    assert.equal(eventsOf(node, 'request').length, 1, 'the retransmission matched');
    assert.deepEqual(
      parsed(network.drain(peer)).map((d) => d.msg.status),
      [404, 404],
    );
    const id = eventsOf(node, 'request')[0].transactionId;
    // An ACK with another To tag does not match: it goes to the TU as a stray ACK.
    network.send(peer, addr(BOB), inv2543('ACK', ';tag=zz'), 20);
    driver.advance(10);
    assert.equal(node.stack.transactionState(id), 'completed');
    assert.equal(eventsOf(node, 'ack').length, 1);
    network.send(peer, addr(BOB), inv2543('ACK', ';tag=nf'), 30);
    driver.advance(10);
    assert.equal(node.stack.transactionState(id), 'confirmed');
    assert.equal(eventsOf(node, 'ack').length, 1);
  });

  it('matches a magic-cookie request by branch, sent-by (host in any case) and method (§17.2.3)', () => {
    const { exchange, node } = bob();
    const opt = (method: string, sentBy: string, callId: string) =>
      rawRequest([
        `${method} sip:bob@${BOB} SIP/2.0`,
        `Via: SIP/2.0/UDP ${sentBy};branch=z9hG4bKsame;rport`,
        'Max-Forwards: 70',
        `To: <sip:bob@${BOB}>`,
        `From: <sip:raw@${RAW}>;tag=f9`,
        `Call-ID: ${callId}`,
        `CSeq: 1 ${method}`,
      ]);
    exchange(opt('OPTIONS', 'Host.Example:5070', 'm1'));
    assert.equal(eventsOf(node, 'request').length, 1);
    // The same branch, sent-by spelled in another case: a retransmission.
    assert.deepEqual(
      exchange(opt('OPTIONS', 'host.EXAMPLE:5070', 'm1')).map((r) => r.status),
      [200],
    );
    assert.equal(eventsOf(node, 'request').length, 1);
    // Same branch, another port, another host, another method: three new transactions.
    exchange(opt('OPTIONS', 'host.example:5071', 'm2'));
    exchange(opt('OPTIONS', 'other.example:5070', 'm3'));
    exchange(opt('BYE', 'host.example:5070', 'm4'));
    assert.equal(eventsOf(node, 'request').length, 4);
    // A CANCEL whose INVITE has another sent-by finds nothing: 481 (§9.2).
    exchange(opt('INVITE', 'host.example:5070', 'm5'));
    assert.deepEqual(
      exchange(opt('CANCEL', 'host.example:5072', 'm5')).map((r) => r.status),
      [481],
    );
  });

  it('builds the same key for requests that differ only outside the §17.2.3 fields', () => {
    const a = parseMessage(inv2543('INVITE'));
    const b = parseMessage(
      Buffer.from(inv2543('INVITE').toString().replace('Call-ID', 'Subject: x\r\nCall-ID')),
    );
    const c = parseMessage(Buffer.from(inv2543('INVITE').toString().replace('CSeq: 3', 'CSeq: 4')));
    const top = (m: SipMessage) => m.getHeader('Via')!;
    return import('./matching.js').then(({ rfc2543Key }) => {
      assert.equal(rfc2543Key(a, top(a), 'INVITE'), rfc2543Key(b, top(b), 'INVITE'));
      assert.notEqual(rfc2543Key(a, top(a), 'INVITE'), rfc2543Key(c, top(c), 'INVITE'));
      assert.equal(rfc2543Key(a, top(a), 'ACK'), rfc2543Key(a, top(a), 'INVITE'));
    });
  });
});

describe('badbranch (RFC 4475 §3.2.1)', () => {
  it('rejects a branch that is the magic cookie alone with 400, statelessly', () => {
    const { exchange, node } = bob();
    const [r] = exchange(req('OPTIONS', [], { branch: 'z9hG4bK' }));
    assert.equal(r.status, 400);
    assert.equal(node.stack.transactionCount, 0);
  });
});

describe("the proxy role: a proxy's intake and response matching (RFC 3261 §16)", () => {
  it('passes unknown methods and unknown Require tags to the TU (§16.3 checks neither)', () => {
    const { exchange, node } = bob({ role: 'proxy' });
    assert.equal(exchange(req('FOO'))[0].status, 200);
    const [r] = exchange(req('OPTIONS', ['Require: foo'], { branch: 'z9hG4bKpr2', cseq: 8 }));
    assert.equal(r.status, 200);
    assert.deepEqual(
      eventsOf(node, 'request').map((e) => e.request.method),
      ['FOO', 'OPTIONS'],
    );
  });

  it('lets a spiral through: no merged-request 482 (§8.2.2.2 is a UAS rule)', () => {
    const network = new SimNetwork();
    const driver = new SimDriver(network);
    const node = driver.add(makeStack(BOB, { role: 'proxy' }), [addr(BOB)]);
    const peer = addr(RAW);
    network.bind(peer);
    network.send(peer, addr(BOB), req('OPTIONS', [], { branch: 'z9hG4bKsp1' }), 0);
    network.send(peer, addr(BOB), req('OPTIONS', [], { branch: 'z9hG4bKsp2' }), 0);
    driver.advance(10);
    assert.deepEqual(parsed(network.drain(peer)), []);
    assert.equal(eventsOf(node, 'request').length, 2);
  });

  it('matches a response with several Vias by its top Via (§17.1.3); a UA drops it (§8.1.3.3)', () => {
    for (const role of ['proxy', 'ua'] as const) {
      const network = new SimNetwork();
      const driver = new SimDriver(network);
      const node = driver.add(makeStack(BOB, { role }), [addr(BOB)]);
      const peer = addr(RAW);
      network.bind(peer);
      node.run(0, (s) => s.sendRequest(request('OPTIONS'), peer, 0));
      driver.advance(1);
      const [sent] = parsed(network.drain(peer));
      const text = Buffer.from(
        [
          'SIP/2.0 200 OK',
          `Via: ${sent.msg.getHeader('Via')}`,
          `Via: SIP/2.0/UDP ${RAW}:5070;branch=z9hG4bKupstream`,
          `From: ${sent.msg.getHeader('From')}`,
          `To: ${sent.msg.getHeader('To')};tag=t`,
          `Call-ID: ${sent.msg.callId}`,
          `CSeq: ${sent.msg.getHeader('CSeq')}`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
      network.send(peer, addr(BOB), text, driver.now);
      driver.advance(10);
      const responses = eventsOf(node, 'response');
      assert.equal(responses.length, role === 'proxy' ? 1 : 0, role);
      if (role === 'proxy') assert.equal(responses[0].response.via.length, 2);
    }
  });
});
