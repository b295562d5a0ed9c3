/**
 * DTMF over SIP INFO with an `application/dtmf-relay` body (the de-facto format of Cisco and
 * most PBXs: `Signal=5` and `Duration=160` lines), used when RFC 4733 telephone-event was not
 * negotiated.
 * @module
 */

/** The content type of a DTMF INFO body. */
export const DTMF_RELAY_TYPE = 'application/dtmf-relay';

/** One DTMF signal carried in INFO. */
export interface DtmfRelay {
  /** The digit: 0-9, *, #, A-D. */
  readonly signal: string;
  /** Duration, ms. */
  readonly durationMs: number;
}

const DIGITS = '0123456789*#ABCD';

/** True for a DTMF digit (0-9, *, #, A-D; upper case). */
export function isDtmfDigit(c: string): boolean {
  return c.length === 1 && DIGITS.includes(c);
}

/** Formats an `application/dtmf-relay` body. */
export function formatDtmfRelay(d: DtmfRelay): string {
  return `Signal=${d.signal}\r\nDuration=${Math.round(d.durationMs)}\r\n`;
}

/**
 * Parses an `application/dtmf-relay` body (keys case-insensitive, LF or CRLF, spaces around
 * `=`); undefined when it carries no valid Signal. A missing Duration reads as 250 ms.
 */
export function parseDtmfRelay(body: string): DtmfRelay | undefined {
  let signal: string | undefined;
  let durationMs = 250;
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (key === 'signal') {
      const v = value.toUpperCase();
      // Some devices send events 10/11 for * and #.
      signal = v === '10' ? '*' : v === '11' ? '#' : v;
    } else if (key === 'duration') {
      const n = Number(value);
      if (Number.isFinite(n) && n >= 0) durationMs = n;
    }
  }
  return signal !== undefined && isDtmfDigit(signal) ? { signal, durationMs } : undefined;
}
