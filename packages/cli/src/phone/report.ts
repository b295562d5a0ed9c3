/**
 * What `tsvoip phone` prints about a call: its statistics at the end, as one readable line and
 * one JSON line (`stats {...}`) that scripts can parse.
 * @module
 */
import type { CallStats } from '@tsvoip/session';

/** The statistics of a finished call, flattened for printing. */
export interface CallSummary {
  /** Seconds from answer to end. */
  readonly durationS: number;
  /** Codec we sent. */
  readonly codec: string | null;
  /** SRTP in use. */
  readonly srtp: boolean;
  /** RTP packets sent / received. */
  readonly packetsSent: number;
  readonly packetsReceived: number;
  /** Packets lost (RFC 3550 §A.3) and the fraction lost (0..1). */
  readonly packetsLost: number;
  readonly fractionLost: number;
  /** Interarrival jitter, ms (RFC 3550 §A.8). */
  readonly jitterMs: number;
  /** Round-trip time from RTCP, ms (null before the first report). */
  readonly rttMs: number | null;
  /** Estimated MOS (simplified E-model). */
  readonly mos: number;
  /** DTMF digits received, in order. */
  readonly dtmfReceived: string;
}

const round = (n: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** Flattens a call's stats (plus the DTMF digits it received) into a {@link CallSummary}. */
export function summarizeCall(stats: CallStats, dtmfReceived: string): CallSummary {
  const m = stats.media;
  return {
    durationS: round(stats.durationMs / 1000, 2),
    codec: stats.codec ?? null,
    srtp: stats.srtp,
    packetsSent: m?.packetsSent ?? 0,
    packetsReceived: m?.packetsReceived ?? 0,
    packetsLost: m?.packetsLost ?? 0,
    fractionLost: round(m?.fractionLost ?? 0, 4),
    jitterMs: round(m?.jitterMs ?? 0, 2),
    rttMs: m?.rttMs === undefined ? null : round(m.rttMs, 1),
    mos: round(m?.mos ?? 0, 2),
    dtmfReceived,
  };
}

/** One readable line: `call statistics: 5.02 s, PCMU, sent 251, received 250, lost 0 (0.0%), ...`. */
export function formatSummary(s: CallSummary): string {
  const parts = [
    `${s.durationS.toFixed(2)} s`,
    `${s.codec ?? 'no media'}${s.srtp ? ' (SRTP)' : ''}`,
    `sent ${s.packetsSent}`,
    `received ${s.packetsReceived}`,
    `lost ${s.packetsLost} (${(s.fractionLost * 100).toFixed(1)}%)`,
    `jitter ${s.jitterMs.toFixed(1)} ms`,
    `rtt ${s.rttMs === null ? '-' : `${s.rttMs.toFixed(1)} ms`}`,
    `MOS ${s.mos.toFixed(2)}`,
  ];
  if (s.dtmfReceived !== '') parts.push(`dtmf ${s.dtmfReceived}`);
  return `call statistics: ${parts.join(', ')}`;
}

/** The machine-readable line: `stats ` followed by the summary as JSON. */
export function formatSummaryJson(s: CallSummary): string {
  return `stats ${JSON.stringify(s)}`;
}

/** Parses a `stats {...}` line back (for scripts and tests); undefined when `line` is not one. */
export function parseSummaryJson(line: string): CallSummary | undefined {
  if (!line.startsWith('stats {')) return undefined;
  try {
    const v: unknown = JSON.parse(line.slice(6));
    if (typeof v !== 'object' || v === null || !('packetsReceived' in v)) return undefined;
    return v as CallSummary;
  } catch {
    return undefined;
  }
}
