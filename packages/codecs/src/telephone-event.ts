// RFC 4733 §2.3: the telephone-event payload (named events such as DTMF digits), 4 bytes:
//  event (8) | E (1) | R (1) | volume (6) | duration (16, in RTP timestamp units).
// Sequencing, redundancy and end-packet retransmission are the RTP layer's job.
import { CodecError } from './errors.js';

/** Size of one RFC 4733 event block. */
export const TELEPHONE_EVENT_SIZE = 4;

/** One RFC 4733 named event report. */
export interface TelephoneEvent {
  /** Event code, 0..255 (RFC 4733 §3.2: 0–9 digits, 10 `*`, 11 `#`, 12–15 A–D, 16 flash). */
  readonly event: number;
  /** E bit: this packet reports the end of the event. */
  readonly end: boolean;
  /** Power level of the tone in −dBm0, 0..63 (RFC 4733 §2.3.4); 0 for events without a volume. */
  readonly volume: number;
  /** Duration so far, in RTP timestamp units, 0..65535 (RFC 4733 §2.3.5). */
  readonly duration: number;
}

function checkRange(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new CodecError(
      'invalid-option',
      `telephone-event ${name} must be an integer 0..${max}, got ${value}`,
    );
  }
}

/**
 * Writes the 4-byte RFC 4733 payload for `ev`. The R bit is always 0 (RFC 4733 §2.3: reserved, set to zero by
 * the sender). Pass `out` (≥ 4 bytes) to avoid allocating.
 */
export function encodeTelephoneEvent(ev: TelephoneEvent, out?: Uint8Array): Uint8Array {
  checkRange('event', ev.event, 255);
  checkRange('volume', ev.volume, 63);
  checkRange('duration', ev.duration, 65535);
  const dst =
    out === undefined ? new Uint8Array(TELEPHONE_EVENT_SIZE) : out.subarray(0, TELEPHONE_EVENT_SIZE);
  if (dst.length < TELEPHONE_EVENT_SIZE) {
    throw new CodecError('invalid-option', 'telephone-event output buffer is shorter than 4 bytes');
  }
  dst[0] = ev.event;
  dst[1] = (ev.end ? 0x80 : 0) | ev.volume;
  dst[2] = ev.duration >> 8;
  dst[3] = ev.duration & 0xff;
  return dst;
}

/** Reads the first RFC 4733 event block of a payload. The R bit is ignored (RFC 4733 §2.3). */
export function decodeTelephoneEvent(payload: Uint8Array): TelephoneEvent {
  if (payload.length < TELEPHONE_EVENT_SIZE) {
    throw new CodecError(
      'invalid-payload',
      `telephone-event payload is ${payload.length} bytes; RFC 4733 §2.3 needs 4`,
      'telephone-event',
    );
  }
  return {
    event: payload[0],
    end: (payload[1] & 0x80) !== 0,
    volume: payload[1] & 0x3f,
    duration: (payload[2] << 8) | payload[3],
  };
}

const DTMF_KEYS = '0123456789*#ABCD';

/** RFC 4733 §3.2: the event code of a DTMF key (`'0'`–`'9'`, `'*'`, `'#'`, `'A'`–`'D'`), or -1. */
export function dtmfEventCode(key: string): number {
  return key.length === 1 ? DTMF_KEYS.indexOf(key.toUpperCase()) : -1;
}

/** RFC 4733 §3.2: the DTMF key for event codes 0..15, or `undefined` for other events. */
export function dtmfKey(event: number): string | undefined {
  return Number.isInteger(event) && event >= 0 && event < 16 ? DTMF_KEYS[event] : undefined;
}
