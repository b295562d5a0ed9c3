/** Sample encodings this package reads and writes in WAV files. */
export type WavEncoding = 'pcm16' | 'mulaw' | 'alaw';

/** Decoded WAV audio: interleaved 16-bit linear samples, whatever the file's encoding. */
export interface WavAudio {
  /** Sample rate in Hz. */
  readonly sampleRate: number;
  /** Channel count (1 or 2). */
  readonly channels: number;
  /** How the samples were (or are to be) stored in the file. */
  readonly encoding: WavEncoding;
  /** Interleaved linear samples (`frames × channels`). */
  readonly samples: Int16Array;
}

/** WAVE format tags (Microsoft mmreg.h / RFC 2361). */
export const WAVE_FORMAT_PCM = 0x0001;
/** ITU-T G.711 A-law. */
export const WAVE_FORMAT_ALAW = 0x0006;
/** ITU-T G.711 µ-law. */
export const WAVE_FORMAT_MULAW = 0x0007;
/** WAVEFORMATEXTENSIBLE: the real format is the sub-format GUID. */
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/**
 * The KSDATAFORMAT_SUBTYPE GUID tail `-0000-0010-8000-00AA00389B71` as stored (bytes 2..15); bytes
 * 0..1 hold the format tag (little-endian).
 */
export const SUBFORMAT_GUID_TAIL: readonly number[] = [
  0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
];

/** Splits interleaved samples into one array per channel. */
export function deinterleave(samples: Int16Array, channels: number): Int16Array[] {
  const frames = Math.floor(samples.length / channels);
  const out = Array.from({ length: channels }, () => new Int16Array(frames));
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels; c++) out[c][f] = samples[f * channels + c];
  }
  return out;
}

/** Interleaves equal-length channel arrays. */
export function interleave(channels: readonly Int16Array[]): Int16Array {
  const frames = channels.length === 0 ? 0 : channels[0].length;
  const out = new Int16Array(frames * channels.length);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels.length; c++) out[f * channels.length + c] = channels[c][f];
  }
  return out;
}
