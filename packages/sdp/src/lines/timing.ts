import { SdpParseError } from '../errors.js';
import { isDigits, parseUint, splitSpaces } from '../tokens.js';

/** The `t=` line (RFC 8866 §5.9): NTP seconds; `0 0` is an unbounded session. */
export interface Timing {
  /** Start time, NTP seconds; 0 = unbounded. */
  start: number;
  /** Stop time, NTP seconds; 0 = unbounded. */
  stop: number;
}

/** The `r=` line (RFC 8866 §5.10), all values in seconds. */
export interface RepeatTimes {
  /** Repeat interval. */
  interval: number;
  /** Active duration. */
  duration: number;
  /** Offsets from the start time. */
  offsets: number[];
}

/** One adjustment of the `z=` line (RFC 8866 §5.11). */
export interface TimeZoneAdjustment {
  /** NTP time at which the adjustment happens. */
  time: number;
  /** Offset in seconds (may be negative). */
  offset: number;
}

/** Parses the value of a `t=` line. */
export function parseTiming(value: string): Timing {
  const f = splitSpaces(value);
  if (f.length !== 2) throw new SdpParseError(`t= needs 2 fields, got ${f.length}`);
  return { start: parseUint(f[0], 't= start time'), stop: parseUint(f[1], 't= stop time') };
}

/** Formats a timing as the value of a `t=` line. */
export function formatTiming(t: Timing): string {
  return `${t.start} ${t.stop}`;
}

// RFC 8866 §5.10: typed-time = 1*DIGIT [fixed-len-time-unit], units d h m s.
function parseTypedTime(s: string, what: string): number {
  let negative = false;
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1);
  }
  let mult = 1;
  const last = s.charAt(s.length - 1);
  if (last === 'd') mult = 86400;
  else if (last === 'h') mult = 3600;
  else if (last === 'm') mult = 60;
  else if (last === 's') mult = 1;
  else if (!isDigits(last)) throw new SdpParseError(`${what} "${s}" has an unknown time unit`);
  const digits = isDigits(last) ? s : s.slice(0, -1);
  const n = parseUint(digits, what) * mult;
  return negative ? -n : n;
}

/** Parses the value of an `r=` line; typed times (`7d`, `1h`) are converted to seconds. */
export function parseRepeatTimes(value: string): RepeatTimes {
  const f = splitSpaces(value);
  if (f.length < 3) throw new SdpParseError(`r= needs at least 3 fields, got ${f.length}`);
  return {
    interval: parseTypedTime(f[0], 'r= repeat interval'),
    duration: parseTypedTime(f[1], 'r= active duration'),
    offsets: f.slice(2).map((x) => parseTypedTime(x, 'r= offset')),
  };
}

/** Formats repeat times as the value of an `r=` line (in seconds). */
export function formatRepeatTimes(r: RepeatTimes): string {
  if (r.offsets.length === 0) throw new SdpParseError('r= needs at least one offset');
  return `${r.interval} ${r.duration} ${r.offsets.join(' ')}`;
}

/** Parses the value of a `z=` line into adjustments (offsets in seconds). */
export function parseTimeZones(value: string): TimeZoneAdjustment[] {
  const f = splitSpaces(value);
  if (f.length === 0 || f.length % 2 !== 0) throw new SdpParseError('z= needs pairs of time and offset');
  const out: TimeZoneAdjustment[] = [];
  for (let i = 0; i < f.length; i += 2) {
    out.push({ time: parseUint(f[i], 'z= adjustment time'), offset: parseTypedTime(f[i + 1], 'z= offset') });
  }
  return out;
}

/** Formats adjustments as the value of a `z=` line. */
export function formatTimeZones(z: readonly TimeZoneAdjustment[]): string {
  if (z.length === 0) throw new SdpParseError('z= needs at least one adjustment');
  return z.map((a) => `${a.time} ${a.offset}`).join(' ');
}
