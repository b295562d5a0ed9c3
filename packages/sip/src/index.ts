/**
 * @tsvoip/sip: the SIP message core. Parser (lazy header index), message model with typed views
 * and a mutation API, byte-preserving serializer, URI and name-addr codecs, builders, and a
 * stream framer (RFC 3261, RFC 4475, RFC 5118, RFC 5626 §4.4.1).
 */

export type { RandomToken, RequestOptions, ResponseOptions } from './builders.js';
export { createRequest, createResponse, defaultRandomToken, newBranch } from './builders.js';
export { cloneMessage } from './clone.js';
export type { SipParseErrorKind } from './errors.js';
export { SipParseError } from './errors.js';
export { type FramerEvent, SipStreamFramer } from './framer.js';
export { CANONICAL_NAMES, H as HeaderId, headerIdOf, LIST_HEADER } from './header-names.js';
export type { AuthValue, Challenge, Credentials, CSeq, MediaType } from './headers.js';
export { parseAuthValue, parseCSeq, parseDeltaSeconds, parseMediaType } from './headers.js';
export { knownMethod, SIP_METHODS } from './known-methods.js';
export { type AddHeaderOptions, SipMessage } from './message.js';
export { SipMessageCore } from './message-core.js';
export { formatNameAddr, formatParams, type NameAddr, parseNameAddr } from './name-addr.js';
export { DEFAULT_PARSE_OPTIONS, type ParseOptions } from './options.js';
export { ParamList } from './params.js';
export { parseMessage } from './parse.js';
export { reasonPhrase } from './reason-phrases.js';
export { type Params, quote, splitList, unquote } from './scan.js';
export { serializeMessage } from './serialize.js';
export {
  type AbsoluteUri,
  formatUri,
  parseUri,
  percentDecode,
  type SipUri,
  type TelUri,
  type Uri,
  uriEquals,
} from './uri.js';
export { formatVia, parseVia, type Via } from './via.js';
