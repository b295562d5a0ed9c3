/**
 * The inputs and outputs of the stack core (sans-IO, docs: ARCHITECTURE "Sans-IO cores").
 * Inputs come from the driver (bytes, timer, send failures) and from the transaction user
 * (commands); outputs go to the driver (bytes to send, the next deadline) and to the TU (events).
 */
import type { SipMessage } from '@tsvoip/sip';
import type { SipAddress } from './address.js';

/** Bytes received by a transport: one datagram, or one message framed from a stream. */
export interface ReceiveInput {
  /** `datagram` (UDP) or `stream` (TCP, TLS, WS, WSS: one complete framed message). */
  readonly type: 'datagram' | 'stream';
  /** The message bytes. Kept by reference by the parsed message: do not reuse the buffer. */
  readonly bytes: Uint8Array;
  /** Where they came from. */
  readonly source: SipAddress;
  /** The local address they arrived on. */
  readonly local: SipAddress;
  /** The connection they arrived on (streams); responses go back over it (RFC 3261 §18.2.2). */
  readonly connectionId?: string;
}

/**
 * A message a transport already parsed (the Node transports of `@tsvoip/transport` do). Same as
 * {@link ReceiveInput} without the parse; a transport's unparsable input is fed as bytes instead.
 */
export interface ReceiveMessageInput {
  /** Discriminant. */
  readonly type: 'message';
  /** The parsed message. */
  readonly message: SipMessage;
  /** Where it came from. */
  readonly source: SipAddress;
  /** The local address it arrived on. */
  readonly local: SipAddress;
  /** The connection it arrived on (streams). */
  readonly connectionId?: string;
}

/** The driver's timer fired: run every deadline due at `now`. */
export interface TimerInput {
  /** Discriminant. */
  readonly type: 'timer';
}

/** The driver could not send a {@link TransmitOutput} (RFC 3261 §17.1.4, §17.2.4). */
export interface SendFailedInput {
  /** Discriminant. */
  readonly type: 'send-failed';
  /** The transaction of the failed transmit, as given in {@link TransmitOutput.transactionId}. */
  readonly transactionId?: string;
  /** The destination that failed. */
  readonly to: SipAddress;
  /** What went wrong (a `TransportError` from the transport package, or any Error). */
  readonly error: Error;
}

/** TU command: send a request in a new client transaction (RFC 3261 §17.1). */
export interface SendRequestCommand {
  /** Discriminant. */
  readonly type: 'send-request';
  /** The request; the stack pushes its Via (sent-by and a new branch, §8.1.1.7). Not ACK. */
  readonly request: SipMessage;
  /** Where to send it (the TU resolves it, RFC 3263). */
  readonly destination: SipAddress;
  /** A connection to reuse (streams). */
  readonly connectionId?: string;
}

/** TU command: send a response on a server transaction (RFC 3261 §17.2). */
export interface SendResponseCommand {
  /** Discriminant. */
  readonly type: 'send-response';
  /** The server transaction, from the `request` event. */
  readonly transactionId: string;
  /** The response (build it with `createResponse(event.request, ...)`). */
  readonly response: SipMessage;
}

/**
 * TU command: send a message outside any transaction: an ACK for a 2xx (RFC 3261 §13.2.2.4,
 * §17.1.1.3), a 2xx retransmission (§13.3.1.4; RFC 6026 leaves them to the TU), or a stateless
 * response. A request without a Via gets one (new branch); a response without `destination` is
 * routed by its top Via (§18.2.2).
 */
export interface SendStatelessCommand {
  /** Discriminant. */
  readonly type: 'send-stateless';
  /** The message. */
  readonly message: SipMessage;
  /** Where to send it; required for a request. */
  readonly destination?: SipAddress;
  /** A connection to reuse (streams). */
  readonly connectionId?: string;
}

/**
 * TU command: cancel the INVITE of a client transaction (RFC 3261 §9.1). The CANCEL is sent at
 * once when a provisional response was received, otherwise when the first one arrives.
 */
export interface CancelCommand {
  /** Discriminant. */
  readonly type: 'cancel';
  /** The INVITE client transaction. */
  readonly transactionId: string;
  /** Extra headers for the CANCEL (e.g. Reason, RFC 3326). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** A command from the transaction user. */
export type StackCommand = SendRequestCommand | SendResponseCommand | SendStatelessCommand | CancelCommand;

/** Everything {@link SipStack.handleInput} accepts. */
export type StackInput = ReceiveInput | ReceiveMessageInput | TimerInput | SendFailedInput | StackCommand;

/** Bytes for the driver to send. */
export interface TransmitOutput {
  /** Discriminant. */
  readonly type: 'transmit';
  /** The destination (its transport names the socket to use). */
  readonly to: SipAddress;
  /** The message. */
  readonly bytes: Uint8Array;
  /** The connection to use (streams), when the message goes back over one. */
  readonly connectionId?: string;
  /** The transaction sending it; give it back in a `send-failed` input if sending fails. */
  readonly transactionId?: string;
}

/** The earliest deadline changed: the driver (re)arms its one timer for `at` (Infinity: none). */
export interface TimeoutOutput {
  /** Discriminant. */
  readonly type: 'timeout';
  /** Absolute time (ms, the clock of the `now` arguments); Infinity when nothing is scheduled. */
  readonly at: number;
}

/** An event for the transaction user. */
export interface EventOutput {
  /** Discriminant. */
  readonly type: 'event';
  /** The event. */
  readonly event: StackEvent;
}

/** Everything {@link SipStack.pollOutput} returns. */
export type StackOutput = TransmitOutput | TimeoutOutput | EventOutput;

/** A new request in a new server transaction (RFC 3261 §17.2); answer it with `send-response`. */
export interface RequestEvent {
  /** Discriminant. */
  readonly type: 'request';
  /** The server transaction. */
  readonly transactionId: string;
  /** The request (with `received`/`rport` added to its top Via, §18.2.1). */
  readonly request: SipMessage;
  /** Where it came from. */
  readonly source: SipAddress;
  /** The connection it came on (streams). */
  readonly connectionId?: string;
}

/** A response for a client transaction (RFC 3261 §17.1). Retransmissions are not repeated, except 2xx to INVITE (RFC 6026 Accepted). */
export interface ResponseEvent {
  /** Discriminant. */
  readonly type: 'response';
  /** The client transaction. */
  readonly transactionId: string;
  /** The response. */
  readonly response: SipMessage;
  /** The request the transaction sent (with the stack's Via). */
  readonly request: SipMessage;
}

/** An ACK the transaction layer does not absorb: the ACK for a 2xx (RFC 6026 §8.7) or a stray one. */
export interface AckEvent {
  /** Discriminant. */
  readonly type: 'ack';
  /** The ACK. */
  readonly request: SipMessage;
  /** The INVITE server transaction it matched (Accepted state), when it matched one. */
  readonly transactionId?: string;
  /** Where it came from. */
  readonly source: SipAddress;
}

/** A response that matched no client transaction: a 2xx to INVITE from another fork or after Timer M. */
export interface StrayResponseEvent {
  /** Discriminant. */
  readonly type: 'stray-response';
  /** The response. */
  readonly response: SipMessage;
  /** Where it came from. */
  readonly source: SipAddress;
}

/**
 * A CANCEL matched an INVITE server transaction in Proceeding (RFC 3261 §9.2). The stack already
 * answered the CANCEL with 200; the TU should answer the INVITE with 487.
 */
export interface CancelEvent {
  /** Discriminant. */
  readonly type: 'cancel';
  /** The INVITE server transaction being cancelled. */
  readonly transactionId: string;
  /** The CANCEL request. */
  readonly request: SipMessage;
}

/** A transaction timed out (Timer B, F or H). */
export interface TimeoutEvent {
  /** Discriminant. */
  readonly type: 'timeout';
  /** The transaction. */
  readonly transactionId: string;
  /** The timer that fired. */
  readonly timer: 'B' | 'F' | 'H';
}

/** Sending failed (RFC 3261 §17.1.4, §17.2.4); the transaction, if any, is terminated. */
export interface TransportErrorEvent {
  /** Discriminant. */
  readonly type: 'transport-error';
  /** The transaction, when the failed message belonged to one. */
  readonly transactionId?: string;
  /** The failed destination. */
  readonly to: SipAddress;
  /** The error. */
  readonly error: Error;
}

/** A transaction reached the Terminated state and was removed. */
export interface TerminatedEvent {
  /** Discriminant. */
  readonly type: 'terminated';
  /** The transaction. */
  readonly transactionId: string;
}

/** Events for the transaction user. */
export type StackEvent =
  | RequestEvent
  | ResponseEvent
  | AckEvent
  | StrayResponseEvent
  | CancelEvent
  | TimeoutEvent
  | TransportErrorEvent
  | TerminatedEvent;
