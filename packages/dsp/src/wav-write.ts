import { encodeAlaw, encodeMulaw } from '@tsvoip/codecs';
import { DspConfigError } from './errors.js';
import { WAVE_FORMAT_ALAW, WAVE_FORMAT_MULAW, WAVE_FORMAT_PCM, type WavEncoding } from './wav-format.js';

/** What {@link writeWav} needs: interleaved linear samples and how to store them. */
export interface WavInput {
  /** Sample rate in Hz. */
  readonly sampleRate: number;
  /** 1 or 2. */
  readonly channels: number;
  /** Interleaved 16-bit samples; the length must be a multiple of `channels`. */
  readonly samples: Int16Array;
  /** Storage encoding; default `pcm16`. */
  readonly encoding?: WavEncoding;
}

/**
 * Writes a canonical RIFF/WAVE file: `fmt ` (16 bytes for PCM; 18 plus a `fact` chunk for µ-law and
 * A-law, as the WAVE spec requires for non-PCM formats), then `data`.
 */
export function writeWav(input: WavInput): Uint8Array {
  const { sampleRate, channels, samples, encoding = 'pcm16' } = input;
  if (channels !== 1 && channels !== 2) throw new DspConfigError('channels', channels, 'must be 1 or 2');
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 0xffffffff) {
    throw new DspConfigError('sampleRate', sampleRate, 'must be a positive integer');
  }
  if (samples.length % channels !== 0) {
    throw new DspConfigError('samples.length', samples.length, `must be a multiple of ${channels} channels`);
  }
  const pcm = encoding === 'pcm16';
  if (!pcm && encoding !== 'mulaw' && encoding !== 'alaw') {
    throw new DspConfigError('encoding', encoding, "must be 'pcm16', 'mulaw' or 'alaw'");
  }
  const bytesPerSample = pcm ? 2 : 1;
  const dataSize = samples.length * bytesPerSample;
  const fmtSize = pcm ? 16 : 18;
  const factSize = pcm ? 0 : 12;
  const pad = dataSize & 1;
  const total = 12 + 8 + fmtSize + factSize + 8 + dataSize + pad;
  if (total - 8 > 0xfffffffe) throw new DspConfigError('samples.length', samples.length, 'too long for RIFF');
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, total - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  const tag = pcm ? WAVE_FORMAT_PCM : encoding === 'mulaw' ? WAVE_FORMAT_MULAW : WAVE_FORMAT_ALAW;
  view.setUint16(20, tag, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * bytesPerSample, true);
  view.setUint16(32, channels * bytesPerSample, true);
  view.setUint16(34, bytesPerSample * 8, true);
  let pos = 20 + fmtSize;
  if (!pcm) {
    view.setUint16(36, 0, true); // cbSize
    ascii(pos, 'fact');
    view.setUint32(pos + 4, 4, true);
    view.setUint32(pos + 8, samples.length / channels, true); // sample frames
    pos += 12;
  }
  ascii(pos, 'data');
  view.setUint32(pos + 4, dataSize, true);
  pos += 8;
  if (pcm) {
    for (let i = 0; i < samples.length; i++) view.setInt16(pos + 2 * i, samples[i], true);
  } else if (encoding === 'mulaw') {
    encodeMulaw(samples, out.subarray(pos, pos + dataSize));
  } else {
    encodeAlaw(samples, out.subarray(pos, pos + dataSize));
  }
  return out;
}
