import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RtpEncodeError, RtpParseError } from '../errors.js';
import { seededRandom } from '../test/prng.js';
import {
  dtmfDigit,
  dtmfEventCode,
  parseTelephoneEvent,
  serializeTelephoneEvent,
  type TelephoneEvent,
} from './telephone-event.js';
import { type ReceivedTelephoneEvent, TelephoneEventReceiver } from './telephone-event-receiver.js';
import { type TelephoneEventPacket, telephoneEventPackets } from './telephone-event-sender.js';

describe('RFC 4733 telephone-event payload (§2.3)', () => {
  it('encodes event, E bit, volume and duration', () => {
    // Digit 5, E=1, volume 10, duration 800 (100 ms at 8 kHz).
    assert.deepEqual(
      serializeTelephoneEvent({ event: 5, end: true, volume: 10, duration: 800 }),
      Uint8Array.of(5, 0x8a, 0x03, 0x20),
    );
    assert.deepEqual(parseTelephoneEvent(Uint8Array.of(11, 0x4a, 0xff, 0xff)), {
      event: 11,
      end: false,
      volume: 10,
      duration: 0xffff,
    });
    assert.throws(() => parseTelephoneEvent(Uint8Array.of(1, 2, 3)), RtpParseError);
    assert.throws(
      () => serializeTelephoneEvent({ event: 1, end: false, volume: 64, duration: 0 }),
      RtpEncodeError,
    );
  });

  it('maps DTMF characters to event codes (§3.2)', () => {
    assert.deepEqual([...'0123456789*#ABCD'].map(dtmfEventCode), [...Array(16).keys()]);
    assert.equal(dtmfEventCode('b'), 13);
    assert.equal(dtmfDigit(11), '#');
    assert.equal(dtmfDigit(16), undefined);
    assert.throws(() => dtmfEventCode('E'), RtpEncodeError);
  });

  it('round-trips any payload', () => {
    const arb = fc.record({
      event: fc.integer({ min: 0, max: 255 }),
      end: fc.boolean(),
      volume: fc.integer({ min: 0, max: 63 }),
      duration: fc.integer({ min: 0, max: 0xffff }),
    });
    fc.assert(
      fc.property(arb, (e: TelephoneEvent) => {
        assert.deepEqual(parseTelephoneEvent(serializeTelephoneEvent(e)), { ...e });
      }),
    );
  });
});

describe('RFC 4733 sender (§2.5.1)', () => {
  it('sends a marked start, growing updates with one timestamp, then three end packets', () => {
    const packets = telephoneEventPackets({
      event: '1',
      startTimestamp: 1000,
      durationMs: 200,
      packetIntervalMs: 50,
      volume: 7,
    });
    assert.deepEqual(
      packets.map((p) => [p.sendTimeMs, p.marker, p.timestamp, p.payload.duration, p.payload.end]),
      [
        [50, true, 1000, 400, false],
        [100, false, 1000, 800, false],
        [150, false, 1000, 1200, false],
        [200, false, 1000, 1600, true],
        [250, false, 1000, 1600, true],
        [300, false, 1000, 1600, true],
      ],
    );
    assert.ok(packets.every((p) => p.payload.event === 1 && p.payload.volume === 7));
  });

  it('marks the first packet even when the event is shorter than one interval', () => {
    const packets = telephoneEventPackets({
      event: 16,
      startTimestamp: 0,
      durationMs: 30,
      packetIntervalMs: 50,
    });
    assert.deepEqual(
      packets.map((p) => [p.marker, p.payload.duration, p.payload.end]),
      [
        [true, 240, true],
        [false, 240, true],
        [false, 240, true],
      ],
    );
  });

  it('splits events longer than 0xFFFF units into segments (§2.5.1.3)', () => {
    // 10 s at 8 kHz = 80000 units: segment 1 = 65535 (no E bit), segment 2 = 14465 at ts + 65535.
    const packets = telephoneEventPackets({
      event: 0,
      startTimestamp: 0xfffffff0,
      durationMs: 10_000,
      packetIntervalMs: 1000,
    });
    const first = packets.filter((p) => p.timestamp === 0xfffffff0);
    const second = packets.filter((p) => p.timestamp === (0xfffffff0 + 65535) >>> 0);
    assert.equal(first.length + second.length, packets.length);
    assert.equal(packets.filter((p) => p.marker).length, 1);
    assert.deepEqual(
      first.filter((p) => p.payload.duration === 65535).map((p) => p.payload.end),
      [false, false, false],
    );
    assert.ok(first.every((p) => !p.payload.end));
    assert.deepEqual(
      second.filter((p) => p.payload.end).map((p) => p.payload.duration),
      [14465, 14465, 14465],
    );
    for (let i = 1; i < packets.length; i++) assert.ok(packets[i].sendTimeMs >= packets[i - 1].sendTimeMs);
  });

  it('rejects a zero duration', () => {
    assert.throws(
      () => telephoneEventPackets({ event: 1, startTimestamp: 0, durationMs: 0 }),
      RtpEncodeError,
    );
  });
});

function deliver(
  receiver: TelephoneEventReceiver,
  packets: TelephoneEventPacket[],
  delayMs = 0,
): ReceivedTelephoneEvent[] {
  const out: ReceivedTelephoneEvent[] = [];
  for (const p of packets) {
    receiver.receive(p.timestamp, p.marker, p.payload, p.sendTimeMs + delayMs);
    for (let e = receiver.poll(p.sendTimeMs + delayMs); e; e = receiver.poll(p.sendTimeMs + delayMs))
      out.push(e);
  }
  return out;
}

describe('RFC 4733 receiver (§2.5.2)', () => {
  it('reports an event once despite the three end packets', () => {
    const r = new TelephoneEventReceiver();
    const events = deliver(r, telephoneEventPackets({ event: '#', startTimestamp: 500, durationMs: 120 }));
    assert.deepEqual(events, [
      {
        event: 11,
        digit: '#',
        timestamp: 500,
        duration: 960,
        durationMs: 120,
        volume: 10,
        endedBy: 'end-bit',
      },
    ]);
    assert.equal(r.poll(10_000), undefined);
  });

  it('recognises an event whose start packet was lost', () => {
    const r = new TelephoneEventReceiver();
    const packets = telephoneEventPackets({ event: 3, startTimestamp: 0, durationMs: 200 }).filter(
      (p) => !p.marker,
    );
    assert.deepEqual(
      deliver(r, packets).map((e) => [e.digit, e.duration, e.endedBy]),
      [['3', 1600, 'end-bit']],
    );
  });

  it('ends an event whose end packets were all lost, by timeout or by the next event', () => {
    const r = new TelephoneEventReceiver({ endTimeoutMs: 300 });
    const updates = telephoneEventPackets({ event: 7, startTimestamp: 0, durationMs: 200 }).filter(
      (p) => !p.payload.end,
    );
    assert.deepEqual(deliver(r, updates), []);
    assert.deepEqual(r.activeEvent, { event: 7, timestamp: 0, duration: 1200 });
    assert.equal(r.nextTimeoutMs(), 150 + 300);
    assert.equal(r.poll(449), undefined);
    assert.deepEqual(r.poll(450), {
      event: 7,
      digit: '7',
      timestamp: 0,
      duration: 1200,
      durationMs: 150,
      volume: 10,
      endedBy: 'timeout',
    });
    assert.equal(r.nextTimeoutMs(), undefined);

    const r2 = new TelephoneEventReceiver();
    deliver(r2, updates);
    const next = telephoneEventPackets({ event: 8, startTimestamp: 4000, durationMs: 100, startTimeMs: 600 });
    assert.deepEqual(
      deliver(r2, next).map((e) => [e.digit, e.endedBy]),
      [
        ['7', 'new-event'],
        ['8', 'end-bit'],
      ],
    );
  });

  it('ignores late packets of an event already reported', () => {
    const r = new TelephoneEventReceiver();
    const a = telephoneEventPackets({ event: 1, startTimestamp: 0, durationMs: 100 });
    const b = telephoneEventPackets({ event: 2, startTimestamp: 2000, durationMs: 100, startTimeMs: 300 });
    const events = deliver(r, [...a, ...b, a[a.length - 1], a[0]]);
    assert.deepEqual(
      events.map((e) => e.digit),
      ['1', '2'],
    );
  });

  it('joins the segments of a long event into one report (§2.5.2.3)', () => {
    const r = new TelephoneEventReceiver();
    const events = deliver(
      r,
      telephoneEventPackets({
        event: 0,
        startTimestamp: 0xfffffff0,
        durationMs: 10_000,
        packetIntervalMs: 50,
      }),
    );
    assert.deepEqual(
      events.map((e) => [e.timestamp, e.duration, e.durationMs, e.endedBy]),
      [[0xfffffff0, 80_000, 10_000, 'end-bit']],
    );
  });

  it('reports every digit of a sequence exactly once over a lossy, duplicating, reordering network', () => {
    fc.assert(
      fc.property(fc.integer(), fc.stringMatching(/^[0-9*#A-D]{1,8}$/), (seed, digits) => {
        const random = seededRandom(seed);
        const sent: TelephoneEventPacket[] = [];
        [...digits].forEach((d, i) => {
          sent.push(
            ...telephoneEventPackets({
              event: d,
              startTimestamp: i * 8000,
              startTimeMs: i * 1000,
              durationMs: 160,
              packetIntervalMs: 20,
            }),
          );
        });
        // 10% loss, 10% duplication, up to 30 ms of delay variation (reordering within an event).
        const arrivals: { p: TelephoneEventPacket; at: number }[] = [];
        for (const p of sent) {
          if (random() < 0.1) continue;
          arrivals.push({ p, at: p.sendTimeMs + random() * 30 });
          if (random() < 0.1) arrivals.push({ p, at: p.sendTimeMs + random() * 30 });
        }
        arrivals.sort((x, y) => x.at - y.at);
        const r = new TelephoneEventReceiver({ endTimeoutMs: 400 });
        const got: ReceivedTelephoneEvent[] = [];
        for (const { p, at } of arrivals) {
          r.receive(p.timestamp, p.marker, p.payload, at);
          for (let e = r.poll(at); e; e = r.poll(at)) got.push(e);
        }
        for (let e = r.poll(1e9); e; e = r.poll(1e9)) got.push(e);
        // A digit whose every packet was lost cannot be reported; all others exactly once, in order.
        const expected = [...digits].filter((_, i) => arrivals.some((a) => a.p.timestamp === i * 8000));
        assert.deepEqual(
          got.map((e) => e.digit),
          expected,
        );
        assert.ok(got.every((e) => e.duration > 0 && e.duration <= 1280));
      }),
      { numRuns: 200 },
    );
  });
});
