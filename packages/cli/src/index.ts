/**
 * @tsvoip/cli as a library: the pieces behind `tsvoip uas` and `tsvoip uac`, for tests and
 * benchmarks that run them in-process.
 */
export { buildProgram, type ProgramIo, runCli } from './cli.js';
export { CliUsageError } from './errors.js';
export {
  formatListenSpec,
  LISTEN_TRANSPORTS,
  type ListenSpec,
  type ListenTransport,
  parseListenSpec,
} from './listen-spec.js';
export { type OpenTransportsOptions, openTransports, type TlsFiles } from './transports.js';
export { type CallOutcome, runUac, type UacOptions, type UacResult } from './uac/caller.js';
export { ObservedStack, type StackObserver } from './uac/observed-stack.js';
export { type UasAuth, UasResponder, type UasResponderOptions, type UasStats } from './uas/responder.js';
export { SdpAnswerer, type SdpAnswererOptions, uasCapabilities } from './uas/sdp-answerer.js';
export { listeningLine, startUas, type UasEngine, type UasOptions, type UasServer } from './uas/server.js';
