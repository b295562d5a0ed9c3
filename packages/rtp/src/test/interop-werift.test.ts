// Interop with an independent implementation (werift-rtp, a devDependency): packets written by one
// side are read by the other, for RTP (RFC 3550 §5.1, RFC 8285 one-byte extensions) and RTCP
// (RR §6.4.2, generic NACK RFC 4585 §6.2.1).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  GenericNack,
  RtcpPacketConverter,
  RtcpRrPacket,
  RtcpTransportLayerFeedback,
  RtpHeader,
  RtpPacket,
} from 'werift-rtp';
import { buildHeaderExtension, findHeaderExtensionElement } from '../packet/header-extensions.js';
import { parseRtpPacket, serializeRtpPacket } from '../packet/rtp-packet.js';
import { parseRtcp, serializeRtcp } from '../rtcp/compound.js';
import { nackItemsFromSequenceNumbers, sequenceNumbersFromNackItems } from '../rtcp/feedback.js';
import { u16, u32 } from './arbitraries.js';
import { reportBlock } from './rtcp-arbitraries.js';

const header = fc.record({
  marker: fc.boolean(),
  payloadType: fc.integer({ min: 0, max: 127 }),
  sequenceNumber: u16(),
  timestamp: u32(),
  ssrc: u32(),
  csrcs: fc.array(u32(), { maxLength: 15 }),
  payload: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  elements: fc.uniqueArray(
    fc.record({ id: fc.integer({ min: 1, max: 14 }), data: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
    { selector: (e) => e.id, maxLength: 4 },
  ),
});

describe('interop with werift-rtp', () => {
  it('RTP: werift reads what we write, we read what werift writes (with one-byte extensions)', () => {
    fc.assert(
      fc.property(header, (h) => {
        const extension =
          h.elements.length > 0 ? buildHeaderExtension(h.elements, { form: 'one-byte' }) : undefined;
        const ours = serializeRtpPacket({ ...h, extension, paddingLength: 0 });
        const theirs = RtpPacket.deSerialize(Buffer.from(ours));
        assert.equal(theirs.header.marker, h.marker);
        assert.equal(theirs.header.payloadType, h.payloadType);
        assert.equal(theirs.header.sequenceNumber, h.sequenceNumber);
        assert.equal(theirs.header.timestamp, h.timestamp);
        assert.equal(theirs.header.ssrc, h.ssrc);
        assert.deepEqual(theirs.header.csrc, h.csrcs);
        assert.deepEqual([...theirs.payload], [...h.payload]);
        assert.deepEqual(
          theirs.header.extensions.map((e) => [e.id, [...e.payload]]),
          h.elements.map((e) => [e.id, [...e.data]]),
        );

        const written = new RtpPacket(
          new RtpHeader({
            marker: h.marker,
            payloadType: h.payloadType,
            sequenceNumber: h.sequenceNumber,
            timestamp: h.timestamp,
            ssrc: h.ssrc,
            csrc: h.csrcs,
            csrcLength: h.csrcs.length,
            extension: h.elements.length > 0,
            extensions: h.elements.map((e) => ({ id: e.id, payload: Buffer.from(e.data) })),
          }),
          Buffer.from(h.payload),
        ).serialize();
        const p = parseRtpPacket(new Uint8Array(written));
        assert.equal(p.sequenceNumber, h.sequenceNumber);
        assert.equal(p.timestamp, h.timestamp);
        assert.deepEqual(p.csrcs, h.csrcs);
        assert.deepEqual([...p.payload], [...h.payload]);
        for (const e of h.elements) {
          assert.ok(p.extension !== undefined);
          assert.deepEqual([...(findHeaderExtensionElement(p.extension, e.id) ?? [])], [...e.data]);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('RTCP RR: report blocks survive both directions', () => {
    fc.assert(
      fc.property(u32(), fc.array(reportBlock(), { maxLength: 5 }), (ssrc, reports) => {
        const [rr] = RtcpPacketConverter.deSerialize(
          Buffer.from(serializeRtcp([{ type: 'rr', ssrc, reports }])),
        );
        assert.ok(rr instanceof RtcpRrPacket);
        assert.equal(rr.ssrc, ssrc);
        assert.deepEqual(
          rr.reports.map((r) => [r.ssrc, r.fractionLost, r.highestSequence, r.jitter, r.lsr, r.dlsr]),
          reports.map((r) => [
            r.ssrc,
            r.fractionLost,
            r.highestSequence,
            r.jitter,
            r.lastSenderReport,
            r.delaySinceLastSenderReport,
          ]),
        );
        const back = parseRtcp(new Uint8Array(rr.serialize()));
        assert.deepEqual(back, [{ type: 'rr', ssrc, reports }]);
      }),
      { numRuns: 100 },
    );
  });

  it('RTCP generic NACK: the same lost sequence numbers both ways', () => {
    fc.assert(
      fc.property(
        u16(),
        fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 40 }),
        (base, offsets) => {
          const lost = offsets.map((o) => (base + o) & 0xffff);
          const ours = serializeRtcp([
            { type: 'nack', senderSsrc: 1, mediaSsrc: 2, items: nackItemsFromSequenceNumbers(lost) },
          ]);
          const [fb] = RtcpPacketConverter.deSerialize(Buffer.from(ours));
          assert.ok(fb instanceof RtcpTransportLayerFeedback);
          // werift computes PID + i + 1 without the 16-bit wrap (65528 + 8 -> 65536): masked here.
          const theirLost = (fb.feedback as GenericNack).lost.map((s) => s & 0xffff);
          assert.deepEqual(new Set(theirLost), new Set(lost));

          const written = new RtcpTransportLayerFeedback({
            feedback: new GenericNack({
              senderSsrc: 1,
              mediaSourceSsrc: 2,
              lost: [...lost].sort((a, b) => a - b),
            }),
          }).serialize();
          const [nack] = parseRtcp(new Uint8Array(written), { reducedSize: true });
          assert.equal(nack.type, 'nack');
          if (nack.type === 'nack')
            assert.deepEqual(new Set(sequenceNumbersFromNackItems(nack.items)), new Set(lost));
        },
      ),
      { numRuns: 100 },
    );
  });
});
