import { decodeAlaw, decodeMulaw } from '@tsvoip/codecs';
import { WavFormatError, WavUnsupportedError } from './errors.js';
import {
  SUBFORMAT_GUID_TAIL,
  WAVE_FORMAT_ALAW,
  WAVE_FORMAT_EXTENSIBLE,
  WAVE_FORMAT_MULAW,
  WAVE_FORMAT_PCM,
  type WavAudio,
  type WavEncoding,
} from './wav-format.js';

/** Options of {@link readWav}. */
export interface ReadWavOptions {
  /**
   * Accept a file whose `data` chunk is cut short (a recording still being written, a partial
   * download): keep the whole frames present instead of throwing. Default false.
   */
  readonly allowTruncated?: boolean;
}

/** Size written by streaming writers (ffmpeg to a pipe, …) that could not seek back: "until EOF". */
const UNKNOWN_SIZE = 0xffffffff;

function fourcc(view: DataView, at: number): string {
  return String.fromCharCode(
    view.getUint8(at),
    view.getUint8(at + 1),
    view.getUint8(at + 2),
    view.getUint8(at + 3),
  );
}

interface Format {
  encoding: WavEncoding;
  channels: number;
  sampleRate: number;
  blockAlign: number;
}

function parseFormat(view: DataView, at: number, size: number): Format {
  if (size < 16) throw new WavFormatError(`fmt chunk too short (${size} bytes)`, at);
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bits = view.getUint16(at + 14, true);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    // WAVEFORMATEXTENSIBLE: cbSize (≥ 22), wValidBitsPerSample, dwChannelMask, SubFormat GUID.
    if (size < 40 || view.getUint16(at + 16, true) < 22) {
      throw new WavFormatError('WAVE_FORMAT_EXTENSIBLE fmt chunk too short', at);
    }
    const guid = at + 24;
    for (let i = 0; i < SUBFORMAT_GUID_TAIL.length; i++) {
      if (view.getUint8(guid + 2 + i) !== SUBFORMAT_GUID_TAIL[i]) {
        throw new WavUnsupportedError(
          'unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID',
          tag,
          bits,
          channels,
        );
      }
    }
    tag = view.getUint16(guid, true);
  }
  let encoding: WavEncoding;
  if (tag === WAVE_FORMAT_PCM && bits === 16) encoding = 'pcm16';
  else if (tag === WAVE_FORMAT_MULAW && bits === 8) encoding = 'mulaw';
  else if (tag === WAVE_FORMAT_ALAW && bits === 8) encoding = 'alaw';
  else {
    throw new WavUnsupportedError(
      `unsupported WAV encoding: format tag 0x${tag.toString(16)} with ${bits} bits per sample ` +
        '(supported: 16-bit PCM, 8-bit µ-law, 8-bit A-law)',
      tag,
      bits,
      channels,
    );
  }
  if (channels < 1 || channels > 2) {
    throw new WavUnsupportedError(
      `unsupported channel count ${channels} (mono or stereo only)`,
      tag,
      bits,
      channels,
    );
  }
  if (sampleRate === 0) throw new WavFormatError('sample rate is 0', at + 4);
  if (blockAlign !== channels * (bits / 8)) {
    throw new WavFormatError(`block align ${blockAlign} does not match ${channels} × ${bits} bits`, at + 12);
  }
  return { encoding, channels, sampleRate, blockAlign };
}

/**
 * Reads a RIFF/WAVE file: 16-bit PCM, µ-law (format 7) or A-law (format 6), also inside
 * WAVE_FORMAT_EXTENSIBLE; mono or stereo; any sample rate. Unknown chunks (LIST, fact, cue, …) are
 * skipped; chunks may come in any order. Sizes of 0xFFFFFFFF (written by streaming writers) mean "to
 * the end of the file".
 *
 * @throws {WavFormatError} not a WAV file, malformed, or truncated.
 * @throws {WavUnsupportedError} a valid WAV file in another encoding.
 */
export function readWav(bytes: Uint8Array, options: ReadWavOptions = {}): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) throw new WavFormatError('file too short for a RIFF header', 0);
  if (fourcc(view, 0) !== 'RIFF') throw new WavFormatError('not a RIFF file', 0);
  if (fourcc(view, 8) !== 'WAVE') throw new WavFormatError('RIFF form is not WAVE', 8);

  let format: Format | undefined;
  let dataAt = -1;
  let dataSize = 0;
  let truncated = false;
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const id = fourcc(view, pos);
    const declared = view.getUint32(pos + 4, true);
    const body = pos + 8;
    const available = bytes.length - body;
    if (id === 'data') {
      if (dataAt < 0) {
        dataAt = body;
        if (declared === UNKNOWN_SIZE) dataSize = available;
        else if (declared > available) {
          dataSize = available;
          truncated = true;
        } else dataSize = declared;
      }
    } else if (declared > available) {
      if (id === 'fmt ') throw new WavFormatError('fmt chunk runs past the end of the file', pos);
      break; // a trailing chunk cut short: whatever came before is intact
    } else if (id === 'fmt ') {
      format = parseFormat(view, body, declared);
    }
    if (declared === UNKNOWN_SIZE || declared > available) break;
    pos = body + declared + (declared & 1); // RIFF chunks are padded to even sizes
  }
  if (format === undefined) throw new WavFormatError('no fmt chunk', pos);
  if (dataAt < 0) throw new WavFormatError('no data chunk', pos);
  if (dataSize % format.blockAlign !== 0) truncated = true;
  if (truncated && !options.allowTruncated) {
    throw new WavFormatError(`data chunk truncated (${dataSize} bytes present)`, dataAt + dataSize);
  }
  const frames = Math.floor(dataSize / format.blockAlign);
  const count = frames * format.channels;
  const samples = new Int16Array(count);
  const data = bytes.subarray(dataAt, dataAt + count * (format.encoding === 'pcm16' ? 2 : 1));
  if (format.encoding === 'pcm16') {
    for (let i = 0; i < count; i++) samples[i] = view.getInt16(dataAt + 2 * i, true);
  } else if (format.encoding === 'mulaw') {
    decodeMulaw(data, samples);
  } else {
    decodeAlaw(data, samples);
  }
  return { sampleRate: format.sampleRate, channels: format.channels, encoding: format.encoding, samples };
}
