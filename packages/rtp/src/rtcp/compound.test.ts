import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RtcpParseError, RtpEncodeError } from '../errors.js';
import { rtcpCompound, rtcpPacket } from '../test/rtcp-arbitraries.js';
import { isRtcpPacket, parseRtcp, rtcpCompoundSize, serializeRtcp, serializeRtcpInto } from './compound.js';
import type { RtcpPacket } from './types.js';

function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

function reason(bytes: Uint8Array, reducedSize = false): string {
  try {
    parseRtcp(bytes, { reducedSize });
  } catch (e) {
    assert.ok(e instanceof RtcpParseError, String(e));
    return e.reason;
  }
  assert.fail('expected RtcpParseError');
}

// SR (RFC 3550 §6.4.1) with no report block, then SDES (§6.5) with one CNAME "test".
const SR_SDES = hex(
  '80c8 0006 12345678 e49a3b3c 80000000 00001f40 0000000a 00000640' + '81ca 0003 12345678 0104 74657374 0000',
);

describe('RTCP compound packets (RFC 3550 §6.1)', () => {
  it('parses an SR followed by an SDES CNAME, field by field', () => {
    const packets = parseRtcp(SR_SDES);
    assert.deepEqual(packets, [
      {
        type: 'sr',
        ssrc: 0x12345678,
        ntpSeconds: 0xe49a3b3c,
        ntpFraction: 0x80000000,
        rtpTimestamp: 8000,
        packetCount: 10,
        octetCount: 1600,
        reports: [],
      },
      { type: 'sdes', chunks: [{ ssrc: 0x12345678, items: [{ type: 1, text: 'test' }] }] },
    ]);
    assert.deepEqual(serializeRtcp(packets), SR_SDES);
  });

  it('parses an RR with a report block whose cumulative loss is negative (signed 24 bits, §6.4.1)', () => {
    const bytes = hex('81c9 0007 00000001 00000002 40 fffffe 0001ffff 00000010 b7052030 00054000');
    const [rr] = parseRtcp(bytes);
    assert.deepEqual(rr, {
      type: 'rr',
      ssrc: 1,
      reports: [
        {
          ssrc: 2,
          fractionLost: 0x40,
          cumulativeLost: -2,
          highestSequence: 0x1ffff,
          jitter: 16,
          lastSenderReport: 0xb7052030,
          delaySinceLastSenderReport: 0x54000,
        },
      ],
    });
    assert.deepEqual(serializeRtcp([rr]), bytes);
  });

  it('parses BYE with a reason and APP (§6.6, §6.7)', () => {
    const bytes = hex(
      '80c9 0001 00000001' + '81cb 0003 00000001 05 6c656176 650000' + '85cc 0003 00000001 74657374 01020304',
    );
    const packets = parseRtcp(bytes);
    assert.deepEqual(packets.slice(1), [
      { type: 'bye', ssrcs: [1], reason: 'leave' },
      { type: 'app', subtype: 5, ssrc: 1, name: 'test', data: hex('01020304') },
    ]);
    assert.deepEqual(serializeRtcp(packets), bytes);
  });

  it('parses a generic NACK and a PLI (RFC 4585 §6.2.1, §6.3.1)', () => {
    const bytes = hex(
      '80c9 0001 00000001' + '81cd 0003 00000001 00000002 0064 0005' + '81ce 0002 00000001 00000002',
    );
    const packets = parseRtcp(bytes);
    assert.deepEqual(packets.slice(1), [
      { type: 'nack', senderSsrc: 1, mediaSsrc: 2, items: [{ pid: 100, blp: 5 }] },
      { type: 'pli', senderSsrc: 1, mediaSsrc: 2 },
    ]);
    assert.deepEqual(serializeRtcp(packets), bytes);
  });

  it('parses XR receiver reference time, DLRR and VoIP metrics blocks (RFC 3611 §4.4, §4.5, §4.7)', () => {
    const bytes = hex(
      '80c9 0001 00000001' +
        '80cf 0011 00000001' +
        '04 00 0002 e49a3b3c 80000000' +
        '05 00 0003 00000002 3b3c8000 00010000' +
        '07 00 0008 00000002 0a 00 10 20 0064 00c8 0032 0028 ec b0 7f 10 5d 7f 29 2a 80 00 0028 0050 00c8',
    );
    const [, xr] = parseRtcp(bytes);
    assert.deepEqual(xr, {
      type: 'xr',
      ssrc: 1,
      blocks: [
        { blockType: 'rrt', ntpSeconds: 0xe49a3b3c, ntpFraction: 0x80000000 },
        {
          blockType: 'dlrr',
          subBlocks: [{ ssrc: 2, lastReceiverReport: 0x3b3c8000, delaySinceLastReceiverReport: 65536 }],
        },
        {
          blockType: 'voip-metrics',
          ssrc: 2,
          lossRate: 10,
          discardRate: 0,
          burstDensity: 16,
          gapDensity: 32,
          burstDuration: 100,
          gapDuration: 200,
          roundTripDelay: 50,
          endSystemDelay: 40,
          signalLevel: -20,
          noiseLevel: -80,
          residualEchoReturnLoss: 127,
          gmin: 16,
          rFactor: 93,
          externalRFactor: 127,
          mosLq: 41,
          mosCq: 42,
          receiverConfiguration: 0x80,
          jitterBufferNominal: 40,
          jitterBufferMaximum: 80,
          jitterBufferAbsoluteMaximum: 200,
        },
      ],
    });
    assert.deepEqual(serializeRtcp(parseRtcp(bytes)), bytes);
  });

  it('applies the validity checks of RFC 3550 §A.2', () => {
    assert.equal(reason(hex('80c9')), 'short-buffer');
    // Version 1 in the first packet, then in a later packet.
    assert.equal(reason(hex('40c9 0001 00000001')), 'bad-version');
    assert.equal(reason(hex('80c9 0001 00000001 41cb 0001 00000001')), 'bad-version');
    // First packet is not SR/RR.
    assert.equal(reason(hex('81cb 0001 00000001')), 'bad-first-packet');
    // Length field runs past the end; trailing octets after the last packet.
    assert.equal(reason(hex('80c9 0002 00000001')), 'bad-length');
    assert.equal(reason(hex('80c9 0001 00000001 81cb')), 'bad-length');
    // Padding on a packet that is not the last one; invalid padding count.
    assert.equal(reason(hex('a0c9 0002 00000001 00000004 81cb 0001 00000001')), 'bad-padding');
    assert.equal(reason(hex('a0c9 0002 00000001 00000009')), 'bad-padding');
    assert.equal(reason(hex('a0c9 0002 00000001 00000000')), 'bad-padding');
    // RR announcing a report block it does not carry.
    assert.equal(reason(hex('81c9 0001 00000001')), 'bad-packet');
  });

  it('accepts reduced-size RTCP only when asked (RFC 5506 §3.4.2)', () => {
    const pli = hex('81ce 0002 00000001 00000002');
    assert.equal(reason(pli), 'bad-first-packet');
    assert.deepEqual(parseRtcp(pli, { reducedSize: true }), [{ type: 'pli', senderSsrc: 1, mediaSsrc: 2 }]);
  });

  it('handles padding on the last packet (RFC 3550 §6.4.1)', () => {
    const bytes = hex('a0c9 0002 00000001 00000004');
    const packets = parseRtcp(bytes);
    assert.deepEqual(packets, [{ type: 'rr', ssrc: 1, reports: [], paddingLength: 4 }]);
    assert.deepEqual(serializeRtcp(packets), bytes);
    assert.throws(
      () =>
        serializeRtcp([
          { type: 'rr', ssrc: 1, reports: [], paddingLength: 4 },
          { type: 'bye', ssrcs: [1] },
        ]),
      RtpEncodeError,
    );
  });

  it('tells RTCP from RTP on a multiplexed port (RFC 5761 §4)', () => {
    assert.equal(isRtcpPacket(SR_SDES), true);
    assert.equal(isRtcpPacket(hex('80 00 0001 00000000 00000000')), false);
    assert.equal(isRtcpPacket(hex('80 e0 0001 00000000 00000000')), false);
  });

  it('rejects values that cannot be encoded', () => {
    const block = {
      ssrc: 0,
      fractionLost: 0,
      cumulativeLost: 0,
      highestSequence: 0,
      jitter: 0,
      lastSenderReport: 0,
      delaySinceLastSenderReport: 0,
    };
    const tooMany: RtcpPacket = { type: 'rr', ssrc: 1, reports: new Array(32).fill(block) };
    assert.throws(() => serializeRtcp([tooMany]), RtpEncodeError);
    assert.throws(
      () => serializeRtcp([{ type: 'app', subtype: 0, ssrc: 1, name: 'toolong', data: new Uint8Array(0) }]),
      RtpEncodeError,
    );
    assert.throws(() => serializeRtcp([{ type: 'bye', ssrcs: [], reason: 'x'.repeat(256) }]), RtpEncodeError);
    assert.throws(
      () =>
        serializeRtcp([{ type: 'sdes', chunks: [{ ssrc: 1, items: [{ type: 1, text: 'x'.repeat(256) }] }] }]),
      RtpEncodeError,
    );
    assert.throws(
      () =>
        serializeRtcpInto([tooMany.type === 'rr' ? { ...tooMany, reports: [] } : tooMany], new Uint8Array(4)),
      RtpEncodeError,
    );
  });

  it('round-trips every packet type: build -> serialize -> parse (reduced-size)', () => {
    fc.assert(
      fc.property(rtcpPacket(), (packet) => {
        const bytes = serializeRtcp([packet]);
        assert.equal(bytes.length % 4, 0);
        assert.deepEqual(parseRtcp(bytes, { reducedSize: true }), [packet]);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips compounds: build -> parse equal, parse -> serialize identical bytes', () => {
    fc.assert(
      fc.property(rtcpCompound(), (packets) => {
        const bytes = serializeRtcp(packets);
        assert.equal(bytes.length, rtcpCompoundSize(packets));
        const parsed = parseRtcp(bytes);
        assert.deepEqual(parsed, packets);
        const out = new Uint8Array(bytes.length + 8);
        assert.equal(serializeRtcpInto(parsed, out, 8), bytes.length);
        assert.deepEqual(out.subarray(8), bytes);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws anything but RtcpParseError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (bytes, reducedSize) => {
        if (bytes.length > 0) bytes[0] = 0x80 | (bytes[0] & 0x3f);
        try {
          parseRtcp(bytes, { reducedSize });
        } catch (e) {
          assert.ok(e instanceof RtcpParseError, String(e));
        }
      }),
      { numRuns: 500 },
    );
  });
});
