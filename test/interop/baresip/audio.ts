/**
 * Audio of the interop tests: tone WAV files (for baresip's aufile source, at the codec's rate and
 * channel count, and for tsvoip's `--play`), tone samples for tsvoip's `call.play`, and Goertzel
 * checks that a recording holds a tone (power at its frequency over the strongest other bin).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { readWav, writeWav } from '@tsvoip/dsp';

/** The tone tsvoip plays, Hz. */
export const TSVOIP_HZ = 1000;
/** The tone baresip plays, Hz. */
export const BARESIP_HZ = 1600;

/** `seconds` of a `hz` sine at `rate`, mono PCM16 of peak `amplitude` (default 16000: about -6 dBFS). */
export function sine(hz: number, rate: number, seconds: number, amplitude = 16000): Int16Array {
  const out = new Int16Array(Math.round(rate * seconds));
  const w = (2 * Math.PI * hz) / rate;
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amplitude * Math.sin(w * i));
  return out;
}

/** Writes `seconds` of a `hz` sine (-6 dBFS) as a PCM16 WAV at `rate` with `channels`. */
export function writeToneWav(
  path: string,
  hz: number,
  rate: number,
  channels: number,
  seconds: number,
): void {
  const mono = sine(hz, rate, seconds);
  const samples = new Int16Array(mono.length * channels);
  for (let i = 0; i < mono.length; i++) samples.fill(mono[i], i * channels, (i + 1) * channels);
  writeFileSync(path, writeWav({ sampleRate: rate, channels, samples }));
}

/** Goertzel power of `hz` over `x` (rate `rate`). */
export function goertzelPower(x: Float64Array, hz: number, rate: number): number {
  const w = (2 * Math.PI * hz) / rate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const s0 = x[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/**
 * The tone's power over the strongest of the `others` bins, dB; without `others`, over every 50 Hz
 * from 200 Hz up to 3.8 kHz (or Nyquist - 100 Hz) that is ≥ 150 Hz away from the tone.
 */
export function toneMarginDb(x: Float64Array, hz: number, rate: number, others?: readonly number[]): number {
  const p = goertzelPower(x, hz, rate);
  let other = 1e-12;
  for (const f of others ?? gridAround(hz, rate)) other = Math.max(other, goertzelPower(x, f, rate));
  return 10 * Math.log10(Math.max(p, 1e-12) / other);
}

function gridAround(hz: number, rate: number): number[] {
  const out: number[] = [];
  const top = Math.min(3800, rate / 2 - 100);
  for (let f = 200; f <= top; f += 50) if (Math.abs(f - hz) >= 150) out.push(f);
  return out;
}

/** RMS level of `x` (full scale 1), dBFS. */
export function rmsDbfs(x: Float64Array): number {
  let energy = 0;
  for (let i = 0; i < x.length; i++) energy += x[i] * x[i];
  return x.length === 0 ? Number.NEGATIVE_INFINITY : 10 * Math.log10(energy / x.length + 1e-20);
}

/** What a recording holds of a tone. */
export interface ToneCheck {
  /** Length of the recording, s. */
  readonly seconds: number;
  /** Margin of each whole second analysed, dB. */
  readonly perSecondDb: number[];
  /** RMS of the analysed part, dBFS. */
  readonly rmsDbfs: number;
}

/** Reads a WAV (mixed to mono) as floats, with its rate. */
export function readMono(path: string): { x: Float64Array; rate: number } {
  const wav = readWav(readFileSync(path));
  const n = Math.floor(wav.samples.length / wav.channels);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < wav.channels; c++) s += wav.samples[i * wav.channels + c];
    x[i] = s / wav.channels / 32768;
  }
  return { x, rate: wav.sampleRate };
}

/** Checks `hz` in each second of the recording at `path` from `fromS` to `toS` (default: the end). */
export function checkTone(path: string, hz: number, fromS = 0.5, toS?: number): ToneCheck {
  const { x, rate } = readMono(path);
  const end = Math.min(x.length, toS === undefined ? x.length : Math.round(toS * rate));
  const from = Math.round(fromS * rate);
  const perSecondDb: number[] = [];
  let at = from;
  for (; at + rate <= end; at += rate) perSecondDb.push(toneMarginDb(x.subarray(at, at + rate), hz, rate));
  return { seconds: x.length / rate, perSecondDb, rmsDbfs: rmsDbfs(x.subarray(from, at)) };
}

/** Seconds (whole blocks) in which `hz` stands > `thresholdDb` above every other bin. */
export function secondsWithTone(c: ToneCheck, thresholdDb = 20): number {
  return c.perSecondDb.filter((d) => d > thresholdDb).length;
}

/** A one-line description for assertion messages. */
export function describeTone(c: ToneCheck): string {
  return `${c.seconds.toFixed(2)} s, rms ${c.rmsDbfs.toFixed(1)} dBFS, margins ${c.perSecondDb.map((d) => d.toFixed(0)).join('/')} dB`;
}
