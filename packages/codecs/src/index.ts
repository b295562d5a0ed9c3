/**
 * @packageDocumentation
 * `@tsvoip/codecs`: G.711 (PCMU/PCMA), G.722 and Opus behind one {@link Codec} interface, plus the
 * telephone-event (RFC 4733) and comfort-noise (RFC 3389) payload formats and the low-level G.711 functions.
 */
export { ALAW_TO_LINEAR, alawToLinear, decodeAlaw, encodeAlaw, linearToAlaw } from './alaw.js';
export { type CodecOptionsByName, canonicalCodecName, createCodec } from './codec.js';
export type { Codec, CodecName, CodecOptions, SdpFormat } from './codec-types.js';
export {
  type ComfortNoise,
  ComfortNoiseGenerator,
  decodeComfortNoise,
  dequantizeReflection,
  encodeComfortNoise,
  noiseLevelOf,
  quantizeReflection,
  xorshift32,
} from './comfort-noise.js';
export { CodecError, type CodecErrorCode } from './errors.js';
export { G711Codec } from './g711-codec.js';
export { G722Codec } from './g722-codec.js';
export { G722Decoder } from './g722-decoder.js';
export { G722Encoder } from './g722-encoder.js';
export { decodeMulaw, encodeMulaw, linearToMulaw, MULAW_TO_LINEAR, mulawToLinear } from './mulaw.js';
export { type OpusApplication, OpusCodec, type OpusOptions, opusOptionsFromFmtp } from './opus-codec.js';
export { formatOpusFmtp, type OpusFmtp, parseOpusFmtp } from './opus-fmtp.js';
export { OpusRuntime, type OpusWasmExports, type WasmMemory } from './opus-runtime.js';
export { WaveformRepeatPlc } from './plc.js';
export {
  decodeTelephoneEvent,
  dtmfEventCode,
  dtmfKey,
  encodeTelephoneEvent,
  TELEPHONE_EVENT_SIZE,
  type TelephoneEvent,
} from './telephone-event.js';
