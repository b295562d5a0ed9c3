import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { msToDelayUnits, ntpFromUnixMs, ntpMiddle32, roundTripTimeMs, unixMsFromNtp } from './ntp.js';

describe('NTP timestamps and RTT (RFC 3550 §4, §6.4.1)', () => {
  it('computes the RTT of the RFC 3550 §6.4.1 example: 6.125 s', () => {
    // A = 0xb710:8000 (46864.500 s), LSR = 46853.125 s, DLSR = 0x0005:4000 (5.250 s)
    // -> RTT = 0x0006:2000 = 6.125 s. The RFC prints LSR as 0xb705:2030, which does not match its own
    // decimal value 46853.125 (0xb705:2000) nor its result; the decimal values are used here.
    assert.equal(roundTripTimeMs(0xb7108000, 0xb7052000, 0x00054000), 6125);
  });

  it('has no RTT before an SR was received (LSR = 0) or when the clocks disagree', () => {
    assert.equal(roundTripTimeMs(0xb7108000, 0, 0), undefined);
    assert.equal(roundTripTimeMs(0xb7052030, 0xb7052030, 0x10000), undefined);
  });

  it('computes the RTT across the wrap of the middle 32 bits', () => {
    // LSR just before the wrap, A just after: 0x10 + 0x10 units = 32/65536 s.
    assert.equal(roundTripTimeMs(0x00000010, 0xfffffff0, 0), (32 * 1000) / 65536);
  });

  it('takes the middle 32 bits of an NTP timestamp', () => {
    assert.equal(ntpMiddle32(0x1234b710, 0x8000abcd), 0xb7108000);
  });

  it('converts Unix milliseconds to NTP: 1970-01-01 is 2208988800 s after the NTP epoch', () => {
    assert.deepEqual(ntpFromUnixMs(0), { seconds: 2208988800, fraction: 0 });
    assert.deepEqual(ntpFromUnixMs(1500), { seconds: 2208988801, fraction: 0x80000000 });
    assert.equal(msToDelayUnits(5250), 0x54000);
  });

  it('round-trips Unix ms through NTP to within a microsecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000_000_000 }), (ms) => {
        const ntp = ntpFromUnixMs(ms);
        assert.ok(Math.abs(unixMsFromNtp(ntp.seconds, ntp.fraction) - ms) < 0.001);
      }),
    );
  });
});
