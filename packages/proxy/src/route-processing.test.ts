import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessage, type SipMessage } from '@tsvoip/sip';
import { decodeFlowToken } from './flow-token.js';
import type { Locality } from './locality.js';
import {
  postprocessRoutes,
  preprocessRoutes,
  recordRouteValue,
  recordRouteValues,
} from './route-processing.js';

const LOC: Locality = {
  localAddresses: [
    { transport: 'UDP', host: '192.0.2.10', port: 5060 },
    { transport: 'TCP', host: '192.0.2.10', port: 5060 },
  ],
  domains: new Set(['example.com']),
};

function req(ruri: string, routes: string[]): SipMessage {
  const text = [
    `BYE ${ruri} SIP/2.0`,
    'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa',
    ...routes.map((r) => `Route: ${r}`),
    'From: <sip:a@example.com>;tag=f',
    'To: <sip:b@example.com>;tag=t',
    'Call-ID: c',
    'CSeq: 2 BYE',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  return parseMessage(Buffer.from(text), { stream: false });
}

describe('Route processing (RFC 3261 §16.4, §16.6 item 6; RFC 5658)', () => {
  it('§16.4: strict-route fix-up takes the last Route value as the Request-URI', () => {
    const r = req('sip:192.0.2.10;lr', ['<sip:p2.example.net;lr>', '<sip:bob@10.0.0.2>']);
    const pre = preprocessRoutes(r, LOC);
    assert.equal(pre.strictRouteFixed, true);
    assert.equal(r.requestUri, 'sip:bob@10.0.0.2');
    assert.deepEqual(r.getHeaders('Route'), ['<sip:p2.example.net;lr>']);
  });

  it('§16.4 / RFC 5658: our values at the top are popped (two after double record-routing), others kept', () => {
    const r = req('sip:bob@10.0.0.2', [
      '<sip:192.0.2.10;lr>',
      '<sip:192.0.2.10:5060;transport=tcp;lr>',
      '<sip:192.0.2.10;lr>',
      '<sip:other.example.net;lr>',
    ]);
    const pre = preprocessRoutes(r, LOC);
    assert.equal(pre.popped, 2);
    assert.deepEqual(r.getHeaders('Route'), ['<sip:192.0.2.10;lr>', '<sip:other.example.net;lr>']);
    assert.equal(r.requestUri, 'sip:bob@10.0.0.2');
  });

  it('a domain name is not an address of ours: not popped', () => {
    const r = req('sip:bob@10.0.0.2', ['<sip:example.com;lr>']);
    assert.equal(preprocessRoutes(r, LOC).popped, 0);
  });

  it('flow tokens in popped values are returned', () => {
    const v = recordRouteValue(LOC.localAddresses[1], {
      transport: 'TCP',
      host: '198.51.100.7',
      port: 40000,
    });
    const r = req('sip:bob@10.9.9.9', [v]);
    const pre = preprocessRoutes(r, LOC);
    assert.deepEqual(pre.flows, [{ transport: 'TCP', host: '198.51.100.7', port: 40000 }]);
  });

  it('§16.6 item 6: a strict next hop gets the Request-URI and the old one goes last in Route', () => {
    const r = req('sip:bob@10.0.0.2', ['<sip:strict.example.net>', '<sip:p3.example.net;lr>']);
    const next = postprocessRoutes(r);
    assert.equal(r.requestUri, 'sip:strict.example.net');
    assert.equal(next, 'sip:strict.example.net');
    assert.deepEqual(r.getHeaders('Route'), ['<sip:p3.example.net;lr>', '<sip:bob@10.0.0.2>']);
  });

  it('§16.6 item 7: a loose next hop is the first Route value; without Route, the Request-URI', () => {
    const r = req('sip:bob@10.0.0.2', ['<sip:p2.example.net:5070;transport=tcp;lr>']);
    assert.equal(postprocessRoutes(r), 'sip:p2.example.net:5070;transport=tcp');
    assert.equal(r.requestUri, 'sip:bob@10.0.0.2');
    assert.equal(postprocessRoutes(req('sip:bob@10.0.0.2', [])), 'sip:bob@10.0.0.2');
  });

  it('RFC 5658: one Record-Route value on one interface, two (outbound first) across transports', () => {
    const [udp, tcp] = LOC.localAddresses;
    assert.deepEqual(recordRouteValues(udp, udp, undefined, undefined), ['<sip:192.0.2.10:5060;lr>']);
    assert.deepEqual(recordRouteValues(udp, tcp, undefined, undefined), [
      '<sip:192.0.2.10:5060;transport=tcp;lr>',
      '<sip:192.0.2.10:5060;lr>',
    ]);
    const flow = { transport: 'UDP' as const, host: '203.0.113.5', port: 61000 };
    const two = recordRouteValues(udp, udp, flow, undefined);
    assert.equal(two.length, 2, 'a flow to name: both sides');
    const user = two[1].slice(5, two[1].indexOf('@'));
    assert.deepEqual(decodeFlowToken(user), flow);
  });
});
