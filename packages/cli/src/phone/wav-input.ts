/**
 * `--play` input: a WAV file read and checked before any call is placed (so a bad file is a
 * usage error, not a failed call), mixed down to mono. The media stream resamples it to the
 * negotiated codec's rate.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { readWav } from '@tsvoip/dsp';
import { CliUsageError } from '../errors.js';

/** Mono PCM to play, at its own rate. */
export interface PhoneAudio {
  /** Mono samples. */
  readonly samples: Int16Array;
  /** Their rate, Hz. */
  readonly sampleRate: number;
}

/** Mixes interleaved multi-channel PCM down to mono (the mean of the channels). */
export function mixToMono(interleaved: Int16Array, channels: number): Int16Array {
  if (channels === 1) return interleaved;
  const frames = Math.floor(interleaved.length / channels);
  const mono = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[i * channels + c];
    mono[i] = Math.round(sum / channels);
  }
  return mono;
}

/** Reads `path` (PCM16, µ-law or A-law WAV, any rate and channel count). Throws {@link CliUsageError}. */
export async function readPlayFile(path: string): Promise<PhoneAudio> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new CliUsageError(`--play ${path}: ${(e as NodeJS.ErrnoException).code ?? 'cannot read'}`);
  }
  try {
    const wav = readWav(bytes);
    return { samples: mixToMono(wav.samples, wav.channels), sampleRate: wav.sampleRate };
  } catch (e) {
    throw new CliUsageError(`--play ${path}: ${(e as Error).message}`);
  }
}
