/**
 * NTP timestamps (RFC 3550 §4) and the round-trip time computed from LSR/DLSR (§6.4.1) or from
 * XR LRR/DLRR (RFC 3611 §4.5).
 * @module
 */

/** Seconds between the NTP epoch (1900-01-01) and the Unix epoch (1970-01-01). */
export const NTP_UNIX_EPOCH_OFFSET_SECONDS = 2_208_988_800;

/** A 64-bit NTP timestamp as two unsigned 32-bit halves. */
export interface NtpTimestamp {
  /** Integer seconds since 1900, modulo 2^32. */
  seconds: number;
  /** Fraction of a second in units of 2^-32 s. */
  fraction: number;
}

/** Converts wall-clock milliseconds since the Unix epoch to an NTP timestamp. */
export function ntpFromUnixMs(unixMs: number): NtpTimestamp {
  const totalSeconds = Math.floor(unixMs / 1000);
  const ms = unixMs - totalSeconds * 1000;
  return {
    seconds: (totalSeconds + NTP_UNIX_EPOCH_OFFSET_SECONDS) >>> 0,
    fraction: Math.min(0xffffffff, Math.round((ms / 1000) * 0x100000000)) >>> 0,
  };
}

/** Converts an NTP timestamp to wall-clock milliseconds since the Unix epoch (era 0). */
export function unixMsFromNtp(seconds: number, fraction: number): number {
  return (seconds - NTP_UNIX_EPOCH_OFFSET_SECONDS) * 1000 + (fraction / 0x100000000) * 1000;
}

/**
 * RFC 3550 §6.4.1: the "middle 32 bits" of an NTP timestamp (low 16 bits of the seconds, high 16
 * bits of the fraction), the form used by LSR and by the RTT computation.
 */
export function ntpMiddle32(seconds: number, fraction: number): number {
  return (((seconds & 0xffff) << 16) | (fraction >>> 16)) >>> 0;
}

/** Converts milliseconds to the 1/65536 s units of DLSR and DLRR, truncated. */
export function msToDelayUnits(ms: number): number {
  return Math.max(0, Math.floor((ms * 65536) / 1000)) >>> 0;
}

/**
 * Round-trip time in milliseconds per RFC 3550 §6.4.1: `A - LSR - DLSR`, where A is the middle 32
 * bits of the NTP time at which the report block arrived. Also valid for XR DLRR blocks
 * (RFC 3611 §4.5) with LRR/DLRR. Returns `undefined` when no SR has been received yet (LSR = 0)
 * or when the result would be negative (the clocks disagree).
 */
export function roundTripTimeMs(
  arrivalMiddle32: number,
  lastSenderReport: number,
  delaySinceLast: number,
): number | undefined {
  if (lastSenderReport === 0) return undefined;
  const rtt = (arrivalMiddle32 - lastSenderReport - delaySinceLast) | 0;
  if (rtt < 0) return undefined;
  return (rtt * 1000) / 65536;
}
