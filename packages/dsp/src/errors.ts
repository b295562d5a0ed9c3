/**
 * Base class of every error thrown by `@tsvoip/dsp`.
 */
export class DspError extends Error {
  override name = 'DspError';
}

/**
 * A configuration value is outside what the component supports (a sample rate of 0, a frame of
 * negative length, a participant count of 0…). `parameter` names the offending option.
 */
export class DspConfigError extends DspError {
  override name = 'DspConfigError';
  /** The option that was rejected. */
  readonly parameter: string;
  /** The value that was passed. */
  readonly value: unknown;

  constructor(parameter: string, value: unknown, reason: string) {
    super(`invalid ${parameter} (${String(value)}): ${reason}`);
    this.parameter = parameter;
    this.value = value;
  }
}

/**
 * A WAV file is malformed or truncated: not RIFF/WAVE, a chunk running past the end of the data, a
 * missing `fmt ` or `data` chunk. `offset` is the byte offset where the problem was found.
 */
export class WavFormatError extends DspError {
  override name = 'WavFormatError';
  /** Byte offset in the file where the problem was detected. */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`${message} (at byte ${offset})`);
    this.offset = offset;
  }
}

/**
 * A well-formed WAV file uses an encoding this package does not read or write (8-bit PCM, float,
 * ADPCM, more than two channels, …). `formatTag` is the WAVE format tag found (or the extensible
 * sub-format tag), `bitsPerSample` and `channels` what the `fmt ` chunk declared.
 */
export class WavUnsupportedError extends DspError {
  override name = 'WavUnsupportedError';
  /** WAVE format tag (1 PCM, 6 A-law, 7 µ-law, 3 float, 0xFFFE extensible, …). */
  readonly formatTag: number;
  /** Bits per sample declared by the file. */
  readonly bitsPerSample: number;
  /** Channel count declared by the file. */
  readonly channels: number;

  constructor(message: string, formatTag: number, bitsPerSample: number, channels: number) {
    super(message);
    this.formatTag = formatTag;
    this.bitsPerSample = bitsPerSample;
    this.channels = channels;
  }
}
