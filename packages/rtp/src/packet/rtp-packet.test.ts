import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RtpEncodeError, RtpParseError } from '../errors.js';
import { rtpPacket } from '../test/arbitraries.js';
import {
  createRtpPacket,
  parseRtpPacket,
  type RtpPacket,
  rtpPacketSize,
  serializeRtpPacket,
  serializeRtpPacketInto,
} from './rtp-packet.js';

function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

function parseError(bytes: Uint8Array): RtpParseError {
  try {
    parseRtpPacket(bytes);
  } catch (e) {
    assert.ok(e instanceof RtpParseError);
    return e;
  }
  assert.fail('expected RtpParseError');
}

describe('RTP packet (RFC 3550 §5.1)', () => {
  it('parses the fixed header fields and the payload as a view', () => {
    // V=2 P=0 X=0 CC=0 | M=1 PT=8 | seq 0x1234 | ts 0xdeadbeef | ssrc 0x01020304 | payload aa bb cc
    const bytes = hex('80 88 1234 deadbeef 01020304 aabbcc');
    const p = parseRtpPacket(bytes);
    assert.equal(p.marker, true);
    assert.equal(p.payloadType, 8);
    assert.equal(p.sequenceNumber, 0x1234);
    assert.equal(p.timestamp, 0xdeadbeef);
    assert.equal(p.ssrc, 0x01020304);
    assert.deepEqual(p.csrcs, []);
    assert.equal(p.extension, undefined);
    assert.equal(p.paddingLength, 0);
    assert.deepEqual([...p.payload], [0xaa, 0xbb, 0xcc]);
    // No copy: the payload shares the input's memory.
    assert.equal(p.payload.buffer, bytes.buffer);
    assert.equal(p.payload.byteOffset, 12);
  });

  it('parses CSRCs, a header extension and padding (RFC 3550 §5.3.1)', () => {
    // V=2 P=1 X=1 CC=2 -> 0xb2; M=0 PT=0; 2 CSRCs; ext profile 0xabcd len 1 word; payload 01 02; 3 padding octets
    const bytes = hex('b2 00 0001 00000002 00000003 11111111 22222222 abcd 0001 cafebabe 0102 0000 03');
    const p = parseRtpPacket(bytes);
    assert.deepEqual(p.csrcs, [0x11111111, 0x22222222]);
    assert.equal(p.extension?.profile, 0xabcd);
    assert.deepEqual([...(p.extension?.data ?? [])], [0xca, 0xfe, 0xba, 0xbe]);
    assert.deepEqual([...p.payload], [1, 2]);
    assert.equal(p.paddingLength, 3);
    assert.deepEqual(serializeRtpPacket(p), bytes);
  });

  it('rejects malformed packets with a typed RtpParseError (RFC 3550 §A.1)', () => {
    assert.equal(parseError(hex('80 00 0001 00000000 000000')).reason, 'short-buffer');
    assert.equal(parseError(hex('40 00 0001 00000000 00000000')).reason, 'bad-version');
    // CC=3 but only one CSRC present
    assert.equal(parseError(hex('83 00 0001 00000000 00000000 11111111')).reason, 'csrc-overflow');
    // P=1 with a padding count of 0
    assert.equal(parseError(hex('a0 00 0001 00000000 00000000 0100')).reason, 'bad-padding');
    // P=1 with a count larger than the packet body
    assert.equal(parseError(hex('a0 00 0001 00000000 00000000 0105')).reason, 'bad-padding');
    // X=1 with the extension header truncated
    assert.equal(parseError(hex('90 00 0001 00000000 00000000 bede')).reason, 'extension-overflow');
    // X=1 announcing 2 words but carrying 1
    const e = parseError(hex('90 00 0001 00000000 00000000 bede 0002 10ff0000'));
    assert.equal(e.reason, 'extension-overflow');
    assert.equal(e.offset, 12);
  });

  it('reuses the packet object given as `into`', () => {
    const into = createRtpPacket();
    const a = parseRtpPacket(hex('81 00 0001 00000000 00000000 11111111 aa'), into);
    assert.equal(a, into);
    assert.deepEqual(a.csrcs, [0x11111111]);
    const b = parseRtpPacket(hex('80 00 0002 00000000 00000000 bb'), into);
    assert.equal(b, into);
    assert.deepEqual(b.csrcs, []);
    assert.equal(b.sequenceNumber, 2);
  });

  it('serializes into a caller buffer at an offset', () => {
    const p: RtpPacket = { ...createRtpPacket(), sequenceNumber: 7, payload: Uint8Array.of(9) };
    const out = new Uint8Array(20).fill(0xee);
    assert.equal(serializeRtpPacketInto(p, out, 4), 13);
    assert.deepEqual(out.subarray(4, 17), hex('80 00 0007 00000000 00000000 09'));
    assert.equal(out[3], 0xee);
    assert.equal(out[17], 0xee);
    assert.throws(() => serializeRtpPacketInto(p, new Uint8Array(12)), RtpEncodeError);
    assert.throws(() => serializeRtpPacket({ ...p, payloadType: 128 }), RtpEncodeError);
    assert.throws(() => serializeRtpPacket({ ...p, csrcs: new Array(16).fill(1) }), RtpEncodeError);
  });

  it('round-trips: build -> serialize -> parse gives the same packet', () => {
    fc.assert(
      fc.property(rtpPacket(), (packet) => {
        const bytes = serializeRtpPacket(packet);
        assert.equal(bytes.length, rtpPacketSize(packet));
        assert.deepEqual(parseRtpPacket(bytes), packet);
      }),
    );
  });

  it('round-trips: parse -> serialize is the identity on valid bytes', () => {
    fc.assert(
      fc.property(rtpPacket(), (packet) => {
        const bytes = serializeRtpPacket(packet);
        assert.deepEqual(serializeRtpPacket(parseRtpPacket(bytes)), bytes);
      }),
    );
  });

  it('never throws anything but RtpParseError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        try {
          const p = parseRtpPacket(bytes);
          assert.ok(p.payload.length <= bytes.length);
        } catch (e) {
          assert.ok(e instanceof RtpParseError);
        }
      }),
    );
  });
});
