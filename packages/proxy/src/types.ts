/**
 * The data the proxy and its routing functions exchange: targets, flows, routing responses, and
 * what a routing function learns about a request.
 */
import type { SipMessage } from '@tsvoip/sip';
import type { SipAddress } from '@tsvoip/stack';

/**
 * A flow: the transport, remote address and connection a UA registered over (RFC 5626 §3.3,
 * "outbound" style). A request sent to a flow goes to that address over that connection,
 * whatever the target URI says (its Contact may be a private address behind a NAT).
 */
export interface Flow {
  /** The transport of the flow. */
  readonly transport: SipAddress['transport'];
  /** The remote address (the NAT's public side, as seen by us). */
  readonly host: string;
  /** The remote port. */
  readonly port: number;
  /** The connection (streams): the driver's connection id. */
  readonly connectionId?: string;
}

/** A target of the target set (RFC 3261 §16.5): where to send a copy of the request. */
export interface Target {
  /** The Request-URI of the copy (RFC 3261 §16.6 item 2). */
  readonly uri: string;
  /** Preference (RFC 3261 §16.6 / §16.8): higher first; equal q values are tried in parallel. Default 1. */
  readonly q?: number;
  /** Send over this flow instead of resolving the URI (RFC 5626 §5.3). */
  readonly flow?: Flow;
  /** Extra headers added to this copy (RFC 3261 §16.6 item 5). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** A response a routing function answers instead of forwarding (e.g. 404, 403, 302). */
export interface RouteResponse {
  /** Status code, 300-699. */
  readonly status: number;
  /** Reason phrase; the default one when omitted. */
  readonly reason?: string;
  /** Extra headers (Contact for a 3xx, WWW-Authenticate for a 401...). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** What a routing function returns: targets, a response, or nothing (the next function decides). */
export type RouteResult = readonly Target[] | RouteResponse | undefined;

/** Where a request came from, as the proxy saw it. */
export interface Arrival {
  /** The remote address. */
  readonly source: SipAddress;
  /** Our address it arrived on (the inbound interface). */
  readonly local: SipAddress;
  /** The connection it arrived on (streams). */
  readonly connectionId?: string;
}

/** What a routing function learns besides the request. */
export interface RouteContext {
  /** The routing context id (also in the proxy's events). */
  readonly id: number;
  /** Where the request came from. */
  readonly arrival: Arrival;
  /** The flow it came over (for a registrar storing it with the binding, RFC 5626). */
  readonly flow: Flow;
  /** True when the Request-URI names this proxy (one of its hosts or domains). */
  readonly requestUriIsOurs: boolean;
  /** Virtual or real time of arrival (ms). */
  readonly now: number;
}

/** A routing function: `proxy.route(async (req, ctx) => targets | response | undefined)`. */
export type RouteFunction = (
  request: SipMessage,
  context: RouteContext,
) => RouteResult | Promise<RouteResult>;

/**
 * Resolves the next-hop URI (RFC 3263): one address, or several in the order to try them
 * (RFC 3263 §4.3 fail-over); undefined (or an empty list) when it cannot be reached.
 */
export type NextHopResolver = (uri: string) => NextHop | Promise<NextHop>;

/** What a {@link NextHopResolver} gives. */
export type NextHop = SipAddress | readonly SipAddress[] | undefined;

/** How the proxy treats 3xx responses to its branches (RFC 3261 §16.7 item 4). */
export type RedirectPolicy = 'recurse' | 'return';
