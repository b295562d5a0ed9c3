/**
 * `@tsvoip/rtp`: RTP/RTCP packets, session statistics, RFC 4733 telephone events, an adaptive
 * jitter buffer, and SRTP.
 * @module
 */
export * from './dtmf/telephone-event.js';
export * from './dtmf/telephone-event-receiver.js';
export * from './dtmf/telephone-event-sender.js';
export * from './errors.js';
export * from './jitter/delay-estimator.js';
export * from './jitter/jitter-buffer.js';
export * from './packet/header-extensions.js';
export * from './packet/rtp-packet.js';
export * from './rtcp/compound.js';
export { XrBlockCode } from './rtcp/extended-report.js';
export { nackItemsFromSequenceNumbers, sequenceNumbersFromNackItems } from './rtcp/feedback.js';
export { REPORT_BLOCK_SIZE } from './rtcp/reports.js';
export * from './rtcp/types.js';
export * from './session/latching.js';
export * from './session/ntp.js';
export * from './session/receive-statistics.js';
export * from './session/rtcp-interval.js';
export * from './session/send-statistics.js';
export * from './srtp/index.js';
