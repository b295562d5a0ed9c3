// G.722 as a Codec (RFC 3551 §4.5.2: 16 kHz audio, RTP clock rate 8000 "for historical reasons", static
// payload type 9; 20 ms = 320 samples = 160 bytes).
import type { Codec, CodecOptions, SdpFormat } from './codec-types.js';
import { CodecError } from './errors.js';
import { frameSizeFor } from './g711-codec.js';
import { G722Decoder } from './g722-decoder.js';
import { G722Encoder } from './g722-encoder.js';
import { WaveformRepeatPlc } from './plc.js';

/** G.722 at 64 kbit/s with waveform-repeat PLC on the 16 kHz output. */
export class G722Codec implements Codec {
  readonly name = 'G722' as const;
  readonly sampleRate = 16000;
  readonly clockRate = 8000;
  readonly channels = 1;
  readonly frameDurationMs: number;
  readonly frameSize: number;
  readonly frameTimestampUnits: number;
  readonly sdp: SdpFormat = {
    encodingName: 'G722',
    clockRate: 8000,
    channels: undefined,
    rtpmap: 'G722/8000',
    fmtp: undefined,
    payloadType: 9,
  };
  readonly hasPlc = true;
  private readonly encoder = new G722Encoder();
  private readonly decoder = new G722Decoder();
  private readonly plc: WaveformRepeatPlc;

  constructor(options: CodecOptions = {}) {
    this.frameDurationMs = options.ptime ?? 20;
    this.frameSize = frameSizeFor('G722', 16000, this.frameDurationMs);
    if (this.frameSize & 1) {
      throw new CodecError('invalid-option', `ptime ${this.frameDurationMs} ms gives an odd frame`, 'G722');
    }
    this.frameTimestampUnits = this.frameSize >> 1;
    this.plc = new WaveformRepeatPlc(16000, this.frameSize);
  }

  encode(pcm: Int16Array, out?: Uint8Array): Uint8Array {
    if (out !== undefined && out.length < pcm.length >> 1) {
      throw new CodecError('invalid-frame', `output buffer shorter than ${pcm.length >> 1} bytes`, 'G722');
    }
    return this.encoder.encode(pcm, out);
  }

  decode(payload: Uint8Array, out?: Int16Array): Int16Array {
    if (out !== undefined && out.length < payload.length * 2) {
      throw new CodecError(
        'invalid-frame',
        `output buffer shorter than ${payload.length * 2} samples`,
        'G722',
      );
    }
    const pcm = this.decoder.decode(payload, out);
    this.plc.receive(pcm);
    return pcm;
  }

  conceal(_next?: Uint8Array, out?: Int16Array): Int16Array {
    return this.plc.conceal(out?.subarray(0, this.frameSize));
  }

  reset(): void {
    this.encoder.reset();
    this.decoder.reset();
    this.plc.reset();
  }

  destroy(): void {}
}
