/**
 * @tsvoip/dsp — audio signal processing for telephony: band-limited resampling, N − 1 conference
 * mixing, DTMF and call-progress tone generation, DTMF detection (ITU-T Q.24), voice activity
 * detection, level metering in dBov, and WAV file I/O (PCM16, µ-law, A-law).
 *
 * Everything is sans-IO: samples in, samples or events out; time is counted in samples.
 */

export {
  DtmfBlockAnalyser,
  type DtmfBlockResult,
  type DtmfThresholds,
  dtmfDigitAt,
} from './dtmf-analysis.js';
export { DtmfDetector, type DtmfDetectorOptions, type DtmfEvent } from './dtmf-detector.js';
export { DspConfigError, DspError, WavFormatError, WavUnsupportedError } from './errors.js';
export { audioLevelRfc6464, LevelMeter, type Levels, peakDbov, rmsDbov } from './level-meter.js';
export { type ClipMode, ConferenceMixer, type ConferenceMixerOptions } from './mixer.js';
export { createResampler, Resampler, type ResamplerOptions, resample } from './resampler.js';
export { ToneGenerator } from './tone-generator.js';
export {
  type CallProgressTone,
  callProgressTone,
  DTMF_HIGH_FREQUENCIES,
  DTMF_KEYPAD,
  DTMF_LOW_FREQUENCIES,
  type DtmfToneOptions,
  dbm0ToAmplitude,
  dtmfFrequencies,
  dtmfToneSpec,
  type ToneComponent,
  type ToneRegion,
  type ToneSegment,
  type ToneSpec,
} from './tone-plans.js';
export { Vad, type VadOptions } from './vad.js';
export { deinterleave, interleave, type WavAudio, type WavEncoding } from './wav-format.js';
export { type ReadWavOptions, readWav } from './wav-read.js';
export { type WavInput, writeWav } from './wav-write.js';
