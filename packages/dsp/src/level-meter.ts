/**
 * Signal levels in dBov (ITU-T G.100.1): decibels relative to the overload point of 16-bit linear
 * audio, 0 dBov being a full-scale square wave (RMS 32768). A full-scale sine reads −3.01 dBov.
 * Digital silence is −∞; pass a floor (e.g. −127, the RFC 6464 range) to clamp it.
 */

const OVERLOAD = 32768;

/** RMS level of `samples` in dBov, never below `floorDb` (default −∞; −∞ for silence or no samples). */
export function rmsDbov(samples: Int16Array, floorDb = Number.NEGATIVE_INFINITY): number {
  let energy = 0;
  for (let i = 0; i < samples.length; i++) energy += samples[i] * samples[i];
  return energyToDbov(energy, samples.length, floorDb);
}

/** Peak level of `samples` in dBov (largest magnitude), never below `floorDb`. */
export function peakDbov(samples: Int16Array, floorDb = Number.NEGATIVE_INFINITY): number {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] < 0 ? -samples[i] : samples[i];
    if (v > peak) peak = v;
  }
  return peak === 0 ? floorDb : Math.max(floorDb, 20 * Math.log10(peak / OVERLOAD));
}

function energyToDbov(energy: number, count: number, floorDb: number): number {
  if (count === 0 || energy === 0) return floorDb;
  return Math.max(floorDb, 10 * Math.log10(energy / count / (OVERLOAD * OVERLOAD)));
}

/**
 * The RFC 6464 §3 audio level (0..127, the magnitude of the level in −dBov, 127 for silence) of a
 * level in dBov.
 */
export function audioLevelRfc6464(dbov: number): number {
  if (!(dbov < 0)) return dbov >= 0 ? 0 : 127; // NaN → silence
  return Math.min(127, Math.round(-dbov));
}

/** Levels measured by a {@link LevelMeter} over one integration period. */
export interface Levels {
  /** RMS level in dBov. */
  readonly rmsDbov: number;
  /** Peak level in dBov. */
  readonly peakDbov: number;
  /** Samples measured. */
  readonly samples: number;
}

/**
 * Accumulates RMS and peak over any number of frames until read (e.g. one RTP packet's worth for the
 * RFC 6464 header extension, or one second for a meter display).
 */
export class LevelMeter {
  private energy = 0;
  private peak = 0;
  private count = 0;
  private readonly floorDb: number;

  /** `floorDb` clamps the readings (default −∞). */
  constructor(floorDb = Number.NEGATIVE_INFINITY) {
    this.floorDb = floorDb;
  }

  /** Adds a frame to the current period. */
  process(frame: Int16Array): void {
    let energy = 0;
    let peak = this.peak;
    for (let i = 0; i < frame.length; i++) {
      const v = frame[i];
      energy += v * v;
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
    }
    this.energy += energy;
    this.peak = peak;
    this.count += frame.length;
  }

  /** Levels since the last read (or construction); starts a new period. */
  read(): Levels {
    const levels: Levels = {
      rmsDbov: energyToDbov(this.energy, this.count, this.floorDb),
      peakDbov:
        this.peak === 0 ? this.floorDb : Math.max(this.floorDb, 20 * Math.log10(this.peak / OVERLOAD)),
      samples: this.count,
    };
    this.energy = 0;
    this.peak = 0;
    this.count = 0;
    return levels;
  }
}
