import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CodecError } from './errors.js';
import { decodeTelephoneEvent, dtmfEventCode, dtmfKey, encodeTelephoneEvent } from './telephone-event.js';

describe('telephone-event payload (RFC 4733 §2.3)', () => {
  it('lays out event, E, R, volume and duration as in RFC 4733 Figure 1', () => {
    // DTMF '5', end of event, volume −10 dBm0, 800 timestamp units (100 ms at 8 kHz).
    const bytes = encodeTelephoneEvent({ event: 5, end: true, volume: 10, duration: 800 });
    assert.deepEqual(Array.from(bytes), [0x05, 0x8a, 0x03, 0x20]);
  });

  it('ignores the R bit on receipt (RFC 4733 §2.3)', () => {
    const ev = decodeTelephoneEvent(Uint8Array.of(11, 0x40 | 0x3f, 0xff, 0xff));
    assert.deepEqual(ev, { event: 11, end: false, volume: 63, duration: 65535 });
  });

  it('rejects short payloads and out-of-range fields with CodecError', () => {
    assert.throws(() => decodeTelephoneEvent(new Uint8Array(3)), CodecError);
    assert.throws(() => encodeTelephoneEvent({ event: 256, end: false, volume: 0, duration: 0 }), CodecError);
    assert.throws(() => encodeTelephoneEvent({ event: 1, end: false, volume: 64, duration: 0 }), CodecError);
    assert.throws(
      () => encodeTelephoneEvent({ event: 1, end: false, volume: 0, duration: 65536 }),
      CodecError,
    );
  });

  it('maps DTMF keys to event codes and back (RFC 4733 §3.2)', () => {
    assert.equal(dtmfEventCode('*'), 10);
    assert.equal(dtmfEventCode('#'), 11);
    assert.equal(dtmfEventCode('d'), 15);
    assert.equal(dtmfEventCode('E'), -1);
    for (const key of '0123456789*#ABCD') assert.equal(dtmfKey(dtmfEventCode(key)), key);
    assert.equal(dtmfKey(16), undefined);
  });

  it('property: decode(encode(ev)) === ev, and encode(decode(bytes)) === bytes with R cleared', () => {
    const arb = fc.record({
      event: fc.integer({ min: 0, max: 255 }),
      end: fc.boolean(),
      volume: fc.integer({ min: 0, max: 63 }),
      duration: fc.integer({ min: 0, max: 65535 }),
    });
    fc.assert(
      fc.property(arb, (ev) => assert.deepEqual(decodeTelephoneEvent(encodeTelephoneEvent(ev)), { ...ev })),
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (bytes) => {
        const again = encodeTelephoneEvent(decodeTelephoneEvent(bytes));
        assert.deepEqual(Array.from(again), [bytes[0], bytes[1] & 0xbf, bytes[2], bytes[3]]);
      }),
    );
  });
});
