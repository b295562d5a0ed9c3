import { SdpParseError } from '../errors.js';

/**
 * Parses the value of `a=ptime` / `a=maxptime` (RFC 8866 §6.4, §6.5): milliseconds, possibly with a
 * fraction (`0.5`).
 */
export function parsePacketTime(value: string): number {
  let dot = false;
  if (value.length === 0) throw new SdpParseError('packet time is empty');
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x2e && !dot && i > 0 && i < value.length - 1) dot = true;
    else if (c < 0x30 || c > 0x39) throw new SdpParseError(`packet time "${value}" is not a number`);
  }
  return Number(value);
}

/** Formats a packet time in milliseconds. */
export function formatPacketTime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new SdpParseError(`packet time ${ms} is invalid`);
  return `${ms}`;
}
