/**
 * Small routing rules shared by the stateful and stateless paths: which requests are
 * record-routed, which flow a request arrived over and which one it must leave by (RFC 5626).
 */
import type { SipMessage } from '@tsvoip/sip';
import { stripBrackets } from '@tsvoip/stack';
import { sameFlow } from './flow-token.js';
import type { Arrival, Flow, RouteResponse, RouteResult } from './types.js';

/** Methods that create a dialog: Record-Route is added to them (RFC 3261 §16.6 item 4, RFC 6665). */
export const DIALOG_METHODS: ReadonlySet<string> = new Set(['INVITE', 'SUBSCRIBE', 'REFER', 'NOTIFY']);

/** True when a routing result is a response rather than targets. */
export function isRouteResponse(r: RouteResult): r is RouteResponse {
  return r !== undefined && !Array.isArray(r);
}

/**
 * RFC 5626 §5.3: the flow to use when one of the Route values we popped names a flow other than
 * the one the request came over (a request going back toward the UA that registered it).
 */
export function pickFlow(popped: readonly Flow[], arrival: Flow): Flow | undefined {
  for (const f of popped) if (!sameFlow(f, arrival)) return f;
  return undefined;
}

/**
 * A flow token goes into our Record-Route when the UA reached us over a connection, or from
 * behind a NAT (the source is not the Via sent-by, RFC 3581): in-dialog requests toward it must
 * take the same way back (RFC 5626 §5.3).
 */
export function needsFlowToken(request: SipMessage, arrival: Arrival): boolean {
  if (arrival.source.transport !== 'UDP') return true;
  const via = request.via[0];
  if (via === undefined) return false;
  return stripBrackets(via.host) !== arrival.source.host || (via.port ?? 5060) !== arrival.source.port;
}

/** The flow a message arrived over (RFC 5626 §3.3). */
export function flowOf(a: Arrival): Flow {
  return a.connectionId === undefined
    ? { transport: a.source.transport, host: a.source.host, port: a.source.port }
    : {
        transport: a.source.transport,
        host: a.source.host,
        port: a.source.port,
        connectionId: a.connectionId,
      };
}
