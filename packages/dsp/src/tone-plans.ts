import { DspConfigError } from './errors.js';

/** One sinusoid of a tone: frequency in Hz and level in dBm0 (see {@link dbm0ToAmplitude}). */
export interface ToneComponent {
  /** Frequency in Hz (below the generator's Nyquist frequency). */
  readonly frequency: number;
  /** Level in dBm0 (peak amplitude from {@link dbm0ToAmplitude}). */
  readonly levelDbm0: number;
}

/** A stretch of a tone cadence: the sum of `components` (silence if empty) for `durationMs`. */
export interface ToneSegment {
  /** Length in milliseconds; `Infinity` for a continuous tone. */
  readonly durationMs: number;
  /** Sinusoids summed during the segment; empty for silence. */
  readonly components: readonly ToneComponent[];
}

/** A tone as a cadence of segments, optionally repeated forever (ringback, busy, …). */
export interface ToneSpec {
  /** The cadence, played in order. */
  readonly segments: readonly ToneSegment[];
  /** Start again from the first segment after the last one. */
  readonly repeat: boolean;
}

/**
 * Peak amplitude (16-bit linear) of a sine at `dbm0`. 0 dBm0 is taken 3.17 dB below full scale: the
 * ITU-T G.711 µ-law overload point is +3.17 dBm0 (A-law +3.14 dBm0).
 */
export function dbm0ToAmplitude(dbm0: number): number {
  return 32767 * 10 ** ((dbm0 - 3.17) / 20);
}

/** ITU-T Q.23 §3: low-group (row) frequencies in Hz. */
export const DTMF_LOW_FREQUENCIES: readonly number[] = [697, 770, 852, 941];
/** ITU-T Q.23 §3: high-group (column) frequencies in Hz. */
export const DTMF_HIGH_FREQUENCIES: readonly number[] = [1209, 1336, 1477, 1633];
/** ITU-T Q.23 Figure 1: the keypad, row by row (row = low group, column = high group). */
export const DTMF_KEYPAD: readonly string[] = ['123A', '456B', '789C', '*0#D'];

/** The (low, high) frequency pair of a DTMF digit (0-9, *, #, A-D; case-insensitive). */
export function dtmfFrequencies(digit: string): readonly [number, number] {
  const d = digit.toUpperCase();
  for (let row = 0; row < 4; row++) {
    const col = DTMF_KEYPAD[row].indexOf(d);
    if (col >= 0 && d.length === 1) return [DTMF_LOW_FREQUENCIES[row], DTMF_HIGH_FREQUENCIES[col]];
  }
  throw new DspConfigError('digit', digit, 'not a DTMF digit (0-9, *, #, A-D)');
}

/** Options of {@link dtmfToneSpec}. */
export interface DtmfToneOptions {
  /** Tone length per digit, ms. Default 100 (Q.24 requires ≥ 40 ms to be recognised). */
  readonly durationMs?: number;
  /** Silence after each digit, ms. Default 100. */
  readonly pauseMs?: number;
  /** Level of the low-group frequency, dBm0. Default −10. */
  readonly lowLevelDbm0?: number;
  /**
   * Level of the high-group frequency, dBm0. Default −8: the customary 2 dB pre-emphasis of the high
   * group (normal twist), which Q.24 receivers accept.
   */
  readonly highLevelDbm0?: number;
}

/** The cadence that sends `digits` as DTMF (ITU-T Q.23 frequencies), each followed by a pause. */
export function dtmfToneSpec(digits: string, options: DtmfToneOptions = {}): ToneSpec {
  const { durationMs = 100, pauseMs = 100, lowLevelDbm0 = -10, highLevelDbm0 = -8 } = options;
  if (!(durationMs > 0) || !(pauseMs >= 0)) {
    throw new DspConfigError('durationMs/pauseMs', `${durationMs}/${pauseMs}`, 'must be positive');
  }
  const segments: ToneSegment[] = [];
  for (const digit of digits) {
    const [low, high] = dtmfFrequencies(digit);
    segments.push({
      durationMs,
      components: [
        { frequency: low, levelDbm0: lowLevelDbm0 },
        { frequency: high, levelDbm0: highLevelDbm0 },
      ],
    });
    if (pauseMs > 0) segments.push({ durationMs: pauseMs, components: [] });
  }
  return { segments, repeat: false };
}

/** Call-progress tone plans available. */
export type ToneRegion = 'us' | 'eu';
/** Call-progress tones available. */
export type CallProgressTone = 'dial' | 'ringback' | 'busy' | 'congestion';

function cadence(components: readonly ToneComponent[], onMs: number, offMs: number): ToneSpec {
  if (!Number.isFinite(onMs)) return { segments: [{ durationMs: Infinity, components }], repeat: false };
  return {
    segments: [
      { durationMs: onMs, components },
      { durationMs: offMs, components: [] },
    ],
    repeat: true,
  };
}

function dual(f1: number, f2: number, dbm0: number): ToneComponent[] {
  return [
    { frequency: f1, levelDbm0: dbm0 },
    { frequency: f2, levelDbm0: dbm0 },
  ];
}

/**
 * A call-progress tone.
 *
 * - `us`, ANSI T1.401 (precise tones): dial 350+440 Hz continuous at −13 dBm0 per frequency;
 *   ringback 440+480 Hz, 2 s on / 4 s off, −19 dBm0; busy 480+620 Hz, 0.5 s / 0.5 s, −24 dBm0;
 *   congestion (reorder) 480+620 Hz, 0.25 s / 0.25 s, −24 dBm0.
 * - `eu`, the CEPT harmonised plan (ETSI TR 101 041-1, ITU-T E.180 Supplement 2): 425 Hz at −10 dBm0;
 *   dial continuous; ringback 1 s on / 4 s off; busy 0.5 s / 0.5 s; congestion 0.25 s / 0.25 s.
 */
export function callProgressTone(region: ToneRegion, tone: CallProgressTone): ToneSpec {
  if (region === 'us') {
    switch (tone) {
      case 'dial':
        return cadence(dual(350, 440, -13), Infinity, 0);
      case 'ringback':
        return cadence(dual(440, 480, -19), 2000, 4000);
      case 'busy':
        return cadence(dual(480, 620, -24), 500, 500);
      case 'congestion':
        return cadence(dual(480, 620, -24), 250, 250);
    }
  } else if (region === 'eu') {
    const c: ToneComponent[] = [{ frequency: 425, levelDbm0: -10 }];
    switch (tone) {
      case 'dial':
        return cadence(c, Infinity, 0);
      case 'ringback':
        return cadence(c, 1000, 4000);
      case 'busy':
        return cadence(c, 500, 500);
      case 'congestion':
        return cadence(c, 250, 250);
    }
  }
  throw new DspConfigError('tone', `${String(region)}/${String(tone)}`, 'unknown region or tone');
}
