/**
 * Inputs and outputs of the sans-IO {@link ProxyCore}: the stack's network inputs plus the answers
 * to the core's two questions (which targets? which address?), and its events.
 */
import type { SipMessage } from '@tsvoip/sip';
import type {
  ReceiveInput,
  ReceiveMessageInput,
  SendFailedInput,
  SipAddress,
  TimeoutOutput,
  TimerInput,
  TransmitOutput,
} from '@tsvoip/stack';
import type { RouteContext, RouteResult } from './types.js';

/** The answer to a {@link RouteEvent}: what the routing functions decided. */
export interface RouteResultInput {
  /** Discriminant. */
  readonly type: 'route-result';
  /** The routing context, from the event. */
  readonly contextId: number;
  /** Targets, a response, or undefined (no function decided: the default routing applies). */
  readonly result: RouteResult;
}

/** The answer to a {@link ResolveEvent}. */
export interface ResolvedInput {
  /** Discriminant. */
  readonly type: 'resolved';
  /** The look-up, from the event. */
  readonly lookupId: number;
  /** Where to send; undefined when the URI could not be resolved (the branch gets a 503). */
  readonly destination: SipAddress | undefined;
  /** Further addresses to try, in order, if that one fails (RFC 3263 §4.3; stateful mode). */
  readonly alternates?: readonly SipAddress[];
}

/** Everything {@link ProxyCore.handleInput} accepts. */
export type ProxyInput =
  | ReceiveInput
  | ReceiveMessageInput
  | TimerInput
  | SendFailedInput
  | RouteResultInput
  | ResolvedInput;

/** A request needs targets: run the routing functions, answer with a `route-result` input. */
export interface RouteEvent {
  /** Discriminant. */
  readonly type: 'route';
  /** The routing context. */
  readonly contextId: number;
  /** The request after validation and Route pre-processing (RFC 3261 §16.3, §16.4). Read only. */
  readonly request: SipMessage;
  /** What the routing functions learn. */
  readonly context: RouteContext;
}

/** A next-hop URI needs an address (RFC 3263): answer with a `resolved` input. */
export interface ResolveEvent {
  /** Discriminant. */
  readonly type: 'resolve';
  /** The look-up. */
  readonly lookupId: number;
  /** The next-hop URI (first Route value or Request-URI, RFC 3261 §16.6 item 7). */
  readonly uri: string;
}

/** A request was forwarded (for logs and CDRs). */
export interface ForwardedEvent {
  /** Discriminant. */
  readonly type: 'forwarded';
  /** The routing context (undefined for stateless forwarding of an ACK or in stateless mode). */
  readonly contextId: number | undefined;
  /** The request as sent. */
  readonly request: SipMessage;
  /** Where it went. */
  readonly destination: SipAddress;
}

/** A response arrived from downstream on one of our branches. */
export interface BranchResponseEvent {
  /** Discriminant. */
  readonly type: 'response';
  /** The routing context; undefined for a response forwarded statelessly. */
  readonly contextId: number | undefined;
  /** The response (our Via already removed). */
  readonly response: SipMessage;
  /** The target URI of the branch, when known. */
  readonly target: string | undefined;
}

/** The final response sent upstream for a routing context (RFC 3261 §16.7). */
export interface FinalEvent {
  /** Discriminant. */
  readonly type: 'final';
  /** The routing context. */
  readonly contextId: number;
  /** The status sent upstream. */
  readonly status: number;
  /** The response sent. */
  readonly response: SipMessage;
}

/** A request was answered by the proxy itself (validation failure, routing response, OPTIONS). */
export interface AnsweredEvent {
  /** Discriminant. */
  readonly type: 'answered';
  /** The request. */
  readonly request: SipMessage;
  /** The status sent. */
  readonly status: number;
}

/** Events of the proxy core. */
export type ProxyEvent =
  | RouteEvent
  | ResolveEvent
  | ForwardedEvent
  | BranchResponseEvent
  | FinalEvent
  | AnsweredEvent;

/** An event for the layer above. */
export interface ProxyEventOutput {
  /** Discriminant. */
  readonly type: 'event';
  /** The event. */
  readonly event: ProxyEvent;
}

/** Everything {@link ProxyCore.pollOutput} returns. */
export type ProxyOutput = TransmitOutput | TimeoutOutput | ProxyEventOutput;
