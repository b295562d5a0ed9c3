import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseVia } from '@tsvoip/sip';
import type { SipAddress } from './address.js';
import { type RouteCache, responseRoute } from './response-route.js';

const udp = (host: string, port: number): SipAddress => ({ transport: 'UDP', host, port });
const tcp = (host: string, port: number): SipAddress => ({ transport: 'TCP', host, port });

describe('responseRoute with a RouteCache', () => {
  it('reuses one route for requests from the same place, and builds a new one when the place changes', () => {
    const cache: RouteCache = { last: undefined };
    const via = parseVia('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;received=192.0.2.1;rport=4000');
    const a = responseRoute(via, udp('192.0.2.1', 4000), undefined, cache);
    assert.deepEqual(a, { to: udp('192.0.2.1', 4000) });
    const b = responseRoute(
      parseVia('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK2;received=192.0.2.1;rport=4000'),
      udp('192.0.2.1', 4000),
      undefined,
      cache,
    );
    assert.equal(b, a, 'same destination: the same object');
    // §18.2.2: another rport, another received, maddr: each a route of its own.
    const c = responseRoute(
      parseVia('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK3;received=192.0.2.1;rport=4001'),
      udp('192.0.2.1', 4001),
      undefined,
      cache,
    );
    assert.deepEqual(c, { to: udp('192.0.2.1', 4001) });
    const d = responseRoute(
      parseVia('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK4;maddr=239.1.1.1'),
      udp('192.0.2.1', 4001),
      undefined,
      cache,
    );
    assert.deepEqual(d, { to: udp('239.1.1.1', 5060) });
    assert.notEqual(responseRoute(via, udp('192.0.2.1', 4000), undefined, cache), c);
  });

  it('over a connection, the connection id is part of the route', () => {
    const cache: RouteCache = { last: undefined };
    const via = parseVia('SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1');
    const a = responseRoute(via, tcp('192.0.2.1', 4000), 'c1', cache);
    assert.deepEqual(a, { to: tcp('192.0.2.1', 4000), connectionId: 'c1' });
    assert.equal(responseRoute(via, tcp('192.0.2.1', 4000), 'c1', cache), a);
    const b = responseRoute(via, tcp('192.0.2.1', 4000), 'c2', cache);
    assert.deepEqual(b, { to: tcp('192.0.2.1', 4000), connectionId: 'c2' });
    assert.notEqual(b, a);
  });

  it('without a cache every call builds its own route', () => {
    const via = parseVia('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1');
    const a = responseRoute(via, udp('10.0.0.1', 5060));
    const b = responseRoute(via, udp('10.0.0.1', 5060));
    assert.deepEqual(a, b);
    assert.notEqual(a, b);
  });
});
