import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RtpEncodeError, RtpParseError } from '../errors.js';
import {
  buildHeaderExtension,
  findHeaderExtensionElement,
  type HeaderExtensionElement,
  headerExtensionForm,
  parseHeaderExtensionElements,
} from './header-extensions.js';
import { parseRtpPacket, serializeRtpPacket } from './rtp-packet.js';

function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

const plain = (elements: HeaderExtensionElement[]) => elements.map((e) => ({ id: e.id, data: [...e.data] }));

describe('RTP header extensions (RFC 8285)', () => {
  it('parses the one-byte example of RFC 8285 §4.2 (padding between elements)', () => {
    // ID=1 L=0 (1 octet), ID=2 L=1 (2 octets), two padding octets, ID=3 L=3 (4 octets).
    const packet = parseRtpPacket(hex('90 00 0001 00000000 00000000 bede 0003 10aa 21bbcc 0000 33 01020304'));
    const ext = packet.extension;
    assert.ok(ext !== undefined);
    assert.equal(headerExtensionForm(ext), 'one-byte');
    assert.deepEqual(plain(parseHeaderExtensionElements(ext)), [
      { id: 1, data: [0xaa] },
      { id: 2, data: [0xbb, 0xcc] },
      { id: 3, data: [1, 2, 3, 4] },
    ]);
    assert.deepEqual([...(findHeaderExtensionElement(ext, 2) ?? [])], [0xbb, 0xcc]);
    assert.equal(findHeaderExtensionElement(ext, 4), undefined);
  });

  it('parses the two-byte example of RFC 8285 §4.3 (zero-length element)', () => {
    const ext = { profile: 0x1000, data: hex('0100 0201 aa 00 0304 01020304') };
    assert.equal(headerExtensionForm(ext), 'two-byte');
    assert.deepEqual(plain(parseHeaderExtensionElements(ext)), [
      { id: 1, data: [] },
      { id: 2, data: [0xaa] },
      { id: 3, data: [1, 2, 3, 4] },
    ]);
  });

  it('stops at the reserved ID 15 of the one-byte form (RFC 8285 §4.2)', () => {
    const ext = { profile: 0xbede, data: hex('10aa f0ff 2000 0000') };
    assert.deepEqual(plain(parseHeaderExtensionElements(ext)), [{ id: 1, data: [0xaa] }]);
    assert.equal(findHeaderExtensionElement(ext, 2), undefined);
  });

  it('returns no elements for a profile-specific (non RFC 8285) extension', () => {
    assert.equal(headerExtensionForm({ profile: 0xabcd, data: hex('10aa0000') }), undefined);
    assert.deepEqual(parseHeaderExtensionElements({ profile: 0xabcd, data: hex('10aa0000') }), []);
  });

  it('rejects an element that runs past the extension', () => {
    assert.throws(
      () => parseHeaderExtensionElements({ profile: 0xbede, data: hex('1faa0000') }),
      (e: unknown) => e instanceof RtpParseError && e.reason === 'bad-extension-element',
    );
    assert.throws(
      () => findHeaderExtensionElement({ profile: 0x1000, data: hex('0109aabb') }, 1),
      (e: unknown) => e instanceof RtpParseError && e.reason === 'bad-extension-element',
    );
  });

  it('builds the one-byte form when every element fits, else the two-byte form', () => {
    const one = buildHeaderExtension([
      { id: 1, data: hex('aa') },
      { id: 2, data: hex('bbcc') },
    ]);
    assert.equal(one.profile, 0xbede);
    assert.deepEqual(one.data, hex('10aa 21bbcc 000000'));
    const two = buildHeaderExtension([{ id: 20, data: hex('aa') }], { appBits: 5 });
    assert.equal(two.profile, 0x1005);
    assert.deepEqual(two.data, hex('1401aa00'));
    assert.throws(
      () => buildHeaderExtension([{ id: 15, data: hex('aa') }], { form: 'one-byte' }),
      RtpEncodeError,
    );
    assert.throws(
      () => buildHeaderExtension([{ id: 1, data: new Uint8Array(17) }], { form: 'one-byte' }),
      RtpEncodeError,
    );
    assert.throws(() => buildHeaderExtension([{ id: 0, data: hex('aa') }]), RtpEncodeError);
  });

  it('round-trips elements through build, an RTP packet and parse, in both forms', () => {
    const oneByte = fc.array(
      fc.record({
        id: fc.integer({ min: 1, max: 14 }),
        data: fc.uint8Array({ minLength: 1, maxLength: 16 }),
      }),
      { maxLength: 10 },
    );
    const twoByte = fc.array(
      fc.record({ id: fc.integer({ min: 1, max: 255 }), data: fc.uint8Array({ maxLength: 40 }) }),
      { maxLength: 10 },
    );
    for (const [arb, form] of [
      [oneByte, 'one-byte'],
      [twoByte, 'two-byte'],
    ] as const) {
      fc.assert(
        fc.property(arb, fc.integer({ min: 0, max: 15 }), (elements, appBits) => {
          const ext = buildHeaderExtension(elements, { form, appBits });
          assert.equal(ext.data.length % 4, 0);
          const packet = parseRtpPacket(
            serializeRtpPacket({
              marker: false,
              payloadType: 0,
              sequenceNumber: 0,
              timestamp: 0,
              ssrc: 0,
              csrcs: [],
              extension: ext,
              payload: new Uint8Array(0),
              paddingLength: 0,
            }),
          );
          assert.ok(packet.extension !== undefined);
          assert.equal(headerExtensionForm(packet.extension), form);
          assert.deepEqual(plain(parseHeaderExtensionElements(packet.extension)), plain(elements));
          for (const e of elements) {
            const first = elements.find((x) => x.id === e.id);
            assert.deepEqual(
              [...(findHeaderExtensionElement(packet.extension, e.id) ?? [])],
              [...(first?.data ?? [])],
            );
          }
        }),
      );
    }
  });
});
