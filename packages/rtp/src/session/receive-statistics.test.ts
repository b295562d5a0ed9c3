import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RtpReceiveStatistics } from './receive-statistics.js';

function stats(): RtpReceiveStatistics {
  return new RtpReceiveStatistics({ ssrc: 0x1234, clockRate: 8000 });
}

/** Feeds sequence numbers at 20 ms spacing with matching timestamps; returns the validity flags. */
function feed(s: RtpReceiveStatistics, seqs: number[], startMs = 0): boolean[] {
  return seqs.map((seq, i) => s.receive(seq, seq * 160, startMs + i * 20));
}

describe('RTP reception statistics (RFC 3550 appendix A)', () => {
  it('keeps a new source on probation until MIN_SEQUENTIAL sequential packets (§A.1)', () => {
    const s = stats();
    assert.equal(s.receive(100, 0, 0), false);
    // Nothing is reported about a source on probation.
    assert.equal(s.expected, 0);
    assert.equal(s.cumulativeLost, 0);
    assert.equal(s.buildReportBlock(0).fractionLost, 0);
    assert.deepEqual([s.receive(101, 160, 20), s.receive(102, 320, 40)], [true, true]);
    assert.equal(s.valid, true);
    // init_seq() at the end of probation: base is the second packet, which counts as received.
    assert.equal(s.received, 2);
    assert.equal(s.expected, 2);
    assert.equal(s.extendedHighestSequence, 102);
  });

  it('restarts probation on a non-sequential packet (§A.1)', () => {
    const s = stats();
    assert.deepEqual(feed(s, [100, 105, 106, 107]), [false, false, true, true]);
    assert.equal(s.expected, 2);
    assert.equal(s.cumulativeLost, 0);
  });

  it('extends sequence numbers across the 16-bit wrap (§A.1 cycles)', () => {
    const s = stats();
    feed(s, [65533, 65534, 65535, 0, 1]);
    assert.equal(s.extendedHighestSequence, 65536 + 1);
    assert.equal(s.expected, 4);
    assert.equal(s.received, 4);
  });

  it('counts loss as expected - received; duplicates make it negative (§A.3)', () => {
    const s = stats();
    feed(s, [1, 2, 3, 5, 6, 9, 10]);
    assert.equal(s.expected, 9);
    assert.equal(s.received, 6);
    assert.equal(s.cumulativeLost, 3);
    const d = stats();
    feed(d, [1, 2, 3, 3, 3, 4]);
    assert.equal(d.cumulativeLost, -2);
  });

  it('accepts a reordered packet within MAX_MISORDER without moving the highest sequence (§A.1)', () => {
    const s = stats();
    feed(s, [10, 11, 13, 12, 14]);
    assert.equal(s.extendedHighestSequence, 14);
    assert.equal(s.cumulativeLost, 0);
  });

  it('ignores a single large jump, and restarts when the next packet confirms it (§A.1 bad_seq)', () => {
    const s = stats();
    feed(s, [10, 11, 12]);
    assert.equal(s.receive(9000, 0, 100), false);
    assert.equal(s.receive(13, 13 * 160, 120), true);
    assert.equal(s.extendedHighestSequence, 13);
    assert.equal(s.receive(20000, 0, 140), false);
    assert.equal(s.receive(20001, 160, 160), true);
    // init_seq(20001): the statistics start over from the restart.
    assert.equal(s.extendedHighestSequence, 20001);
    assert.equal(s.received, 1);
    assert.equal(s.cumulativeLost, 0);
  });

  it('reports the fraction lost per interval: (lost << 8) / expected (§A.3)', () => {
    const s = stats();
    feed(s, [0, 1, 2, 3, 4, 6, 7, 8, 9, 11]); // 0 ends probation at 1; 1..11 expected 11, received 9
    const first = s.buildReportBlock(0);
    assert.equal(first.fractionLost, Math.floor((2 * 256) / 11));
    assert.equal(first.cumulativeLost, 2);
    assert.equal(first.highestSequence, 11);
    feed(s, [12, 13, 14, 15], 1000);
    const second = s.buildReportBlock(0);
    assert.equal(second.fractionLost, 0);
    assert.equal(second.cumulativeLost, 2);
    feed(s, [15, 16, 16], 2000); // duplicates: lost_interval < 0 -> fraction 0
    assert.equal(s.buildReportBlock(0).fractionLost, 0);
  });

  it('computes interarrival jitter J += (|D| - J)/16 in timestamp units (§A.8)', () => {
    const s = stats();
    // 8 kHz, 20 ms packets (160 units): constant transit -> no jitter.
    for (let i = 0; i < 10; i++) s.receive(i, i * 160, i * 20);
    assert.equal(s.jitter, 0);
    // Packet 10 arrives 10 ms late: D = 80 units -> J = 80/16 = 5.
    s.receive(10, 1600, 210);
    assert.equal(s.jitter, 5);
    // Packet 11 on time: D = |(220-210)*8 - 160| = 80 -> J = 5 + 75/16.
    s.receive(11, 1760, 220);
    assert.equal(s.jitter, 5 + 75 / 16);
    assert.equal(s.buildReportBlock(0).jitter, 9);
    assert.equal(s.jitterMs, (5 + 75 / 16) / 8);
  });

  it('handles the 32-bit timestamp wrap in the jitter computation (§A.8)', () => {
    const s = stats();
    s.receive(1, 0xffffff00, 0);
    s.receive(2, 0xffffff00 + 160, 20);
    s.receive(3, (0xffffff00 + 320) >>> 0, 40);
    assert.equal(s.jitter, 0);
  });

  it('fills LSR and DLSR from the last SR received (§6.4.1)', () => {
    const s = stats();
    feed(s, [1, 2]);
    assert.equal(s.buildReportBlock(0).lastSenderReport, 0);
    assert.equal(s.buildReportBlock(0).delaySinceLastSenderReport, 0);
    s.receiveSenderReport(0x1234b710, 0x8000abcd, 1000);
    const block = s.buildReportBlock(3500);
    assert.equal(block.ssrc, 0x1234);
    assert.equal(block.lastSenderReport, 0xb7108000);
    assert.equal(block.delaySinceLastSenderReport, 2.5 * 65536);
  });

  it('never counts more lost than expected for any arrival pattern', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 3, maxLength: 200 }), (seqs) => {
        const s = stats();
        feed(s, seqs);
        assert.ok(s.cumulativeLost <= s.expected);
        const block = s.buildReportBlock(0);
        assert.ok(block.fractionLost >= 0 && block.fractionLost <= 255);
      }),
    );
  });
});
