/**
 * The user-agent API: calls with audio (INVITE dialog usage + media session), registration,
 * hold, DTMF, transfer.
 * @module
 */
export { Call, type CallEvents, type CallHost, type CallState, type CallStats } from './call.js';
export {
  buildAnswer,
  buildOffer,
  type CallSdpContext,
  configFromAnswer,
  localCapabilities,
  randomCname,
  sdesCrypto,
  ssrcLine,
} from './call-sdp.js';
export {
  parseUserAgentConfig,
  sipTransports,
  type UserAgentCodec,
  type UserAgentConfig,
  type UserAgentConfigInput,
  type UserAgentTransport,
} from './config.js';
export {
  DTMF_RELAY_TYPE,
  type DtmfRelay,
  formatDtmfRelay,
  isDtmfDigit,
  parseDtmfRelay,
} from './dtmf-relay.js';
export {
  CallFailedError,
  CallStateError,
  ModifyFailedError,
  RegistrationError,
  TransferFailedError,
  UserAgentConfigError,
  UserAgentError,
} from './errors.js';
export { IncomingCall, type IncomingCallEvents, type IncomingCallHost } from './incoming-call.js';
export { Registration, type RegistrationEvents, type RegistrationOptions } from './registration.js';
export {
  type CallOptions,
  createUserAgent,
  UserAgent,
  type UserAgentDependencies,
  type UserAgentEvents,
} from './user-agent.js';
