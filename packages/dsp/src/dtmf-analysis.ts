import { DspConfigError } from './errors.js';
import { DTMF_HIGH_FREQUENCIES, DTMF_KEYPAD, DTMF_LOW_FREQUENCIES, dbm0ToAmplitude } from './tone-plans.js';

/** Acceptance thresholds of the DTMF block classifier (ITU-T Q.24 defaults). */
export interface DtmfThresholds {
  /**
   * Largest relative frequency deviation accepted, per tone. Default 0.025: between Q.24's "must
   * operate" (±1.5%) and "must not operate" (±3.5%) limits.
   */
  readonly frequencyTolerance?: number;
  /** Normal twist: how much louder (dB) the high tone may be than the low one. Default 8. */
  readonly normalTwistDb?: number;
  /** Reverse twist: how much louder (dB) the low tone may be than the high one. Default 4. */
  readonly reverseTwistDb?: number;
  /** Weakest tone accepted, per frequency, in dBm0. Default −30. */
  readonly minLevelDbm0?: number;
  /**
   * Share of the block's energy the two tones must explain (0..1). Default 0.85: rejects speech,
   * noise and blocks only partly covered by a tone.
   */
  readonly minPurity?: number;
  /**
   * Largest second harmonic, relative to its fundamental, in dB (talk-off guard: voiced speech is
   * rich in harmonics, DTMF tones are pure). Default −20.
   */
  readonly maxSecondHarmonicDb?: number;
}

/** What {@link DtmfBlockAnalyser.analyse} found in one block. */
export interface DtmfBlockResult {
  /** Index into {@link DTMF_KEYPAD} as row·4 + column, or −1 when no valid digit. */
  digit: number;
  /** Estimated frequency (Hz) of the strongest low-group tone (NaN when too quiet to analyse). */
  lowFrequency: number;
  /** Estimated frequency (Hz) of the strongest high-group tone (NaN when too quiet to analyse). */
  highFrequency: number;
  /** Fitted peak amplitude of the low-group tone (16-bit linear). */
  lowAmplitude: number;
  /** Fitted peak amplitude of the high-group tone (16-bit linear). */
  highAmplitude: number;
  /** Share of the block energy explained by the two tones. */
  purity: number;
}

const TWO_PI = 2 * Math.PI;

function wrapPi(a: number): number {
  return a - TWO_PI * Math.round(a / TWO_PI);
}

/**
 * Classifies fixed-length blocks of audio as one DTMF digit or none. Preallocates everything; one
 * instance per stream (see `DtmfDetector`).
 *
 * Per block of N samples:
 * 1. Goertzel energy at the 8 Q.23 frequencies picks the strongest tone of each group.
 * 2. Each tone's actual frequency is estimated from the phase advance between two Hann-windowed
 *    DFTs of the block offset by N/4 samples (unambiguous to ±2·fs/N, well beyond 3.5%), and must
 *    be within `frequencyTolerance` of nominal (ITU-T Q.24 frequency tolerance).
 * 3. A least-squares fit of two sinusoids at the estimated frequencies gives their amplitudes
 *    (twist and level checks, Q.24) and the share of the block's energy they explain (purity).
 * 4. The fit's residual must not hold a second harmonic of either tone (talk-off guard), above
 *    `maxSecondHarmonicDb` and clearly above the residual's noise.
 */
export class DtmfBlockAnalyser {
  /** Block length in samples. */
  readonly blockSize: number;
  /** Sample rate in Hz. */
  readonly sampleRate: number;
  private readonly hop: number;
  private readonly window: number;
  private readonly goertzelCoeffs = new Float64Array(8);
  private readonly winCos: Float64Array[]; // per frequency: hann[n]·cos(ω0 n), n < window
  private readonly winSin: Float64Array[];
  private readonly residual: Float64Array;
  private readonly gram = new Float64Array(16);
  private readonly rhs = new Float64Array(4);
  private readonly tolerance: number;
  private readonly normalTwist: number;
  private readonly reverseTwist: number;
  private readonly minAmplitude: number;
  private readonly minPurity: number;
  private readonly maxHarmonicRatio: number;
  /** The result of the last {@link analyse} (reused object). */
  readonly result: DtmfBlockResult = {
    digit: -1,
    lowFrequency: Number.NaN,
    highFrequency: Number.NaN,
    lowAmplitude: 0,
    highAmplitude: 0,
    purity: 0,
  };

  constructor(sampleRate: number, blockSize: number, thresholds: DtmfThresholds = {}) {
    if (!Number.isInteger(sampleRate) || sampleRate < 8000) {
      throw new DspConfigError('sampleRate', sampleRate, 'DTMF detection needs an integer rate ≥ 8000 Hz');
    }
    if (!Number.isInteger(blockSize) || blockSize < 32) {
      throw new DspConfigError('blockSize', blockSize, 'must be an integer ≥ 32');
    }
    this.sampleRate = sampleRate;
    this.blockSize = blockSize;
    this.hop = Math.round(blockSize / 4);
    this.window = blockSize - this.hop;
    const all = [...DTMF_LOW_FREQUENCIES, ...DTMF_HIGH_FREQUENCIES];
    this.winCos = [];
    this.winSin = [];
    for (let k = 0; k < 8; k++) {
      const w = (TWO_PI * all[k]) / sampleRate;
      this.goertzelCoeffs[k] = 2 * Math.cos(w);
      const c = new Float64Array(this.window);
      const s = new Float64Array(this.window);
      for (let n = 0; n < this.window; n++) {
        const hann = 0.5 - 0.5 * Math.cos((TWO_PI * (n + 0.5)) / this.window);
        c[n] = hann * Math.cos(w * n);
        s[n] = hann * Math.sin(w * n);
      }
      this.winCos.push(c);
      this.winSin.push(s);
    }
    this.residual = new Float64Array(blockSize);
    this.tolerance = thresholds.frequencyTolerance ?? 0.025;
    this.normalTwist = thresholds.normalTwistDb ?? 8;
    this.reverseTwist = thresholds.reverseTwistDb ?? 4;
    this.minAmplitude = dbm0ToAmplitude(thresholds.minLevelDbm0 ?? -30);
    this.minPurity = thresholds.minPurity ?? 0.85;
    this.maxHarmonicRatio = 10 ** ((thresholds.maxSecondHarmonicDb ?? -20) / 20);
  }

  /** Classifies `block` (exactly {@link blockSize} samples, starting at `offset`). */
  analyse(block: ArrayLike<number>, offset = 0): DtmfBlockResult {
    const r = this.result;
    r.digit = -1;
    r.lowFrequency = Number.NaN;
    r.highFrequency = Number.NaN;
    r.lowAmplitude = 0;
    r.highAmplitude = 0;
    r.purity = 0;
    const N = this.blockSize;
    let energy = 0;
    for (let n = 0; n < N; n++) energy += block[offset + n] * block[offset + n];
    // Two tones at the minimum level carry N·A² energy (N·A²/2 each).
    if (energy < N * this.minAmplitude * this.minAmplitude * 0.5) return r;

    // 1. Strongest tone per group by Goertzel energy.
    let low = 0;
    let high = 4;
    let bestLow = -1;
    let bestHigh = -1;
    for (let k = 0; k < 8; k++) {
      const coeff = this.goertzelCoeffs[k];
      let s1 = 0;
      let s2 = 0;
      for (let n = 0; n < N; n++) {
        const s0 = block[offset + n] + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
      if (k < 4 && power > bestLow) {
        bestLow = power;
        low = k;
      } else if (k >= 4 && power > bestHigh) {
        bestHigh = power;
        high = k;
      }
    }

    // 2. Frequency estimates (ITU-T Q.24: operate within ±1.5%, not beyond ±3.5%).
    const fLow = this.estimateFrequency(block, offset, low, DTMF_LOW_FREQUENCIES[low]);
    const fHigh = this.estimateFrequency(block, offset, high, DTMF_HIGH_FREQUENCIES[high - 4]);
    r.lowFrequency = fLow;
    r.highFrequency = fHigh;
    if (Math.abs(fLow / DTMF_LOW_FREQUENCIES[low] - 1) > this.tolerance) return r;
    if (Math.abs(fHigh / DTMF_HIGH_FREQUENCIES[high - 4] - 1) > this.tolerance) return r;

    // 3. Least-squares amplitudes, purity, twist and level.
    const explained = this.fitTwoTones(block, offset, fLow, fHigh);
    const a = this.rhs; // solved coefficients
    const ampLow = Math.hypot(a[0], a[1]);
    const ampHigh = Math.hypot(a[2], a[3]);
    r.lowAmplitude = ampLow;
    r.highAmplitude = ampHigh;
    r.purity = explained / energy;
    if (r.purity < this.minPurity) return r;
    if (ampLow < this.minAmplitude || ampHigh < this.minAmplitude) return r;
    const twistDb = 20 * Math.log10(ampHigh / ampLow);
    // Q.24 twist: high group louder = normal twist, low group louder = reverse twist.
    if (twistDb > this.normalTwist || -twistDb > this.reverseTwist) return r;

    // 4. Talk-off guard: second harmonics in what the two tones do not explain. A harmonic counts
    // when it is both above the limit relative to its fundamental and 6 dB above what white noise
    // of the residual's energy would show at one frequency (so noise alone does not trip it).
    let residualEnergy = 0;
    for (let n = 0; n < N; n++) residualEnergy += this.residual[n] * this.residual[n];
    const noiseFloor = (4 * Math.sqrt(residualEnergy)) / N;
    const h1 = this.harmonicAmplitude(2 * fLow);
    if (h1 > ampLow * this.maxHarmonicRatio && h1 > noiseFloor) return r;
    const h2 = this.harmonicAmplitude(2 * fHigh);
    if (h2 > ampHigh * this.maxHarmonicRatio && h2 > noiseFloor) return r;

    r.digit = low * 4 + (high - 4);
    return r;
  }

  private estimateFrequency(block: ArrayLike<number>, offset: number, k: number, nominal: number): number {
    const c = this.winCos[k];
    const s = this.winSin[k];
    const H = this.hop;
    let aRe = 0;
    let aIm = 0;
    let bRe = 0;
    let bIm = 0;
    for (let n = 0; n < this.window; n++) {
      const xa = block[offset + n];
      const xb = block[offset + n + H];
      aRe += xa * c[n];
      aIm -= xa * s[n];
      bRe += xb * c[n];
      bIm -= xb * s[n];
    }
    // arg(B · conj(A)) = ω·H (mod 2π) for a tone at ω.
    const re = bRe * aRe + bIm * aIm;
    const im = bIm * aRe - bRe * aIm;
    const w0 = (TWO_PI * nominal) / this.sampleRate;
    const dw = wrapPi(Math.atan2(im, re) - w0 * H) / H;
    return ((w0 + dw) * this.sampleRate) / TWO_PI;
  }

  /** Fits a·cos + b·sin at both frequencies; leaves the coefficients in `rhs`, the residual in `residual`. */
  private fitTwoTones(block: ArrayLike<number>, offset: number, f1: number, f2: number): number {
    const N = this.blockSize;
    const G = this.gram;
    const b = this.rhs;
    G.fill(0);
    b.fill(0);
    const w1 = (TWO_PI * f1) / this.sampleRate;
    const w2 = (TWO_PI * f2) / this.sampleRate;
    const c1 = Math.cos(w1);
    const s1 = Math.sin(w1);
    const c2 = Math.cos(w2);
    const s2 = Math.sin(w2);
    let p0 = 1;
    let p1 = 0;
    let q0 = 1;
    let q1 = 0;
    for (let n = 0; n < N; n++) {
      const x = block[offset + n];
      G[0] += p0 * p0;
      G[1] += p0 * p1;
      G[2] += p0 * q0;
      G[3] += p0 * q1;
      G[5] += p1 * p1;
      G[6] += p1 * q0;
      G[7] += p1 * q1;
      G[10] += q0 * q0;
      G[11] += q0 * q1;
      G[15] += q1 * q1;
      b[0] += p0 * x;
      b[1] += p1 * x;
      b[2] += q0 * x;
      b[3] += q1 * x;
      // rotate the oscillators (cos, sin) by ω
      const np0 = p0 * c1 - p1 * s1;
      p1 = p1 * c1 + p0 * s1;
      p0 = np0;
      const nq0 = q0 * c2 - q1 * s2;
      q1 = q1 * c2 + q0 * s2;
      q0 = nq0;
    }
    const r0 = b[0];
    const r1 = b[1];
    const r2 = b[2];
    const r3 = b[3];
    // Symmetric fill, then Gaussian elimination in place (4×4, SPD).
    G[4] = G[1];
    G[8] = G[2];
    G[9] = G[6];
    G[12] = G[3];
    G[13] = G[7];
    G[14] = G[11];
    for (let i = 0; i < 4; i++) {
      const pivot = G[i * 5];
      if (!(Math.abs(pivot) > 1e-9)) {
        b.fill(0);
        return 0;
      }
      for (let j = i + 1; j < 4; j++) {
        const f = G[j * 4 + i] / pivot;
        for (let k = i; k < 4; k++) G[j * 4 + k] -= f * G[i * 4 + k];
        b[j] -= f * b[i];
      }
    }
    for (let i = 3; i >= 0; i--) {
      let v = b[i];
      for (let k = i + 1; k < 4; k++) v -= G[i * 4 + k] * b[k];
      b[i] = v / G[i * 5];
    }
    // Residual = block − fit (for the harmonic guard); explained energy = coefficients · projections.
    p0 = 1;
    p1 = 0;
    q0 = 1;
    q1 = 0;
    for (let n = 0; n < N; n++) {
      this.residual[n] = block[offset + n] - (b[0] * p0 + b[1] * p1 + b[2] * q0 + b[3] * q1);
      const np0 = p0 * c1 - p1 * s1;
      p1 = p1 * c1 + p0 * s1;
      p0 = np0;
      const nq0 = q0 * c2 - q1 * s2;
      q1 = q1 * c2 + q0 * s2;
      q0 = nq0;
    }
    return b[0] * r0 + b[1] * r1 + b[2] * r2 + b[3] * r3;
  }

  /** Peak amplitude of the residual at `frequency` (0 above Nyquist). */
  private harmonicAmplitude(frequency: number): number {
    if (frequency >= this.sampleRate / 2) return 0;
    const coeff = 2 * Math.cos((TWO_PI * frequency) / this.sampleRate);
    let s1 = 0;
    let s2 = 0;
    const x = this.residual;
    for (let n = 0; n < this.blockSize; n++) {
      const s0 = x[n] + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    return (2 * Math.sqrt(Math.max(power, 0))) / this.blockSize;
  }
}

/** The keypad character of a {@link DtmfBlockResult.digit} index. */
export function dtmfDigitAt(index: number): string {
  return DTMF_KEYPAD[index >> 2][index & 3];
}
