/**
 * @tsvoip/stack: the sans-IO SIP stack core (RFC 3261 §17 transactions with RFC 6026, §8.2
 * request intake, §18 transport rules), its simulated-network and Node drivers, and digest
 * authentication.
 */

export * from './auth/index.js';
export {
  bracketHost,
  defaultPort,
  isReliable,
  type SipAddress,
  stripBrackets,
  type TransportName,
  transportOf,
} from './core/address.js';
export { type Deadline, DeadlineQueue } from './core/deadline-queue.js';
export {
  InvalidCommandError,
  StackError,
  TransactionTimeoutError,
  UnknownTransactionError,
} from './core/errors.js';
export {
  checkRequest,
  checkRequire,
  type IntakePolicy,
  KNOWN_METHODS,
  type Rejection,
} from './core/intake.js';
export type {
  AckEvent,
  CancelCommand,
  CancelEvent,
  EventOutput,
  ReceiveInput,
  ReceiveMessageInput,
  RequestEvent,
  ResponseEvent,
  SendFailedInput,
  SendRequestCommand,
  SendResponseCommand,
  SendStatelessCommand,
  StackCommand,
  StackEvent,
  StackInput,
  StackOutput,
  StrayResponseEvent,
  TerminatedEvent,
  TimeoutEvent,
  TimeoutOutput,
  TimerInput,
  TransmitOutput,
  TransportErrorEvent,
} from './core/io.js';
export { type LogFields, type StackLogger, silentLogger } from './core/logger.js';
export { clientKey, hasMagicCookie, MAGIC_COOKIE, mergeKey, rfc2543Key, serverKey } from './core/matching.js';
export type { SipStackOptions, StackRole } from './core/options.js';
export { ownBytes } from './core/own-bytes.js';
export { type RecoveredRequest, recoverRequest } from './core/recover.js';
export { responseRoute, routeByVia, stampTopVia } from './core/response-route.js';
export { SipStack } from './core/stack.js';
export { DEFAULT_TIMERS, type TimerConfig, type TimerName } from './core/timer-config.js';
// ---- dialog layer and usages (RFC 3261 §12-§15 and extensions) ----
export {
  contactUri,
  Dialog,
  type DialogInit,
  type DialogRequestOptions,
  type DialogState,
} from './dialog/dialog.js';
export { dialogKey, dialogKeyOfRequest, dialogKeyOfResponse, dialogSetKey } from './dialog/dialog-id.js';
export { DialogError, OfferAnswerError, UsageStateError } from './dialog/errors.js';
export { defaultResolver, type TargetResolver } from './dialog/resolve.js';
export {
  type CoreEvent,
  type DriverInput,
  type DriverOutput,
  listeningAddresses,
  type NodeDriverOptions,
  NodeStackDriver,
  type SansIoCore,
} from './drivers/node-driver.js';
export { SimDriver, type SimEventHandler, SimStackNode } from './drivers/sim-driver.js';
export { buildAckForFailure, buildCancel } from './transaction/ack-cancel.js';
export { type InviteClientState, InviteClientTransaction } from './transaction/invite-client.js';
export { type InviteServerState, InviteServerTransaction } from './transaction/invite-server.js';
export { type NonInviteClientState, NonInviteClientTransaction } from './transaction/non-invite-client.js';
export { type NonInviteServerState, NonInviteServerTransaction } from './transaction/non-invite-server.js';
export type { TransactionKind } from './transaction/transaction.js';
export {
  type AuthenticateHook,
  authenticatedRetry,
  digestAuthenticator,
  isAuthChallenge,
} from './ua/auth-retry.js';
export { TypedEmitter } from './ua/emitter.js';
export type { DialogUsage, DialogUsages } from './ua/host.js';
export { UA_METHODS, UA_OPTION_TAGS, type UserAgentOptions } from './ua/options.js';
export {
  createUserAgentCore,
  type OutOfDialogOptions,
  type SubscribeOptions,
  UserAgentCore,
  type UserAgentEvents,
} from './ua/user-agent-core.js';
export { ClientRequest, type ClientRequestEvents } from './usage/client-request.js';
export { glareBackoff } from './usage/glare.js';
export {
  IncomingInvite,
  type IncomingInviteEvents,
  type InviteResponseOptions,
  type ProvisionalOptions,
} from './usage/incoming-invite.js';
export {
  InviteSession,
  type InviteSessionEvents,
  type ModifyOptions,
  type TerminationReason,
} from './usage/invite-session.js';
export { OfferAnswer, type OfferAnswerState } from './usage/offer-answer.js';
export { type InviteOptions, OutgoingInvite, type OutgoingInviteEvents } from './usage/outgoing-invite.js';
export { PublishClient, type PublishClientEvents, type PublishOptions } from './usage/publish.js';
export {
  formatReferTo,
  formatSipFrag,
  IncomingRefer,
  OutgoingRefer,
  type OutgoingReferEvents,
  parseSipFrag,
  type ReferOptions,
  type SipFragStatus,
} from './usage/refer.js';
export {
  decideReplaces,
  formatReplaces,
  parseReplaces,
  type Replaces,
  type ReplacesDecision,
} from './usage/replaces.js';
export { parseRAck, type RAck } from './usage/retransmit.js';
export { bodyText, type ResponseParts, ServerRequest } from './usage/server-request.js';
export {
  decideUasSessionTimer,
  formatSessionExpires,
  parseSessionExpires,
  type Refresher,
  type SessionExpires,
  type SessionTimerPolicy,
  type UasSessionTimerDecision,
} from './usage/session-timer.js';
export {
  ClientSubscription,
  type ClientSubscriptionEvents,
  NotifierSubscription,
  type NotifierSubscriptionEvents,
  type NotifyOptions,
} from './usage/subscription.js';
export {
  type EventHeader,
  formatEvent,
  formatSubscriptionState,
  parseEvent,
  parseSubscriptionState,
  type SubscriptionState,
  type SubscriptionStateName,
} from './usage/subscription-state.js';
