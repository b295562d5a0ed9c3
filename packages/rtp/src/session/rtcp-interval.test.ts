import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { seededRandom } from '../test/prng.js';
import {
  RTCP_COMPENSATION,
  type RtcpIntervalParameters,
  reconsiderOnExpiry,
  reverseReconsideration,
  rtcpDeterministicIntervalMs,
  rtcpIntervalMs,
  updateAvgRtcpSize,
} from './rtcp-interval.js';

const base: RtcpIntervalParameters = {
  members: 2,
  senders: 1,
  rtcpBandwidth: 500,
  weSent: true,
  avgRtcpSize: 100,
  initial: false,
};

describe('RTCP transmission interval (RFC 3550 §6.3, §A.7)', () => {
  it('never goes below the 5 s minimum, halved before the first report (§6.2, §A.7)', () => {
    assert.equal(rtcpDeterministicIntervalMs(base), 5000);
    assert.equal(rtcpDeterministicIntervalMs({ ...base, initial: true }), 2500);
    assert.equal(rtcpDeterministicIntervalMs({ ...base, minIntervalMs: 1000 }), 1000);
  });

  it('shares 25% of the bandwidth among senders and 75% among receivers when senders are few (§6.3.1)', () => {
    const large = { ...base, members: 1000, senders: 10 };
    // Receiver: 990 receivers share 375 B/s: 100 * 990 / 375 = 264 s.
    assert.equal(rtcpDeterministicIntervalMs({ ...large, weSent: false }), 264_000);
    // Sender: 10 senders share 125 B/s: 100 * 10 / 125 = 8 s.
    assert.equal(rtcpDeterministicIntervalMs({ ...large, weSent: true }), 8000);
    // Senders above 25% of members: everyone shares the whole bandwidth: 100 * 1000 / 500 = 200 s.
    assert.equal(rtcpDeterministicIntervalMs({ ...large, senders: 400 }), 200_000);
  });

  it('randomises to [0.5, 1.5) x Td and divides by e - 3/2 (§A.7)', () => {
    assert.equal(RTCP_COMPENSATION, Math.E - 1.5);
    assert.equal(
      rtcpIntervalMs(base, () => 0),
      (5000 * 0.5) / (Math.E - 1.5),
    );
    assert.equal(
      rtcpIntervalMs(base, () => 0.5),
      5000 / (Math.E - 1.5),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer(), (members, seed) => {
        const p = { ...base, members, senders: Math.floor(members / 3) };
        const td = rtcpDeterministicIntervalMs(p);
        const t = rtcpIntervalMs(p, seededRandom(seed));
        assert.ok(t >= (td * 0.5) / RTCP_COMPENSATION && t < (td * 1.5) / RTCP_COMPENSATION);
      }),
    );
  });

  it('updates the average RTCP size with weight 1/16 (§6.3.3)', () => {
    assert.equal(updateAvgRtcpSize(100, 260), 110);
  });

  it('reconsiders when the timer fires: send only if tp + T <= tc (§6.3.6)', () => {
    assert.deepEqual(reconsiderOnExpiry(0, 3000, 5000), { send: false, nextTransmissionMs: 5000 });
    assert.deepEqual(reconsiderOnExpiry(0, 6000, 5000), { send: true });
  });

  it('pulls the timers in when members leave (reverse reconsideration, §6.3.4)', () => {
    assert.deepEqual(reverseReconsideration(10_000, 15_000, 5_000, 2, 4), {
      nextTransmissionMs: 12_500,
      previousTransmissionMs: 7_500,
    });
    assert.deepEqual(reverseReconsideration(10_000, 15_000, 5_000, 4, 4), {
      nextTransmissionMs: 15_000,
      previousTransmissionMs: 5_000,
    });
  });
});
