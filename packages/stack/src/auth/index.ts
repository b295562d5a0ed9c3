// Digest authentication (RFC 3261 §22, RFC 7616, RFC 8760) on plain header values.
export {
  algorithmStrength,
  DIGEST_ALGORITHMS,
  type DigestAlgorithm,
  type DigestHashFamily,
  type DigestQop,
  hashFamily,
  isSessionAlgorithm,
  parseDigestAlgorithm,
} from './algorithm.js';
export {
  type AuthHeaderValue,
  type AuthParam,
  authParamRecord,
  formatAuthHeaderValue,
  isToken,
  parseAuthHeaderValue,
  quoteString,
} from './auth-params.js';
export {
  type DigestChallenge,
  type DigestChallengeFields,
  formatDigestChallenge,
  isDigestScheme,
  parseDigestChallenge,
} from './challenge.js';
export {
  chooseQop,
  createDigestAuthorization,
  type DigestAuthorizationInput,
  type DigestSecret,
  type ParsedChallenges,
  parseDigestChallenges,
  secretHa1,
  selectDigestChallenge,
} from './client.js';
export {
  type AuthorizationHeader,
  type DigestChallengedRequest,
  type DigestChallengeResponse,
  type DigestClientOptions,
  type DigestClientRequest,
  type DigestClientResult,
  DigestClientSession,
} from './client-session.js';
export {
  type DigestCredentials,
  type DigestCredentialsFields,
  formatDigestCredentials,
  parseDigestCredentials,
} from './credentials.js';
export {
  computeDigestResponse,
  computeHa1,
  computeUserhash,
  type DigestResponseInput,
  formatNonceCount,
  hashHex,
  parseNonceCount,
} from './digest.js';
export {
  AuthHeaderParseError,
  AuthParamFormatError,
  DigestAuthError,
  DigestClientError,
  type DigestClientFailure,
  DigestConfigError,
} from './errors.js';
export {
  createHa1Lookup,
  type Ha1Lookup,
  type Ha1Query,
  type Ha1Record,
  type Ha1User,
} from './ha1-lookup.js';
export { checkNonce, createNonce, type NonceStatus } from './nonce.js';
export {
  type NonceCountCheck,
  NonceCountTracker,
  type NonceCountTrackerOptions,
} from './nonce-count-tracker.js';
export {
  type DigestFailureReason,
  type DigestRequestInfo,
  DigestServer,
  type DigestServerOptions,
  type DigestVerifyFailure,
  type DigestVerifyResult,
  type DigestVerifySuccess,
} from './server.js';
