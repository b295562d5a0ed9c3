/**
 * A simplified E-model (ITU-T G.107) to estimate the listening quality of a call from its codec,
 * one-way delay and packet loss, as a rating R and a MOS-CQE.
 * @module
 */

/** Equipment impairment parameters of a codec (ITU-T G.113 Appendix I). */
export interface CodecImpairment {
  /** Equipment impairment factor Ie. */
  ie: number;
  /** Packet-loss robustness factor Bpl. */
  bpl: number;
}

/**
 * Ie/Bpl per codec on the narrowband scale. G.711 with PLC: Ie 0, Bpl 25.1 (ITU-T G.113 Appendix I,
 * Table I.3). G.722 and Opus have no narrowband-scale values in G.113; they are given G.711's here,
 * so their wideband benefit is not credited (the MOS stays on the narrowband 1..4.5 scale).
 */
export const CODEC_IMPAIRMENTS: Readonly<Record<string, CodecImpairment>> = {
  PCMU: { ie: 0, bpl: 25.1 },
  PCMA: { ie: 0, bpl: 25.1 },
  G722: { ie: 0, bpl: 25.1 },
  opus: { ie: 0, bpl: 25.1 },
};

/** Inputs of {@link rFactor}. */
export interface EModelInput {
  /** Codec impairment (see {@link CODEC_IMPAIRMENTS}). */
  codec: CodecImpairment;
  /** Mouth-to-ear one-way delay, ms. */
  delayMs: number;
  /** Packet loss, percent (0..100). */
  lossPercent: number;
  /** Burst ratio BurstR (1 for random loss). Default 1. */
  burstRatio?: number;
}

/** ITU-T G.107 §7: Ro − Is with every other parameter at its default value. */
export const DEFAULT_R0 = 93.2;

/**
 * The delay impairment Id, simplified from ITU-T G.107 §7.3 for a well echo-cancelled path
 * (the Cole–Rosenbluth fit): Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3).
 */
export function delayImpairment(delayMs: number): number {
  const d = Math.max(0, delayMs);
  return 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
}

/** ITU-T G.107 §7.4 (eq. 7-29): Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl). */
export function effectiveEquipmentImpairment(
  codec: CodecImpairment,
  lossPercent: number,
  burstRatio = 1,
): number {
  const ppl = Math.min(100, Math.max(0, lossPercent));
  return codec.ie + ((95 - codec.ie) * ppl) / (ppl / burstRatio + codec.bpl);
}

/** ITU-T G.107 §7 (simplified): R = Ro − Is − Id − Ie,eff + A with A = 0. */
export function rFactor(input: EModelInput): number {
  return (
    DEFAULT_R0 -
    delayImpairment(input.delayMs) -
    effectiveEquipmentImpairment(input.codec, input.lossPercent, input.burstRatio ?? 1)
  );
}

/** ITU-T G.107 Annex B (eq. B-4): MOS-CQE from R, 1 for R < 0 and 4.5 for R > 100. */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}
