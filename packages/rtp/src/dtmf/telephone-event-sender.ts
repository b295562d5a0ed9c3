/**
 * RFC 4733 telephone-event sender (§2.5.1): turns one event into the packets that carry it.
 * Pure: the caller assigns sequence numbers and sends each packet at its `sendTimeMs`.
 * @module
 */
import { RtpEncodeError } from '../errors.js';
import { dtmfEventCode, MAX_EVENT_DURATION, type TelephoneEvent } from './telephone-event.js';

/** Inputs of {@link telephoneEventPackets}. */
export interface TelephoneEventSendOptions {
  /** Event code (0..255) or a DTMF character (`0`-`9`, `*`, `#`, `A`-`D`). */
  event: number | string;
  /** Tone power, 0..63 (-dBm0). Default 10. */
  volume?: number;
  /** RTP timestamp of the start of the event (RFC 4733 §2.5.1.1: the event's start instant). */
  startTimestamp: number;
  /** Local time (ms) at which the event starts; `sendTimeMs` values are on this clock. Default 0. */
  startTimeMs?: number;
  /** Duration of the event, ms. */
  durationMs: number;
  /** Interval between update packets, ms (RFC 4733 §2.5.1.2 suggests 50 ms). Default 50. */
  packetIntervalMs?: number;
  /** RTP clock rate of the telephone-event payload type. Default 8000. */
  clockRate?: number;
}

/** One packet of an event: RTP header fields and the payload to send. */
export interface TelephoneEventPacket {
  /** When to send it, on the `startTimeMs` clock. */
  sendTimeMs: number;
  /** RTP M bit: set on the first packet of the event only (RFC 4733 §2.5.1.1). */
  marker: boolean;
  /** RTP timestamp: the start of the event, or of the segment for long events (§2.5.1.3). */
  timestamp: number;
  /** The telephone-event payload. */
  payload: TelephoneEvent;
}

/**
 * Produces the packets of one event (RFC 4733 §2.5.1): a first packet with the marker bit, updates
 * every packet interval with the same timestamp and a growing duration, then the final packet with
 * the E bit, sent three times (§2.5.1.4). An update is sent once its duration has elapsed, so the
 * first packet leaves one interval after the start. Events longer than 0xFFFF timestamp units are
 * split into segments (§2.5.1.3): each segment but the last ends at duration 0xFFFF without the E bit
 * (its final packet also sent three times), and the next segment's timestamp is the previous one
 * plus 0xFFFF.
 * @throws {RtpEncodeError} when the duration is shorter than one timestamp unit or an option is invalid.
 */
export function telephoneEventPackets(options: TelephoneEventSendOptions): TelephoneEventPacket[] {
  const event = typeof options.event === 'string' ? dtmfEventCode(options.event) : options.event;
  const volume = options.volume ?? 10;
  const clockRate = options.clockRate ?? 8000;
  const intervalMs = options.packetIntervalMs ?? 50;
  const startTimeMs = options.startTimeMs ?? 0;
  if (event < 0 || event > 255 || !Number.isInteger(event))
    throw new RtpEncodeError('event', `${event} is not in 0..255`);
  if (volume < 0 || volume > 63) throw new RtpEncodeError('volume', `${volume} is not in 0..63`);
  if (!(intervalMs > 0)) throw new RtpEncodeError('packetIntervalMs', `${intervalMs} is not positive`);
  const totalTs = Math.round((options.durationMs * clockRate) / 1000);
  const intervalTs = Math.max(1, Math.round((intervalMs * clockRate) / 1000));
  // MS-RTPDTMF and RFC 4733 §2.5.1.2: an event report never carries a zero duration.
  if (totalTs < 1)
    throw new RtpEncodeError('durationMs', `${options.durationMs} ms is shorter than one timestamp unit`);
  const tsToMs = 1000 / clockRate;
  const packets: TelephoneEventPacket[] = [];
  let first = true;
  for (let segmentStart = 0; segmentStart < totalTs; segmentStart += MAX_EVENT_DURATION) {
    const segmentLength = Math.min(MAX_EVENT_DURATION, totalTs - segmentStart);
    const lastSegment = segmentStart + segmentLength >= totalTs;
    const timestamp = (options.startTimestamp + segmentStart) >>> 0;
    for (let d = intervalTs; d < segmentLength; d += intervalTs) {
      packets.push({
        sendTimeMs: startTimeMs + (segmentStart + d) * tsToMs,
        marker: first,
        timestamp,
        payload: { event, end: false, volume, duration: d },
      });
      first = false;
    }
    // RFC 4733 §2.5.1.4: the final packet of the event, and of each segment, is sent three times.
    const finalTimeMs = startTimeMs + (segmentStart + segmentLength) * tsToMs;
    for (let r = 0; r < 3; r++) {
      packets.push({
        sendTimeMs: finalTimeMs + r * intervalMs,
        marker: first && r === 0,
        timestamp,
        payload: { event, end: lastSegment, volume, duration: segmentLength },
      });
    }
    first = false;
  }
  // Retransmissions of a segment's final packet interleave with the next segment's updates.
  packets.sort((a, b) => a.sendTimeMs - b.sendTimeMs);
  return packets;
}
