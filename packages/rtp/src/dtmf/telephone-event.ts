/**
 * The RFC 4733 telephone-event payload (§2.3) and the DTMF event codes (§3.2).
 * @module
 */
import { readU16, writeU16 } from '../bytes.js';
import { RtpEncodeError, RtpParseError } from '../errors.js';

/** Size of one event payload block (RFC 4733 §2.3). */
export const TELEPHONE_EVENT_SIZE = 4;

/** RFC 4733 §2.3.5: the largest duration a packet can carry; longer events are segmented (§2.5.1.3). */
export const MAX_EVENT_DURATION = 0xffff;

/** One telephone-event payload (RFC 4733 §2.3). */
export interface TelephoneEvent {
  /** Event code (§3.2: 0-9, 10 = *, 11 = #, 12-15 = A-D, 16 = flash). */
  event: number;
  /** E bit: this packet reports the end of the event. */
  end: boolean;
  /** Power level of the tone, 0..63 meaning 0 to -63 dBm0. */
  volume: number;
  /** Duration so far in timestamp units, 0..0xFFFF. */
  duration: number;
}

const DIGITS = '0123456789*#ABCD';

/**
 * RFC 4733 §3.2: event code of a DTMF character (`0`-`9`, `*`, `#`, `A`-`D`, case-insensitive).
 * @throws {RtpEncodeError} for any other character.
 */
export function dtmfEventCode(digit: string): number {
  const code = digit.length === 1 ? DIGITS.indexOf(digit.toUpperCase()) : -1;
  if (code < 0) throw new RtpEncodeError('digit', `"${digit}" is not a DTMF digit`);
  return code;
}

/** RFC 4733 §3.2: the DTMF character of an event code 0..15, or `undefined` for other events. */
export function dtmfDigit(event: number): string | undefined {
  return event >= 0 && event < 16 ? DIGITS[event] : undefined;
}

/**
 * Parses the first event of a telephone-event payload.
 * @throws {RtpParseError} when the payload is shorter than 4 octets.
 */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent {
  if (payload.length < TELEPHONE_EVENT_SIZE) {
    throw new RtpParseError('short-buffer', 0, `telephone-event payload of ${payload.length} octets`);
  }
  const b1 = payload[1];
  // RFC 4733 §2.3: event (8) | E (1) R (1) volume (6) | duration (16).
  return { event: payload[0], end: (b1 & 0x80) !== 0, volume: b1 & 0x3f, duration: readU16(payload, 2) };
}

/**
 * Writes a telephone-event payload into `out` at `offset` (the R bit is zero).
 * @throws {RtpEncodeError} when a field is out of range.
 */
export function writeTelephoneEvent(event: TelephoneEvent, out: Uint8Array, offset = 0): number {
  if (event.event < 0 || event.event > 255)
    throw new RtpEncodeError('event', `${event.event} is not in 0..255`);
  if (event.volume < 0 || event.volume > 63)
    throw new RtpEncodeError('volume', `${event.volume} is not in 0..63`);
  if (event.duration < 0 || event.duration > MAX_EVENT_DURATION) {
    throw new RtpEncodeError('duration', `${event.duration} is not in 0..65535`);
  }
  out[offset] = event.event;
  out[offset + 1] = (event.end ? 0x80 : 0) | event.volume;
  writeU16(out, offset + 2, event.duration);
  return TELEPHONE_EVENT_SIZE;
}

/** Serializes a telephone-event payload into a new 4-octet buffer. */
export function serializeTelephoneEvent(event: TelephoneEvent): Uint8Array {
  const out = new Uint8Array(TELEPHONE_EVENT_SIZE);
  writeTelephoneEvent(event, out, 0);
  return out;
}
