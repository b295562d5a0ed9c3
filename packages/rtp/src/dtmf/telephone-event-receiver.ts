/**
 * RFC 4733 telephone-event receiver (§2.5.2): reports each event once, with its code and duration,
 * despite retransmitted end packets, a lost start packet, lost end packets (a timeout supplied by
 * the caller's clock) and long events split into segments.
 * @module
 */
import { dtmfDigit, MAX_EVENT_DURATION, type TelephoneEvent } from './telephone-event.js';

/** How an event was found to have ended. */
export type TelephoneEventEnd = 'end-bit' | 'timeout' | 'new-event';

/** An event, reported once by {@link TelephoneEventReceiver.poll}. */
export interface ReceivedTelephoneEvent {
  /** Event code. */
  event: number;
  /** DTMF character for codes 0..15. */
  digit: string | undefined;
  /** RTP timestamp of the start of the event. */
  timestamp: number;
  /** Total duration in timestamp units (all segments). */
  duration: number;
  /** Total duration in milliseconds. */
  durationMs: number;
  /** Last volume seen. */
  volume: number;
  /** What ended it. */
  endedBy: TelephoneEventEnd;
}

/** Options of {@link TelephoneEventReceiver}. */
export interface TelephoneEventReceiverOptions {
  /** RTP clock rate of the payload type. Default 8000. */
  clockRate?: number;
  /** An event with no packet for this long (ms) is reported as ended. Default 500. */
  endTimeoutMs?: number;
}

interface ActiveEvent {
  event: number;
  volume: number;
  /** Timestamp of the first segment. */
  startTimestamp: number;
  /** Timestamp of the current segment. */
  segmentTimestamp: number;
  /** Duration of the segments before the current one. */
  previousSegments: number;
  /** Largest duration seen in the current segment. */
  segmentDuration: number;
  lastArrivalMs: number;
  reported: boolean;
}

/** Signed difference `a - b` of two 32-bit RTP timestamps. */
function timestampDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** Receives telephone-event packets of one stream and reports finished events. */
export class TelephoneEventReceiver {
  private readonly clockRate: number;
  private readonly endTimeoutMs: number;
  private active: ActiveEvent | undefined;
  private readonly pending: ReceivedTelephoneEvent[] = [];

  constructor(options: TelephoneEventReceiverOptions = {}) {
    this.clockRate = options.clockRate ?? 8000;
    this.endTimeoutMs = options.endTimeoutMs ?? 500;
  }

  /**
   * Handles one telephone-event packet. `marker` is informational: an event is recognised by its
   * timestamp, so a lost first packet (RFC 4733 §2.5.2.1) loses nothing but latency.
   */
  receive(rtpTimestamp: number, marker: boolean, payload: TelephoneEvent, arrivalTimeMs: number): void {
    void marker;
    const ts = rtpTimestamp >>> 0;
    const active = this.active;
    if (active !== undefined) {
      const diff = timestampDiff(ts, active.segmentTimestamp);
      if (diff === 0) {
        // Same event (and segment): an update, or a retransmitted end packet (RFC 4733 §2.5.2.2).
        if (active.reported) return;
        this.update(active, payload, arrivalTimeMs);
        return;
      }
      if (diff < 0) return; // a late packet of an older event or segment
      // RFC 4733 §2.5.2.3: a long event continues in a segment whose timestamp is the previous one
      // plus the previous segment's duration (0xFFFF), with the same event code.
      if (
        !active.reported &&
        payload.event === active.event &&
        diff === MAX_EVENT_DURATION &&
        active.segmentDuration === MAX_EVENT_DURATION
      ) {
        active.previousSegments += MAX_EVENT_DURATION;
        active.segmentTimestamp = ts;
        active.segmentDuration = 0;
        this.update(active, payload, arrivalTimeMs);
        return;
      }
      // RFC 4733 §2.5.2.1: a new timestamp starts a new event; the old one ended (its end was lost).
      if (!active.reported) this.report(active, 'new-event');
    }
    const next: ActiveEvent = {
      event: payload.event,
      volume: payload.volume,
      startTimestamp: ts,
      segmentTimestamp: ts,
      previousSegments: 0,
      segmentDuration: 0,
      lastArrivalMs: arrivalTimeMs,
      reported: false,
    };
    this.active = next;
    this.update(next, payload, arrivalTimeMs);
  }

  private update(active: ActiveEvent, payload: TelephoneEvent, arrivalTimeMs: number): void {
    if (payload.duration > active.segmentDuration) active.segmentDuration = payload.duration;
    active.volume = payload.volume;
    active.lastArrivalMs = arrivalTimeMs;
    // RFC 4733 §2.5.2.2: the E bit ends the event; retransmissions of it are then ignored.
    if (payload.end) this.report(active, 'end-bit');
  }

  private report(active: ActiveEvent, endedBy: TelephoneEventEnd): void {
    active.reported = true;
    const duration = active.previousSegments + active.segmentDuration;
    this.pending.push({
      event: active.event,
      digit: dtmfDigit(active.event),
      timestamp: active.startTimestamp,
      duration,
      durationMs: (duration * 1000) / this.clockRate,
      volume: active.volume,
      endedBy,
    });
  }

  /** The event in progress (not yet reported), if any. */
  get activeEvent(): { event: number; timestamp: number; duration: number } | undefined {
    const a = this.active;
    if (a === undefined || a.reported) return undefined;
    return { event: a.event, timestamp: a.startTimestamp, duration: a.previousSegments + a.segmentDuration };
  }

  /** When {@link poll} should next be called to detect a lost end, or `undefined` if no event is open. */
  nextTimeoutMs(): number | undefined {
    const a = this.active;
    return a === undefined || a.reported ? undefined : a.lastArrivalMs + this.endTimeoutMs;
  }

  /** Returns the next finished event, detecting a lost end by timeout at `nowMs`. */
  poll(nowMs: number): ReceivedTelephoneEvent | undefined {
    const a = this.active;
    if (a !== undefined && !a.reported && nowMs - a.lastArrivalMs >= this.endTimeoutMs)
      this.report(a, 'timeout');
    return this.pending.shift();
  }
}
