// Opus (RFC 6716) through libopus compiled to WebAssembly, with the RTP conventions of RFC 7587.
import type { Codec, CodecOptions, SdpFormat } from './codec-types.js';
import { CodecError } from './errors.js';
import { formatOpusFmtp, type OpusFmtp } from './opus-fmtp.js';
import { OpusRuntime } from './opus-runtime.js';

/** libopus application modes (`OPUS_APPLICATION_*`). */
export type OpusApplication = 'voip' | 'audio' | 'lowdelay';

/** Opus encoder/decoder settings. Every field has a default suited to a VoIP call. */
export interface OpusOptions extends CodecOptions {
  /** PCM sample rate: 8000, 12000, 16000, 24000 or 48000 (default 48000). RTP clock stays 48000. */
  readonly sampleRate?: 8000 | 12000 | 16000 | 24000 | 48000;
  /** 1 (default) or 2. */
  readonly channels?: 1 | 2;
  /** Target bitrate in bit/s, 6000..510000 (default: libopus's choice for the mode). */
  readonly bitrate?: number;
  /** Encoder complexity 0..10 (default 9 for a good quality/CPU balance on servers: libopus's is 10). */
  readonly complexity?: number;
  /** In-band FEC (LBRR) in the encoded stream (default true). */
  readonly fec?: boolean;
  /** Expected packet loss in percent, 0..100: libopus only spends bits on FEC when it is > 0 (default 10). */
  readonly packetLossPercent?: number;
  /** Discontinuous transmission: 1–2 byte packets during silence (default false). */
  readonly dtx?: boolean;
  /** Constant bitrate instead of VBR (default false). */
  readonly cbr?: boolean;
  /** Highest audio bandwidth worth coding, as a sample rate (RFC 7587 `maxplaybackrate`, default 48000). */
  readonly maxPlaybackRate?: number;
  /** libopus application (default `'voip'`). */
  readonly application?: OpusApplication;
  /** Shortest ptime the peer accepts, advertised as `minptime` (default: not advertised). */
  readonly minPtime?: number;
  /** The libopus instance to allocate in; defaults to one instance shared by the process. */
  readonly runtime?: OpusRuntime;
}

const APPLICATION = { voip: 2048, audio: 2049, lowdelay: 2051 } as const;
const CTL = {
  setBitrate: 4002,
  setMaxBandwidth: 4004,
  setVbr: 4006,
  setComplexity: 4010,
  setInbandFec: 4012,
  setPacketLossPerc: 4014,
  setDtx: 4016,
  resetState: 4028,
} as const;
const MAX_PACKET = 4000; // > 3 × 1275 bytes (RFC 6716 §3.4 R2 bounds a 120 ms packet)
const MAX_FRAME_PER_CHANNEL = 5760; // 120 ms at 48 kHz
const VALID_PTIME = [2.5, 5, 10, 20, 40, 60];
const VALID_RATES = [8000, 12000, 16000, 24000, 48000];

/** A lazily created libopus instance shared by codecs created without an explicit runtime. */
let sharedRuntime: OpusRuntime | undefined;
function defaultRuntime(): OpusRuntime {
  sharedRuntime ??= OpusRuntime.load();
  return sharedRuntime;
}

/** Turns the peer's fmtp (its receive preferences, RFC 7587 §6.1) into options for our encoder. */
export function opusOptionsFromFmtp(remote: OpusFmtp): OpusOptions {
  return {
    ...(remote.maxAverageBitrate !== undefined && { bitrate: remote.maxAverageBitrate }),
    ...(remote.maxPlaybackRate !== undefined && { maxPlaybackRate: remote.maxPlaybackRate }),
    ...(remote.stereo !== undefined && { channels: remote.stereo ? 2 : 1 }),
    ...(remote.cbr !== undefined && { cbr: remote.cbr }),
    ...(remote.useInbandFec !== undefined && { fec: remote.useInbandFec }),
    ...(remote.useDtx !== undefined && { dtx: remote.useDtx }),
  };
}

function bandwidthFor(rate: number): number {
  // OPUS_BANDWIDTH_NARROWBAND … FULLBAND for audio bandwidths of 4, 6, 8, 12 and 20 kHz.
  if (rate <= 8000) return 1101;
  if (rate <= 12000) return 1102;
  if (rate <= 16000) return 1103;
  if (rate <= 24000) return 1104;
  return 1105;
}

/** An Opus encoder + decoder pair in a libopus WASM instance. */
export class OpusCodec implements Codec {
  readonly name = 'opus' as const;
  readonly sampleRate: number;
  readonly clockRate = 48000;
  readonly channels: 1 | 2;
  readonly frameDurationMs: number;
  readonly frameSize: number;
  readonly frameTimestampUnits: number;
  readonly sdp: SdpFormat;
  readonly hasPlc = true;
  private readonly runtime: OpusRuntime;
  private encoder = 0;
  private decoder = 0;
  private pcmPtr = 0;
  private packetPtr = 0;

  constructor(options: OpusOptions = {}) {
    const sampleRate = options.sampleRate ?? 48000;
    const channels = options.channels ?? 1;
    const ptime = options.ptime ?? 20;
    if (!VALID_RATES.includes(sampleRate)) throw invalid(`sampleRate ${sampleRate} is not an Opus rate`);
    if (channels !== 1 && channels !== 2) throw invalid(`channels must be 1 or 2, got ${channels}`);
    if (!VALID_PTIME.includes(ptime)) throw invalid(`ptime ${ptime} ms is not an Opus frame duration`);
    const application = options.application ?? 'voip';
    if (!(application in APPLICATION)) throw invalid(`unknown application ${application}`);
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.frameDurationMs = ptime;
    this.frameSize = (sampleRate * ptime) / 1000;
    this.frameTimestampUnits = (48000 * ptime) / 1000;

    const fec = options.fec ?? true;
    const dtx = options.dtx ?? false;
    const cbr = options.cbr ?? false;
    const fmtp: OpusFmtp = {
      ...(options.minPtime !== undefined && { minPtime: options.minPtime }),
      useInbandFec: fec,
      ...(dtx && { useDtx: true }),
      ...(channels === 2 && { stereo: true, spropStereo: true }),
      ...(options.maxPlaybackRate !== undefined && { maxPlaybackRate: options.maxPlaybackRate }),
      ...(sampleRate < 48000 && { spropMaxCaptureRate: sampleRate }),
      ...(options.bitrate !== undefined && { maxAverageBitrate: options.bitrate }),
      ...(cbr && { cbr: true }),
    };
    const fmtpText = formatOpusFmtp(fmtp);
    // RFC 7587 §7: the rtpmap is always opus/48000/2, whatever is actually sent.
    this.sdp = {
      encodingName: 'opus',
      clockRate: 48000,
      channels: 2,
      rtpmap: 'opus/48000/2',
      fmtp: fmtpText === '' ? undefined : fmtpText,
      payloadType: undefined,
    };

    this.runtime = options.runtime ?? defaultRuntime();
    const w = this.runtime.wasm;
    try {
      this.encoder = this.runtime.malloc(w.opus_encoder_get_size(channels));
      this.check(w.opus_encoder_init(this.encoder, sampleRate, channels, APPLICATION[application]), 'init');
      this.decoder = this.runtime.malloc(w.opus_decoder_get_size(channels));
      this.check(w.opus_decoder_init(this.decoder, sampleRate, channels), 'init');
      this.pcmPtr = this.runtime.malloc(MAX_FRAME_PER_CHANNEL * channels * 2);
      this.packetPtr = this.runtime.malloc(MAX_PACKET);
      if (options.bitrate !== undefined) {
        if (!(options.bitrate >= 500 && options.bitrate <= 512000)) {
          throw invalid(`bitrate ${options.bitrate} is outside 500..512000`);
        }
        this.setEncoderCtl(CTL.setBitrate, Math.round(options.bitrate));
      }
      const complexity = options.complexity ?? 9;
      if (!(Number.isInteger(complexity) && complexity >= 0 && complexity <= 10)) {
        throw invalid(`complexity must be an integer 0..10, got ${complexity}`);
      }
      this.setEncoderCtl(CTL.setComplexity, complexity);
      this.setEncoderCtl(CTL.setInbandFec, fec ? 1 : 0);
      const loss = options.packetLossPercent ?? (fec ? 10 : 0);
      if (!(loss >= 0 && loss <= 100)) throw invalid(`packetLossPercent must be 0..100, got ${loss}`);
      this.setEncoderCtl(CTL.setPacketLossPerc, Math.round(loss));
      this.setEncoderCtl(CTL.setDtx, dtx ? 1 : 0);
      this.setEncoderCtl(CTL.setVbr, cbr ? 0 : 1);
      if (options.maxPlaybackRate !== undefined) {
        this.setEncoderCtl(CTL.setMaxBandwidth, bandwidthFor(options.maxPlaybackRate));
      }
    } catch (err) {
      this.destroy();
      throw err;
    }
  }

  encode(pcm: Int16Array, out?: Uint8Array): Uint8Array {
    this.alive();
    const expected = this.frameSize * this.channels;
    if (pcm.length !== expected) {
      throw new CodecError(
        'invalid-frame',
        `opus frame must be ${expected} samples, got ${pcm.length}`,
        'opus',
      );
    }
    this.runtime.heap16.set(pcm, this.pcmPtr >> 1);
    const len = this.runtime.wasm.opus_encode(
      this.encoder,
      this.pcmPtr,
      this.frameSize,
      this.packetPtr,
      MAX_PACKET,
    );
    this.check(len, 'encode');
    const bytes = this.runtime.heapU8.subarray(this.packetPtr, this.packetPtr + len);
    if (out === undefined) return bytes.slice();
    if (out.length < len)
      throw new CodecError('invalid-frame', `output buffer shorter than ${len} bytes`, 'opus');
    out.set(bytes);
    return out.subarray(0, len);
  }

  decode(payload: Uint8Array, out?: Int16Array): Int16Array {
    this.alive();
    if (payload.length === 0 || payload.length > MAX_PACKET) {
      throw new CodecError('invalid-payload', `opus payload of ${payload.length} bytes`, 'opus');
    }
    return this.runDecoder(payload, MAX_FRAME_PER_CHANNEL, 0, out);
  }

  conceal(next?: Uint8Array, out?: Int16Array): Int16Array {
    this.alive();
    if (next !== undefined && next.length > 0 && next.length <= MAX_PACKET) {
      // RFC 6716 §2.1.7 / libopus: decode_fec=1 rebuilds the lost frame from the LBRR data in `next`
      // (falling back to PLC when `next` carries none). frame_size must be the lost frame's duration.
      return this.runDecoder(next, this.frameSize, 1, out);
    }
    return this.runDecoder(undefined, this.frameSize, 0, out);
  }

  reset(): void {
    this.alive();
    this.setEncoderCtl(CTL.resetState, 0);
    this.check(this.runtime.wasm.opus_decoder_ctl_set(this.decoder, CTL.resetState, 0), 'reset');
  }

  destroy(): void {
    const w = this.runtime?.wasm;
    if (w === undefined) return;
    for (const ptr of [this.encoder, this.decoder, this.pcmPtr, this.packetPtr]) if (ptr !== 0) w.free(ptr);
    this.encoder = 0;
    this.decoder = 0;
    this.pcmPtr = 0;
    this.packetPtr = 0;
  }

  private runDecoder(
    packet: Uint8Array | undefined,
    maxFrame: number,
    fec: number,
    out?: Int16Array,
  ): Int16Array {
    const w = this.runtime.wasm;
    let dataPtr = 0;
    let len = 0;
    if (packet !== undefined) {
      this.runtime.heapU8.set(packet, this.packetPtr);
      dataPtr = this.packetPtr;
      len = packet.length;
    }
    const samples = w.opus_decode(this.decoder, dataPtr, len, this.pcmPtr, maxFrame, fec);
    this.check(samples, 'decode');
    const n = samples * this.channels;
    const heap = this.runtime.heap16;
    const start = this.pcmPtr >> 1;
    if (out === undefined) return heap.slice(start, start + n);
    if (out.length < n)
      throw new CodecError('invalid-frame', `output buffer shorter than ${n} samples`, 'opus');
    out.set(heap.subarray(start, start + n));
    return out.subarray(0, n);
  }

  private setEncoderCtl(request: number, value: number): void {
    this.check(this.runtime.wasm.opus_encoder_ctl_set(this.encoder, request, value), 'ctl');
  }

  private check(code: number, what: string): void {
    if (code < 0) {
      const kind = what === 'decode' ? 'invalid-payload' : 'wasm';
      throw new CodecError(kind, `opus ${what}: ${this.runtime.errorText(code)} (${code})`, 'opus');
    }
  }

  private alive(): void {
    if (this.encoder === 0) throw new CodecError('destroyed', 'opus codec used after destroy()', 'opus');
  }
}

function invalid(message: string): CodecError {
  return new CodecError('invalid-option', message, 'opus');
}
