import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressKey } from '@tsvoip/transport';
import { decodeFlowToken } from './flow-token.js';
import { ALICE, BOB, PROXY, World } from './sim-harness.test.helper.js';

const NAT_PUBLIC = '198.51.100.7';

describe('proxy: NAT handling and flows (RFC 5626 §5.3, RFC 5658, RFC 3581)', () => {
  it('RFC 5626 §5.3: a registered UA is reached over its TCP flow, in-dialog requests too', () => {
    const w = new World();
    const bob = w.ua(
      'bob',
      NAT_PUBLIC,
      { ringAfter: 10, final: { status: 200, after: 100 }, contact: '<sip:bob@10.9.9.9:5070;transport=tcp>' },
      'TCP',
      40000,
    );
    const flow = {
      transport: 'TCP' as const,
      host: NAT_PUBLIC,
      port: 40000,
      connectionId: addressKey({ transport: 'TCP', host: NAT_PUBLIC, port: 40000 }),
    };
    // The Contact is a private address: routing by it would fail; the flow is what works.
    w.proxy.route(() => [{ uri: 'sip:bob@10.9.9.9:5070;transport=tcp', flow }]);
    const alice = w.ua('alice', ALICE);
    const invite = alice.send('sip:bob@example.com');
    w.run(1000);
    assert.equal(bob.requests.length, 1, 'INVITE delivered over the flow');
    assert.equal(bob.requests[0].requestUri, 'sip:bob@10.9.9.9:5070;transport=tcp');
    // RFC 5658: UDP in, TCP out: two Record-Route values, TCP (toward bob) on top, with bob's flow.
    const rr = bob.requests[0].recordRoute;
    assert.equal(rr.length, 2);
    const top = rr[0].uri;
    assert.ok(top.kind === 'sip' && top.params.get('transport') === 'tcp' && top.params.has('lr'));
    assert.deepEqual(decodeFlowToken((top as { user: string }).user), flow);
    assert.deepEqual(alice.finals(), [200]);

    // A BYE from alice: Request-URI is bob's private Contact, but it goes over bob's flow.
    const ok = alice.responses.find((r) => r.status === 200);
    assert.ok(ok);
    alice.inDialog('ACK', { asUac: ok, invite });
    alice.inDialog('BYE', { asUac: ok, invite });
    w.run(1000);
    assert.equal(bob.acks.length, 1);
    const bye = bob.requests.find((r) => r.method === 'BYE');
    assert.ok(bye, 'BYE reached bob over his flow');
    assert.equal(bye.hasHeader('Route'), false, 'both of our Route values popped');
    assert.deepEqual(alice.finals(), [200, 200]);
  });

  it('RFC 5658: double record-routing UDP→TCP, a BYE from the TCP side goes out over UDP', () => {
    const w = new World();
    w.proxy.route(() => [{ uri: `sip:bob@${BOB};transport=tcp` }]);
    const alice = w.ua('alice', ALICE);
    const bob = w.ua('bob', BOB, { final: { status: 200, after: 50 } }, 'TCP');
    alice.send('sip:bob@example.com');
    w.run(1000);
    const inv = bob.requests[0];
    assert.deepEqual(inv.getHeaders('Record-Route'), [
      `<sip:${PROXY}:5060;transport=tcp;lr>`,
      `<sip:${PROXY}:5060;lr>`,
    ]);
    // alice sees the same two values (RFC 3261 §12.1.2: her route set is their reverse).
    const ok = alice.responses.find((r) => r.status === 200);
    assert.deepEqual(ok?.getHeaders('Record-Route'), inv.getHeaders('Record-Route'));
    bob.inDialog('BYE', { asUas: inv });
    w.run(1000);
    const bye = alice.requests.find((r) => r.method === 'BYE');
    assert.ok(bye, 'alice got the BYE');
    assert.equal(bye.via[0].transport, 'UDP');
    assert.equal(bye.via[1].transport, 'TCP');
    assert.equal(bye.hasHeader('Route'), false);
    assert.deepEqual(bob.finals(), [200]);
  });

  it('RFC 3581: the inbound Via gets received/rport; a UA behind a NAT gets a flow token', () => {
    const w = new World();
    // bob's stack writes a private sent-by while the network sees his public address.
    w.proxy.route(() => [{ uri: `sip:carol@${BOB}` }]);
    const carol = w.ua('carol', BOB, { final: { status: 200, after: 10 } });
    w.bindRaw({ transport: 'UDP', host: NAT_PUBLIC, port: 61000 });
    w.sendRaw(
      { transport: 'UDP', host: NAT_PUBLIC, port: 61000 },
      { transport: 'UDP', host: PROXY, port: 5060 },
      [
        'INVITE sip:carol@example.com SIP/2.0',
        'Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bKnat1;rport',
        'Max-Forwards: 70',
        'From: <sip:nat@example.com>;tag=n1',
        'To: <sip:carol@example.com>',
        'Call-ID: nat-1',
        'CSeq: 1 INVITE',
        'Contact: <sip:nat@192.168.1.20:5060>',
        'Content-Length: 0',
        '',
        '',
      ].join('\n'),
    );
    w.run(1000);
    const got = carol.requests[0];
    assert.ok(got);
    assert.equal(got.via[1].received, NAT_PUBLIC);
    assert.equal(got.via[1].rport, 61000);
    const rr = got.recordRoute;
    assert.equal(rr.length, 2, 'a flow to name: two values');
    const bottom = rr[1].uri as { user?: string };
    assert.deepEqual(decodeFlowToken(bottom.user as string), {
      transport: 'UDP',
      host: NAT_PUBLIC,
      port: 61000,
    });
    // The 200 went back to the NAT's public address and port (rport).
    assert.deepEqual(w.rawStatuses(), [200]);
  });
});
