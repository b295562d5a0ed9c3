/** Tone WAVs and Goertzel checks of the Kamailio interop tests. */
import { readFileSync, writeFileSync } from 'node:fs';
import { readWav, writeWav } from '@tsvoip/dsp';

/** `seconds` of a sine at `frequency` Hz (amplitude `level` of full scale), mono 16-bit at `rate`. */
export function sine(frequency: number, rate: number, seconds: number, level = 0.5): Int16Array {
  const out = new Int16Array(Math.round(rate * seconds));
  const w = (2 * Math.PI * frequency) / rate;
  for (let i = 0; i < out.length; i++) out[i] = Math.round(level * 32767 * Math.sin(w * i));
  return out;
}

/** Writes a mono 16-bit PCM WAV of a sine. */
export function writeToneWav(path: string, frequency: number, rate: number, seconds: number): void {
  writeFileSync(path, writeWav({ sampleRate: rate, channels: 1, samples: sine(frequency, rate, seconds) }));
}

/** Reads a WAV as mono samples (first channel) and its rate. */
export function readMono(path: string): { samples: Int16Array; rate: number } {
  const wav = readWav(readFileSync(path));
  if (wav.channels === 1) return { samples: wav.samples, rate: wav.sampleRate };
  const mono = new Int16Array(wav.samples.length / wav.channels);
  for (let i = 0; i < mono.length; i++) mono[i] = wav.samples[i * wav.channels];
  return { samples: mono, rate: wav.sampleRate };
}

/** Goertzel power of `frequency` over `samples` (unnormalised). */
export function goertzel(samples: Int16Array, frequency: number, rate: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s0 = samples[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** dB by which `frequency` stands above the strongest of `others` (Goertzel). */
export function toneMarginDb(
  samples: Int16Array,
  frequency: number,
  others: readonly number[],
  rate: number,
): number {
  const target = goertzel(samples, frequency, rate);
  let worst = 1e-9;
  for (const f of others) worst = Math.max(worst, goertzel(samples, f, rate));
  return 10 * Math.log10(target / worst);
}

/** RMS level in dBFS. */
export function rmsDbfs(samples: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  return 10 * Math.log10(sum / Math.max(1, samples.length) / 32768 ** 2 + 1e-12);
}
