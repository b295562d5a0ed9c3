// PCMU / PCMA as a Codec (RFC 3551 §4.5.14: 8000 Hz, 8 bits per sample, static payload types 0 and 8).
import { decodeAlaw, encodeAlaw } from './alaw.js';
import type { Codec, CodecOptions, SdpFormat } from './codec-types.js';
import { CodecError } from './errors.js';
import { decodeMulaw, encodeMulaw } from './mulaw.js';
import { WaveformRepeatPlc } from './plc.js';

/** Frame size in samples for a ptime at a sample rate, validated to a whole number of samples. */
export function frameSizeFor(codec: string, sampleRate: number, ptime: number): number {
  const n = (sampleRate * ptime) / 1000;
  if (!(ptime > 0) || !Number.isInteger(n) || n > sampleRate) {
    throw new CodecError('invalid-option', `ptime ${ptime} ms is not a whole number of samples`, codec);
  }
  return n;
}

/** G.711 µ-law or A-law with waveform-repeat PLC. */
export class G711Codec implements Codec {
  readonly sampleRate = 8000;
  readonly clockRate = 8000;
  readonly channels = 1;
  readonly frameDurationMs: number;
  readonly frameSize: number;
  readonly frameTimestampUnits: number;
  readonly sdp: SdpFormat;
  readonly hasPlc = true;
  private readonly plc: WaveformRepeatPlc;
  private readonly encodeLaw: (pcm: Int16Array, out?: Uint8Array) => Uint8Array;
  private readonly decodeLaw: (payload: Uint8Array, out?: Int16Array) => Int16Array;

  constructor(
    readonly name: 'PCMU' | 'PCMA',
    options: CodecOptions = {},
  ) {
    this.frameDurationMs = options.ptime ?? 20;
    this.frameSize = frameSizeFor(name, 8000, this.frameDurationMs);
    this.frameTimestampUnits = this.frameSize;
    this.encodeLaw = name === 'PCMU' ? encodeMulaw : encodeAlaw;
    this.decodeLaw = name === 'PCMU' ? decodeMulaw : decodeAlaw;
    this.plc = new WaveformRepeatPlc(8000, this.frameSize);
    this.sdp = {
      encodingName: name,
      clockRate: 8000,
      channels: undefined,
      rtpmap: `${name}/8000`,
      fmtp: undefined,
      payloadType: name === 'PCMU' ? 0 : 8,
    };
  }

  encode(pcm: Int16Array, out?: Uint8Array): Uint8Array {
    if (out !== undefined && out.length < pcm.length) {
      throw new CodecError('invalid-frame', `output buffer shorter than ${pcm.length} bytes`, this.name);
    }
    return this.encodeLaw(pcm, out);
  }

  decode(payload: Uint8Array, out?: Int16Array): Int16Array {
    if (out !== undefined && out.length < payload.length) {
      throw new CodecError(
        'invalid-frame',
        `output buffer shorter than ${payload.length} samples`,
        this.name,
      );
    }
    const pcm = this.decodeLaw(payload, out);
    this.plc.receive(pcm);
    return pcm;
  }

  conceal(_next?: Uint8Array, out?: Int16Array): Int16Array {
    return this.plc.conceal(out?.subarray(0, this.frameSize));
  }

  reset(): void {
    this.plc.reset();
  }

  destroy(): void {}
}
