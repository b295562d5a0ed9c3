import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessage } from '@tsvoip/sip';
import fc from 'fast-check';
import { parseCidr, TrustedSources } from './cidr.js';
import { relayViolation } from './request-filter.js';

const us = { hosts: new Set(['192.0.2.1', 'pbx.test']), ports: new Set([5060]) };

function request(head: string): ReturnType<typeof parseMessage> {
  const method = head.slice(0, head.indexOf(' '));
  return parseMessage(
    `${head}\r\nVia: SIP/2.0/UDP 203.0.113.5;branch=z9hG4bK1\r\nMax-Forwards: 70\r\nFrom: <sip:a@pbx.test>;tag=1\r\n` +
      `Call-ID: c\r\nCSeq: 2 ${method}\r\nContent-Length: 0\r\n\r\n`,
  );
}

describe('trusted sources (CIDR)', () => {
  it('parses blocks and single addresses, rejects malformed ones', () => {
    assert.deepEqual(parseCidr('10.0.0.0/8'), { address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    assert.deepEqual(parseCidr('::1'), { address: '::1', prefix: 128, family: 'ipv6' });
    for (const bad of ['10.0.0.0/33', '10.0.0/8', 'pbx.test', '::1/129', '1.2.3.4/'])
      assert.equal(parseCidr(bad), undefined, bad);
  });

  it('matches IPv4 (also IPv4-mapped IPv6) and IPv6 sources', () => {
    const t = new TrustedSources(['127.0.0.1', '10.1.0.0/16', 'fd00::/8']);
    assert.equal(t.has('127.0.0.1'), true);
    assert.equal(t.has('127.0.0.2'), false);
    assert.equal(t.has('::ffff:10.1.200.3'), true);
    assert.equal(t.has('fd12::5'), true);
    assert.equal(t.has('fe80::1'), false);
    assert.equal(new TrustedSources([]).has('127.0.0.1'), false);
  });

  it('an address is in a /n block exactly when its first n bits are the network (property)', () => {
    const ip = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 32 }),
        (net, a, n) => {
          const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
          const network = (net & mask) >>> 0;
          const t = new TrustedSources([`${ip(network)}/${n}`]);
          assert.equal(t.has(ip(a)), (a & mask) >>> 0 === network);
        },
      ),
    );
  });
});

describe('relay guard (requests the proxy forwards without asking the router)', () => {
  it('RFC 3261 §16.4: a first Route naming the PBX passes; another first Route is refused', () => {
    const ok = request(
      'BYE sip:1001@10.0.0.7:5062 SIP/2.0\r\nTo: <sip:b@pbx.test>;tag=2\r\nRoute: <sip:192.0.2.1;lr>',
    );
    assert.equal(relayViolation(ok, us), undefined);
    const bad = request(
      'INVITE sip:victim@198.51.100.1 SIP/2.0\r\nTo: <sip:victim@x>\r\nRoute: <sip:198.51.100.1;lr>',
    );
    assert.equal(relayViolation(bad, us), 'first Route is not this PBX');
    const port = request(
      'BYE sip:x@10.0.0.7 SIP/2.0\r\nTo: <sip:b@pbx.test>;tag=2\r\nRoute: <sip:192.0.2.1:5070;lr>',
    );
    assert.equal(relayViolation(port, us), 'first Route is not this PBX');
  });

  it('an in-dialog request (To tag) without Route must be addressed to the PBX itself', () => {
    const direct = request('BYE sip:victim@198.51.100.1 SIP/2.0\r\nTo: <sip:b@pbx.test>;tag=2');
    assert.equal(relayViolation(direct, us), 'in-dialog request not routed through this PBX');
    const toUs = request('BYE sip:1001@pbx.test SIP/2.0\r\nTo: <sip:b@pbx.test>;tag=2');
    assert.equal(relayViolation(toUs, us), undefined);
    const initial = request('INVITE sip:bob@elsewhere.example SIP/2.0\r\nTo: <sip:bob@elsewhere.example>');
    assert.equal(relayViolation(initial, us), undefined); // the router decides (403 there)
  });
});
