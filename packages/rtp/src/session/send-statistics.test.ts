import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRtcp, serializeRtcp } from '../rtcp/compound.js';
import { ntpFromUnixMs, ntpMiddle32, roundTripTimeMs } from './ntp.js';
import { RtpReceiveStatistics } from './receive-statistics.js';
import { RtpSendStatistics } from './send-statistics.js';

describe('sender statistics and an SR/RR exchange (RFC 3550 §6.4)', () => {
  it('counts packets and payload octets into the sender report', () => {
    const s = new RtpSendStatistics(42);
    s.sent(160);
    s.sent(160);
    const sr = s.buildSenderReport({ seconds: 1, fraction: 2 }, 320);
    assert.deepEqual(sr, {
      type: 'sr',
      ssrc: 42,
      ntpSeconds: 1,
      ntpFraction: 2,
      rtpTimestamp: 320,
      packetCount: 2,
      octetCount: 320,
      reports: [],
    });
  });

  it('measures a 100 ms round trip through SR -> RR on virtual time (§6.4.1)', () => {
    // A sends an SR at wall time T; B receives it 50 ms later, answers 100 ms after that with an RR;
    // the RR reaches A 50 ms after (200 ms in all): RTT = 50 + 50 ms; DLSR removes B's 100 ms hold.
    const t0 = 1_700_000_000_000;
    const sender = new RtpSendStatistics(1);
    const receiver = new RtpReceiveStatistics({ ssrc: 1, clockRate: 8000 });
    const ntp = ntpFromUnixMs(t0);
    const [sr] = parseRtcp(serializeRtcp([sender.buildSenderReport(ntp, 0)]));
    assert.equal(sr.type, 'sr');
    if (sr.type !== 'sr') return;
    receiver.receiveSenderReport(sr.ntpSeconds, sr.ntpFraction, 5_050); // B's monotonic clock
    const block = receiver.buildReportBlock(5_150);
    const arrival = ntpFromUnixMs(t0 + 200);
    const rtt = roundTripTimeMs(
      ntpMiddle32(arrival.seconds, arrival.fraction),
      block.lastSenderReport,
      block.delaySinceLastSenderReport,
    );
    assert.ok(rtt !== undefined && Math.abs(rtt - 100) < 0.1, `rtt ${rtt}`);
  });
});
