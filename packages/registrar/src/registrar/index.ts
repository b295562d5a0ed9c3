// RFC 3261 §10.3 REGISTER processing on the location and user stores.
export { type CanonicalAor, canonicalAor, requestDomain } from './aor.js';
export { AuthThrottle, type AuthThrottleOptions } from './auth-throttle.js';
export { sipUriMatches, verifyDigest } from './authenticate.js';
export {
  type ContactEntry,
  type ContactPlan,
  type ExpiryPolicy,
  formatQValue,
  normalizeContactUri,
  parseQValue,
  planContacts,
} from './contacts.js';
export { RegisterRejection, RegistrarConfigError } from './errors.js';
export { type AorAuthorizer, type RegistrarOptions, resolveRegistrarOptions } from './options.js';
export {
  REGISTRAR_OPTION_TAGS,
  type RegisterSource,
  Registrar,
  type RegistrarInit,
} from './registrar.js';
export {
  bindingContactValue,
  formatSipDate,
  type RegisterOkExtras,
  registerOk,
  remainingSeconds,
} from './response.js';
export { type RespondOnTransaction, registerSourceOf, serveRegister } from './service.js';
