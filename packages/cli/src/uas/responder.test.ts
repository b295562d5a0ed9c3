import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRequest, type SipMessage } from '@tsvoip/sip';
import {
  DigestClientSession,
  SimDriver,
  type SimStackNode,
  type SipAddress,
  SipStack,
  type StackEvent,
  silentLogger,
} from '@tsvoip/stack';
import { SimNetwork } from '@tsvoip/transport';
import { UasResponder, type UasResponderOptions } from './responder.js';
import { SdpAnswerer } from './sdp-answerer.js';

const caller: SipAddress = { transport: 'UDP', host: '10.0.0.1', port: 5060 };
const uasAddr: SipAddress = { transport: 'UDP', host: '10.0.0.2', port: 5080 };
const OFFER =
  'v=0\r\no=a 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

/** A caller core (the test plays its TU) and a UAS core run by the responder, on virtual time. */
function setup(options: Partial<UasResponderOptions> = {}, loss = 0) {
  const driver = new SimDriver(new SimNetwork({ seed: 3, defaults: { delayMs: 5, loss } }));
  const responder = new UasResponder({
    contact: '<sip:uas@10.0.0.2:5080>',
    answerer: new SdpAnswerer({ address: '10.0.0.2', port: 40000, sessionId: '42' }),
    tagPrefix: 'tag',
    logger: silentLogger,
    ...options,
  });
  let uas: SimStackNode | undefined;
  uas = driver.add(
    new SipStack({
      localAddresses: [uasAddr],
      allowedMethods: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'MESSAGE', 'REGISTER'],
    }),
    [uasAddr],
    (event, node, now) => responder.handleEvent(event, node.stack, now),
  );
  // The responder's own deadlines join the virtual clock.
  driver.clock.add({
    nextDeadline: () => {
      const at = responder.nextDeadline();
      return at === Infinity ? undefined : at;
    },
    handleTimeout: (now) => uas?.run(now, (s) => responder.handleTimer(s, now)),
  });
  const got: SipMessage[] = [];
  const a = driver.add(new SipStack({ localAddresses: [caller] }), [caller], (event: StackEvent) => {
    if (event.type === 'response' || event.type === 'stray-response') got.push(event.response);
  });
  const send = (request: SipMessage) => a.run(driver.now, (s) => s.sendRequest(request, uasAddr, driver.now));
  const ack = (ok: SipMessage) => {
    const m = createRequest({
      method: 'ACK',
      requestUri: 'sip:uas@10.0.0.2:5080',
      from: ok.getHeader('From') ?? '',
      to: ok.getHeader('To') ?? '',
      callId: ok.callId,
      cseq: ok.cseq?.seq,
      via: `SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-ack-${ok.cseq?.seq}`,
    });
    a.run(driver.now, (s) =>
      s.handleInput({ type: 'send-stateless', message: m, destination: uasAddr }, driver.now),
    );
  };
  return { driver, responder, got, send, ack, a };
}

function invite(
  cseq = 1,
  headers: ReadonlyArray<readonly [string, string]> = [],
  body: string | undefined = OFFER,
): SipMessage {
  return createRequest({
    method: 'INVITE',
    requestUri: 'sip:uas@10.0.0.2:5080',
    from: '<sip:alice@10.0.0.1>;tag=alice1',
    to: '<sip:uas@10.0.0.2>',
    callId: 'call-1',
    cseq,
    contact: '<sip:alice@10.0.0.1:5060>',
    headers,
    body,
    contentType: body === undefined ? undefined : 'application/sdp',
  });
}

function inDialog(method: string, cseq: number, toTag: string): SipMessage {
  return createRequest({
    method,
    requestUri: 'sip:uas@10.0.0.2:5080',
    from: '<sip:alice@10.0.0.1>;tag=alice1',
    to: `<sip:uas@10.0.0.2>;tag=${toTag}`,
    callId: 'call-1',
    cseq,
  });
}

const statuses = (ms: SipMessage[]) => ms.map((m) => `${m.status} ${m.cseq?.method}`);

describe('UasResponder (transaction layer, virtual time)', () => {
  it('answers INVITE with 180 then 200 carrying an SDP answer; same To tag on both (RFC 3261 §12.1.1)', () => {
    const t = setup();
    t.send(invite());
    t.driver.advance(50);
    assert.deepEqual(statuses(t.got), ['180 INVITE', '200 INVITE']);
    const [ringing, ok] = t.got as [SipMessage, SipMessage];
    assert.ok(ringing.to?.tag);
    assert.equal(ok.to?.tag, ringing.to?.tag);
    assert.equal(ok.getHeader('Content-Type'), 'application/sdp');
    const body = Buffer.from(ok.body).toString();
    assert.match(body, /^m=audio 40000 RTP\/AVP 0\r$/m); // RFC 3264 §6.1: the offered PCMU only
    assert.equal(ok.getHeader('Contact'), '<sip:uas@10.0.0.2:5080>');
  });

  it('retransmits the 2xx at T1, 2T1, 4T1... until the ACK (RFC 3261 §13.3.1.4)', () => {
    const t = setup({ t1: 500, t2: 4000 });
    t.send(invite());
    t.driver.advance(1600); // 200 at ~5 ms, then at +500, +1500
    const oks = t.got.filter((m) => m.status === 200);
    assert.equal(oks.length, 3);
    assert.equal(t.responder.stats.retransmissions, 2);
    t.ack(oks[0] as SipMessage);
    t.driver.advance(10_000);
    assert.equal(t.responder.stats.acked, 1);
    assert.equal(t.got.filter((m) => m.status === 200).length, 3);
  });

  it('drops the call when no ACK comes within 64*T1', () => {
    const t = setup({ t1: 50, t2: 400 });
    t.send(invite());
    t.driver.advance(64 * 50 + 100);
    assert.equal(t.responder.stats.noAck, 1);
    assert.equal(t.responder.callCount, 0);
  });

  it('BYE in the dialog gets 200; BYE with an unknown tag gets 481 (RFC 3261 §12.2.2)', () => {
    const t = setup();
    t.send(invite());
    t.driver.advance(50);
    const ok = t.got[1] as SipMessage;
    t.ack(ok);
    t.send(inDialog('BYE', 2, 'nope'));
    t.send(inDialog('BYE', 3, ok.to?.tag ?? ''));
    t.driver.advance(50);
    assert.deepEqual(statuses(t.got.slice(2)).sort(), ['200 BYE', '481 BYE']);
    assert.equal(t.responder.callCount, 0);
  });

  it('answers a re-INVITE with 200 and an answer; an old CSeq gets 500 (RFC 3261 §14.2, §12.2.2)', () => {
    const t = setup();
    t.send(invite());
    t.driver.advance(50);
    const tag = t.got[1]?.to?.tag ?? '';
    t.ack(t.got[1] as SipMessage);
    const re = inDialog('INVITE', 2, tag);
    re.setBody(OFFER, 'application/sdp');
    t.send(re);
    t.driver.advance(50);
    assert.deepEqual(statuses(t.got.slice(2)), ['200 INVITE']);
    t.ack(t.got[2] as SipMessage);
    t.send(inDialog('BYE', 1, tag));
    t.driver.advance(50);
    assert.deepEqual(statuses(t.got.slice(3)), ['500 BYE']);
    assert.equal(t.responder.stats.reinvites, 1);
    assert.equal(t.responder.callCount, 1);
  });

  it('CANCEL of a ringing INVITE: 200 to the CANCEL, 487 to the INVITE (RFC 3261 §9.2)', () => {
    const t = setup({ ringMs: 5000 });
    const id = t.send(invite());
    t.driver.advance(50);
    t.a.run(t.driver.now, (s) => s.cancel(id, t.driver.now));
    t.driver.advance(6000);
    assert.deepEqual(statuses(t.got), ['180 INVITE', '200 CANCEL', '487 INVITE']);
    assert.equal(t.responder.stats.cancelled, 1);
    assert.equal(t.responder.stats.answered, 0);
  });

  it('rejects an offer with no codec in common with 488 (RFC 3261 §13.3.1.3)', () => {
    const t = setup();
    t.send(invite(1, [], OFFER.replace('RTP/AVP 0', 'RTP/AVP 18').replace('0 PCMU', '18 G729')));
    t.driver.advance(50);
    assert.deepEqual(statuses(t.got), ['180 INVITE', '488 INVITE']);
  });

  it('challenges with 401 and accepts the digest answer (RFC 3261 §22.2)', () => {
    const t = setup({ auth: { username: 'alice', password: 'pw', secret: new Uint8Array(32).fill(7) } });
    t.send(invite());
    t.driver.advance(50);
    const challenge = t.got[0] as SipMessage;
    assert.equal(challenge.status, 401);
    const client = new DigestClientSession({ credentials: { username: 'alice', password: 'pw' } });
    const answer = client.respond(
      { statusCode: 401, challenges: challenge.getHeaders('WWW-Authenticate') },
      { method: 'INVITE', uri: 'sip:uas@10.0.0.2:5080', authorization: [] },
    );
    assert.ok(answer.ok);
    t.send(
      invite(
        2,
        answer.headers.map((h) => [h.name, h.value] as const),
      ),
    );
    t.driver.advance(50);
    assert.deepEqual(statuses(t.got.slice(1)), ['180 INVITE', '200 INVITE']);
    assert.equal(t.responder.stats.challenged, 1);
  });

  it('answers OPTIONS, MESSAGE and REGISTER with 200, out-of-dialog BYE with 481', () => {
    const t = setup();
    for (const method of ['OPTIONS', 'MESSAGE', 'REGISTER', 'BYE']) {
      t.send(
        createRequest({
          method,
          requestUri: 'sip:uas@10.0.0.2:5080',
          from: '<sip:alice@10.0.0.1>',
          to: '<sip:uas@10.0.0.2>',
          contact: '<sip:alice@10.0.0.1:5060>',
          headers: method === 'REGISTER' ? [['Expires', '60']] : [],
        }),
      );
    }
    t.driver.advance(50);
    assert.deepEqual(statuses(t.got).sort(), ['200 MESSAGE', '200 OPTIONS', '200 REGISTER', '481 BYE']);
    const reg = t.got.find((m) => m.cseq?.method === 'REGISTER');
    assert.equal(reg?.getHeader('Contact'), '<sip:alice@10.0.0.1:5060>;expires=60');
  });

  it('completes calls over a lossy network (20% loss): every call answered and ACKed eventually', () => {
    const t = setup({}, 0.2);
    t.send(invite());
    t.driver.advance(20_000);
    const ok = t.got.find((m) => m.status === 200);
    assert.ok(ok);
    for (let i = 0; i < 10 && t.responder.stats.acked === 0; i++) {
      t.ack(ok);
      t.driver.advance(1000);
    }
    assert.equal(t.responder.stats.acked, 1);
    assert.equal(t.responder.stats.answered, 1);
  });
});
