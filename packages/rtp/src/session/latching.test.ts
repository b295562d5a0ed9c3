import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RtpLatch } from './latching.js';

describe('symmetric RTP latching (RFC 4961)', () => {
  it('latches to the first acceptable source, then accepts only it', () => {
    const latch = new RtpLatch();
    assert.equal(latch.remote, undefined);
    assert.equal(latch.decide('10.0.0.1', 4000, 1, 0, 1, 0), 'latched');
    assert.deepEqual(latch.remote, { address: '10.0.0.1', port: 4000 });
    assert.equal(latch.decide('10.0.0.1', 4000, 1, 0, 2, 20), 'accepted');
    assert.equal(latch.decide('10.0.0.2', 4000, 2, 0, 1, 40), 'rejected');
    assert.equal(latch.decide('10.0.0.1', 4001, 2, 0, 1, 40), 'rejected');
    assert.deepEqual(latch.remote, { address: '10.0.0.1', port: 4000 });
  });

  it('latches only on the expected SSRC and negotiated payload types', () => {
    const latch = new RtpLatch({ expectedSsrc: 7, payloadTypes: [0, 101] });
    assert.equal(latch.decide('10.0.0.9', 5000, 8, 0, 1, 0), 'rejected');
    assert.equal(latch.decide('10.0.0.9', 5000, 7, 8, 1, 0), 'rejected');
    assert.equal(latch.remote, undefined);
    assert.equal(latch.decide('10.0.0.1', 4000, 7, 101, 1, 0), 'latched');
  });

  it('follows the latched SSRC to a new address at once (NAT rebinding)', () => {
    const latch = new RtpLatch();
    latch.decide('10.0.0.1', 4000, 1, 0, 1, 0);
    assert.equal(latch.decide('10.0.0.1', 4100, 1, 0, 2, 20), 'relatched');
    assert.deepEqual(latch.remote, { address: '10.0.0.1', port: 4100 });
    assert.equal(latch.decide('10.0.0.1', 4000, 1, 0, 3, 40), 'relatched');
    const strict = new RtpLatch({ followSsrc: false });
    strict.decide('10.0.0.1', 4000, 1, 0, 1, 0);
    assert.equal(strict.decide('10.0.0.1', 4100, 1, 0, 2, 20), 'rejected');
  });

  it('re-latches to another source only after the current one is idle and the new one sends sequentially', () => {
    const latch = new RtpLatch({ relatchAfterIdleMs: 1000, probation: 3 });
    latch.decide('10.0.0.1', 4000, 1, 0, 1, 0);
    assert.equal(latch.decide('10.0.0.2', 6000, 2, 0, 50, 500), 'rejected'); // current not idle yet
    assert.equal(latch.decide('10.0.0.2', 6000, 2, 0, 51, 1100), 'rejected'); // 1 of 3
    assert.equal(latch.decide('10.0.0.2', 6000, 2, 0, 53, 1120), 'rejected'); // not sequential: 1 of 3
    assert.equal(latch.decide('10.0.0.2', 6000, 2, 0, 54, 1140), 'rejected'); // 2 of 3
    assert.equal(latch.decide('10.0.0.2', 6000, 2, 0, 55, 1160), 'relatched');
    assert.deepEqual(latch.remote, { address: '10.0.0.2', port: 6000 });
    assert.equal(latch.decide('10.0.0.1', 4000, 1, 0, 2, 1180), 'rejected');
  });

  it('latches afresh after reset (new remote description)', () => {
    const latch = new RtpLatch();
    latch.decide('10.0.0.1', 4000, 1, 0, 1, 0);
    latch.reset();
    assert.equal(latch.decide('10.0.0.3', 7000, 9, 0, 1, 10), 'latched');
    assert.deepEqual(latch.remote, { address: '10.0.0.3', port: 7000 });
  });
});
