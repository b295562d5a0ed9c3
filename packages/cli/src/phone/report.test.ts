import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type CallSummary, formatSummary, formatSummaryJson, parseSummaryJson } from './report.js';

const summary: fc.Arbitrary<CallSummary> = fc.record({
  durationS: fc.double({ min: 0, max: 1e5, noNaN: true }),
  codec: fc.option(fc.constantFrom('PCMU', 'PCMA', 'G722', 'opus'), { nil: null }),
  srtp: fc.boolean(),
  packetsSent: fc.nat(),
  packetsReceived: fc.nat(),
  packetsLost: fc.nat(),
  fractionLost: fc.double({ min: 0, max: 1, noNaN: true }),
  jitterMs: fc.double({ min: 0, max: 1e4, noNaN: true }),
  rttMs: fc.option(fc.double({ min: 0, max: 1e4, noNaN: true }), { nil: null }),
  mos: fc.double({ min: 1, max: 5, noNaN: true }),
  dtmfReceived: fc.stringMatching(/^[0-9*#A-D]{0,8}$/),
});

describe('phone call report', () => {
  it('the stats JSON line round-trips', () => {
    fc.assert(
      fc.property(summary, (s) => {
        assert.deepEqual(parseSummaryJson(formatSummaryJson(s)), { ...s });
      }),
    );
  });

  it('other lines are not stats lines', () => {
    assert.equal(parseSummaryJson('call ended: remote-bye'), undefined);
    assert.equal(parseSummaryJson('stats {not json'), undefined);
    assert.equal(parseSummaryJson('stats {"a":1}'), undefined);
  });

  it('the readable line names codec, SRTP, counters, loss in percent, jitter, rtt, MOS and DTMF', () => {
    const line = formatSummary({
      durationS: 5.02,
      codec: 'PCMU',
      srtp: true,
      packetsSent: 251,
      packetsReceived: 249,
      packetsLost: 2,
      fractionLost: 0.008,
      jitterMs: 1.26,
      rttMs: null,
      mos: 4.31,
      dtmfReceived: '12#',
    });
    assert.equal(
      line,
      'call statistics: 5.02 s, PCMU (SRTP), sent 251, received 249, lost 2 (0.8%), jitter 1.3 ms, rtt -, MOS 4.31, dtmf 12#',
    );
  });
});
