import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { needsCongestionControl, transportForRequest } from './message-size.js';

describe('RFC 3261 §18.1.1 request size rule', () => {
  it('unknown MTU: over 1300 octets needs TCP, 1300 does not', () => {
    assert.equal(needsCongestionControl(1300), false);
    assert.equal(needsCongestionControl(1301), true);
    assert.equal(transportForRequest('UDP', 1301), 'TCP');
    assert.equal(transportForRequest('UDP', 1300), 'UDP');
  });

  it('known MTU: within 200 octets of it needs TCP', () => {
    assert.equal(needsCongestionControl(1300, 1500), false);
    assert.equal(needsCongestionControl(1301, 1500), true);
    assert.equal(needsCongestionControl(8000, 9000), false);
    assert.equal(needsCongestionControl(576 - 199, 576), true);
  });

  it('never switches a non-UDP transport', () => {
    fc.assert(
      fc.property(fc.constantFrom('TCP', 'TLS', 'WS', 'WSS' as const), fc.nat(100000), (t, size) => {
        assert.equal(transportForRequest(t, size), t);
      }),
    );
  });
});
