// The one interface every audio codec offers to the media path.

/** Codecs `createCodec` knows. Names compare case-insensitively, as SDP encoding names do (RFC 4855 §3). */
export type CodecName = 'PCMU' | 'PCMA' | 'G722' | 'opus';

/** How the codec appears in SDP (RFC 8866 §6.6 rtpmap / §6.15 fmtp). */
export interface SdpFormat {
  /** Encoding name as written in `a=rtpmap` (`PCMU`, `PCMA`, `G722`, `opus`). */
  readonly encodingName: string;
  /** RTP clock rate written in `a=rtpmap`. */
  readonly clockRate: number;
  /** Channel count written in `a=rtpmap`, when the format requires one (`opus/48000/2`). */
  readonly channels: number | undefined;
  /** The `a=rtpmap` value after the payload type, e.g. `opus/48000/2`. */
  readonly rtpmap: string;
  /** The `a=fmtp` value after the payload type, or `undefined` when there are no parameters. */
  readonly fmtp: string | undefined;
  /** Static payload type (RFC 3551 §6: 0, 8, 9), or `undefined` for dynamic ones. */
  readonly payloadType: number | undefined;
}

/**
 * A stateful audio codec instance: one per direction per stream is typical (an encoder and a decoder share
 * one object but no state). PCM is 16-bit signed, interleaved when stereo.
 */
export interface Codec {
  /** Canonical name (`'PCMU'`, `'PCMA'`, `'G722'`, `'opus'`). */
  readonly name: CodecName;
  /** Sample rate of the PCM going in and out, in Hz. */
  readonly sampleRate: number;
  /** RTP timestamp clock rate, in Hz (8000 for G.722 per RFC 3551 §4.5.2, 48000 for Opus per RFC 7587 §4.1). */
  readonly clockRate: number;
  /** PCM channels (1, or 2 for stereo Opus). */
  readonly channels: number;
  /** Frame duration in milliseconds (the packetization time). */
  readonly frameDurationMs: number;
  /** Samples per channel in one frame, at {@link sampleRate}. */
  readonly frameSize: number;
  /** RTP timestamp increment of one frame, at {@link clockRate}. */
  readonly frameTimestampUnits: number;
  /** SDP description (rtpmap, fmtp, static payload type). */
  readonly sdp: SdpFormat;
  /** Whether {@link conceal} is real concealment (all built-in codecs: true). */
  readonly hasPlc: boolean;
  /**
   * Encodes one frame of `frameSize × channels` samples. Returns a new array unless `out` is given (then a
   * view of `out`, which must be large enough).
   */
  encode(pcm: Int16Array, out?: Uint8Array): Uint8Array;
  /** Decodes one payload to PCM (a new array, or a view of `out`). */
  decode(payload: Uint8Array, out?: Int16Array): Int16Array;
  /**
   * Produces one frame standing in for a lost packet. Opus: with `next` (the packet after the lost one, if
   * the jitter buffer already holds it) the frame is recovered from its in-band FEC; otherwise libopus PLC.
   * G.711/G.722: waveform repetition with fade (ITU-T G.711 Appendix I).
   */
  conceal(next?: Uint8Array, out?: Int16Array): Int16Array;
  /** Returns encoder and decoder to their initial state. */
  reset(): void;
  /** Frees WASM memory (Opus); afterwards every call throws. Safe to call twice. */
  destroy(): void;
}

/** Options shared by every codec. */
export interface CodecOptions {
  /** Frame duration in ms (default 20). G.711/G.722: any multiple of 0.125 ms; Opus: 2.5, 5, 10, 20, 40, 60. */
  readonly ptime?: number;
}
