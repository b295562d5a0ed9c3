/**
 * RTCP transmission interval (RFC 3550 §6.3 and appendix A.7), with the randomisation, the
 * compensation constant of timer reconsideration, and reverse reconsideration on BYE.
 * Randomness is a parameter: pass `Math.random` in production, a seeded source in tests.
 * @module
 */

/** RFC 3550 §A.7: minimum average time between RTCP packets, seconds. */
export const RTCP_MIN_TIME_SECONDS = 5;
/** RFC 3550 §A.7: fraction of RTCP bandwidth shared by active senders. */
export const RTCP_SENDER_BW_FRACTION = 0.25;
/** RFC 3550 §A.7: fraction of RTCP bandwidth shared by receivers. */
export const RTCP_RCVR_BW_FRACTION = 0.75;
/** RFC 3550 §A.7: e - 3/2, compensating for timer reconsideration converging below the average. */
export const RTCP_COMPENSATION = Math.E - 1.5;

/** Inputs of the interval computation (RFC 3550 §6.3 state). */
export interface RtcpIntervalParameters {
  /** Members of the session (including ourselves). */
  members: number;
  /** Members that sent RTP since the last report (including ourselves if we did). */
  senders: number;
  /** RTCP bandwidth in octets per second (typically 5% of the session bandwidth). */
  rtcpBandwidth: number;
  /** True when we sent RTP since the second-to-last report. */
  weSent: boolean;
  /** Average compound RTCP size in octets, lower-layer headers included (RFC 3550 §6.3.3). */
  avgRtcpSize: number;
  /** True before the first RTCP packet was sent: the minimum is halved. */
  initial: boolean;
  /** Override of the 5 s minimum (RFC 3550 §6.2 allows a smaller, bandwidth-scaled one), ms. */
  minIntervalMs?: number;
}

/**
 * The deterministic interval Td of RFC 3550 §6.3.1 in ms (no randomisation, no compensation),
 * also the basis of the member timeout of §6.3.5.
 */
export function rtcpDeterministicIntervalMs(p: RtcpIntervalParameters): number {
  const minTimeMs = p.minIntervalMs ?? RTCP_MIN_TIME_SECONDS * 1000;
  // RFC 3550 §A.7: very first call at application start-up uses half the minimum delay.
  const rtcpMinTimeMs = p.initial ? minTimeMs / 2 : minTimeMs;
  let n = p.members;
  let bandwidth = p.rtcpBandwidth;
  // RFC 3550 §A.7: if there are active senders, give them at least a minimum share of the bandwidth.
  if (p.senders <= p.members * RTCP_SENDER_BW_FRACTION) {
    if (p.weSent) {
      bandwidth *= RTCP_SENDER_BW_FRACTION;
      n = p.senders;
    } else {
      bandwidth *= RTCP_RCVR_BW_FRACTION;
      n -= p.senders;
    }
  }
  const t = bandwidth > 0 ? ((p.avgRtcpSize * n) / bandwidth) * 1000 : Number.POSITIVE_INFINITY;
  return Math.max(t, rtcpMinTimeMs);
}

/**
 * The calculated interval T of RFC 3550 §A.7 in ms: Td scaled by a random factor in [0.5, 1.5)
 * and divided by e - 3/2. `random` returns numbers in [0, 1).
 */
export function rtcpIntervalMs(p: RtcpIntervalParameters, random: () => number): number {
  const td = rtcpDeterministicIntervalMs(p);
  // RFC 3550 §A.7: randomise to avoid synchronisation, then compensate for reconsideration.
  return (td * (random() + 0.5)) / RTCP_COMPENSATION;
}

/** RFC 3550 §6.3.3: avg_rtcp_size = 1/16 * packet_size + 15/16 * avg_rtcp_size. */
export function updateAvgRtcpSize(avgRtcpSize: number, packetSize: number): number {
  return packetSize / 16 + (avgRtcpSize * 15) / 16;
}

/** Result of {@link reconsiderOnExpiry}. */
export type RtcpTimerDecision = { send: true } | { send: false; nextTransmissionMs: number };

/**
 * Timer reconsideration when the RTCP timer fires (RFC 3550 §6.3.6, §A.7 OnExpire): with the
 * interval T recomputed now, send if `tp + T <= tc`, else reschedule at `tp + T`.
 */
export function reconsiderOnExpiry(
  previousTransmissionMs: number,
  nowMs: number,
  intervalMs: number,
): RtcpTimerDecision {
  const next = previousTransmissionMs + intervalMs;
  return next <= nowMs ? { send: true } : { send: false, nextTransmissionMs: next };
}

/** Times rescheduled by {@link reverseReconsideration}. */
export interface ReconsideredTimes {
  /** New next transmission time tn, ms. */
  nextTransmissionMs: number;
  /** New previous transmission time tp, ms. */
  previousTransmissionMs: number;
}

/**
 * Reverse reconsideration when members leave (RFC 3550 §6.3.4): when members < pmembers,
 * tn = tc + (members/pmembers)(tn - tc) and tp = tc - (members/pmembers)(tc - tp).
 * Returns the times unchanged when membership did not shrink.
 */
export function reverseReconsideration(
  nowMs: number,
  nextTransmissionMs: number,
  previousTransmissionMs: number,
  members: number,
  previousMembers: number,
): ReconsideredTimes {
  if (members >= previousMembers || previousMembers <= 0) {
    return { nextTransmissionMs, previousTransmissionMs };
  }
  const ratio = members / previousMembers;
  return {
    nextTransmissionMs: nowMs + ratio * (nextTransmissionMs - nowMs),
    previousTransmissionMs: nowMs - ratio * (nowMs - previousTransmissionMs),
  };
}
