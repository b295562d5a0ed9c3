export {
  createSrtpContext,
  createSrtpContextFromSessionKeys,
  type SrtpContext,
  type SrtpContextOptions,
} from './context.js';
export {
  SrtpAuthError,
  SrtpConfigError,
  SrtpError,
  SrtpPacketError,
  SrtpReplayError,
} from './errors.js';
export {
  deriveSessionKey,
  deriveSrtpSessionKeys,
  KdfLabel,
  type SrtpSessionKeySet,
  type SrtpSessionKeys,
} from './kdf.js';
export {
  resolveSrtpProfile,
  type SrtpProfileAlias,
  type SrtpProfileName,
  type SrtpProfileParams,
} from './profiles.js';
export { DEFAULT_REPLAY_WINDOW, MAX_REPLAY_WINDOW } from './replay-window.js';
