/**
 * Kaiser-windowed sinc low-pass prototype shared by the resamplers.
 *
 * The prototype is a continuous function of time measured in input samples, so a polyphase bank (or
 * an oversampled table for arbitrary ratios) is just this function sampled at the needed offsets.
 */

/** Zeroth-order modified Bessel function of the first kind, I0(x), by its power series. */
export function besselI0(x: number): number {
  // I0(x) = Σ ((x/2)^k / k!)^2; converges fast for the β values used here (< 20).
  const half = x / 2;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 200; k++) {
    term *= half / k;
    const t2 = term * term;
    sum += t2;
    if (t2 < sum * 1e-17) break;
  }
  return sum;
}

/**
 * Kaiser window shape parameter β for a stop-band attenuation of `attenuationDb` (Kaiser's empirical
 * formula, Oppenheim & Schafer eq. 7.62).
 */
export function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  return 0;
}

/**
 * Transition width of a Kaiser-windowed FIR of `taps` taps designed for `attenuationDb`, as a
 * fraction of the sample rate it runs at (Kaiser: N − 1 = (A − 7.95) / (14.36 Δf)).
 */
export function kaiserTransitionWidth(attenuationDb: number, taps: number): number {
  return (attenuationDb - 7.95) / (14.36 * (taps - 1));
}

/** Parameters of a Kaiser-windowed sinc low-pass prototype. */
export interface KaiserSincPrototype {
  /** Cut-off as a fraction of the input rate's Nyquist frequency (1 = input Nyquist). */
  readonly cutoff: number;
  /** Half length of the impulse response in input samples; the response is 0 beyond it. */
  readonly halfLength: number;
  /** Kaiser β. */
  readonly beta: number;
  /** I0(β), the window's normaliser. */
  readonly i0Beta: number;
}

/**
 * Designs the prototype for a conversion whose lower rate is `cutoff` × the input rate: a sinc with
 * its first zero at one lower-rate sample, `zeroCrossings` lobes on each side, windowed for
 * `attenuationDb` of stop-band rejection.
 */
export function designKaiserSinc(
  cutoff: number,
  zeroCrossings: number,
  attenuationDb: number,
): KaiserSincPrototype {
  const beta = kaiserBeta(attenuationDb);
  return { cutoff, halfLength: zeroCrossings / cutoff, beta, i0Beta: besselI0(beta) };
}

/**
 * The prototype's impulse response at time `t` (input samples): `cutoff · sinc(cutoff · t)` under a
 * Kaiser window of half length `halfLength`. Its samples at integer spacing sum to ≈ 1 (unit DC gain).
 */
export function kaiserSincAt(proto: KaiserSincPrototype, t: number): number {
  const r = t / proto.halfLength;
  if (r <= -1 || r >= 1) return 0;
  const x = proto.cutoff * t;
  const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
  const window = besselI0(proto.beta * Math.sqrt(1 - r * r)) / proto.i0Beta;
  return proto.cutoff * sinc * window;
}
