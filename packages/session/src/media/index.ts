/**
 * The media session of a call: the sans-IO core ({@link MediaSession}), its configuration from
 * SDP offer/answer, the E-model, and the Node driver with audio I/O.
 * @module
 */
export {
  type AudioFrame,
  bufferSource,
  type FrameSource,
  FrameStream,
  QueuedSource,
  toneSource,
  WavRecorder,
  wavFileSource,
} from './audio-io.js';
export {
  CODEC_IMPAIRMENTS,
  type CodecImpairment,
  DEFAULT_R0,
  delayImpairment,
  type EModelInput,
  effectiveEquipmentImpairment,
  mosFromR,
  rFactor,
} from './e-model.js';
export { MediaConfigError, MediaError, MediaStateError, PortRangeExhaustedError } from './errors.js';
export {
  type MediaCodecConfig,
  type MediaSessionConfig,
  type MediaSessionOptions,
  mediaConfigFromNegotiation,
  type SrtpKeyConfig,
  srtpKeyFromCrypto,
  type TelephoneEventConfig,
} from './media-config.js';
export { MediaSession } from './media-session.js';
export type {
  AudioOutput,
  EventOutput,
  JitterBufferFigures,
  MediaChannel,
  MediaEvent,
  MediaOutput,
  MediaStatistics,
  TransmitOutput,
} from './media-types.js';
export { NodeMediaDriver, type NodeMediaDriverOptions } from './node-media-driver.js';
export { NodeMediaStream, type NodeMediaStreamOptions, type StreamHost } from './node-media-stream.js';
export { PortAllocator, type PortPair } from './port-allocator.js';
export type { RemoteReport } from './rtcp-reporter.js';
export { SharedPortDemux, senderSsrc } from './shared-port-demux.js';
