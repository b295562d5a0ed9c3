/**
 * @tsvoip/session: calls with audio (a SIP INVITE dialog usage plus an RTP media session).
 * @module
 */
export * from './media/index.js';
export * from './ua/index.js';
