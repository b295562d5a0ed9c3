/**
 * @tsvoip/sdp — SDP (RFC 8866) parsing and serialization with byte-exact round trips, typed
 * attribute accessors, and RFC 3264 offer/answer as plain functions.
 */
export * from './accessors.js';
export * from './attributes/attribute.js';
export * from './attributes/bundle.js';
export * from './attributes/candidate.js';
export * from './attributes/crypto.js';
export * from './attributes/direction.js';
export * from './attributes/extmap.js';
export * from './attributes/fingerprint.js';
export * from './attributes/fmtp.js';
export * from './attributes/ice.js';
export * from './attributes/msid.js';
export * from './attributes/packet-time.js';
export * from './attributes/rtcp.js';
export * from './attributes/rtcp-fb.js';
export * from './attributes/rtpmap.js';
export * from './attributes/setup.js';
export * from './attributes/ssrc.js';
export * from './errors.js';
export * from './limits.js';
export * from './lines/bandwidth.js';
export * from './lines/connection.js';
export * from './lines/encryption-key.js';
export * from './lines/media-line.js';
export * from './lines/origin.js';
export * from './lines/timing.js';
export * from './model.js';
export * from './offer-answer/answer.js';
export * from './offer-answer/capabilities.js';
export * from './offer-answer/codecs.js';
export * from './offer-answer/direction.js';
export * from './offer-answer/negotiate.js';
export * from './offer-answer/offer.js';
export * from './offer-answer/session-version.js';
export * from './parse.js';
export * from './serialize.js';
