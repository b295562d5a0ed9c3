/**
 * RFC 3261 §18.1.1: large requests go over a congestion-controlled transport.
 * @module
 */
import type { TransportProtocol } from '../address.js';

/** The size limit used when the path MTU is unknown (RFC 3261 §18.1.1). */
export const UNKNOWN_MTU_LIMIT = 1300;

/**
 * True when a request of `size` octets must not go over UDP. RFC 3261 §18.1.1: "If a request is
 * within 200 bytes of the path MTU, or if it is larger than 1300 bytes and the path MTU is unknown,
 * the request MUST be sent using an RFC 2914 congestion controlled transport protocol, such as TCP."
 */
export function needsCongestionControl(size: number, pathMtu?: number): boolean {
  return pathMtu === undefined ? size > UNKNOWN_MTU_LIMIT : size > pathMtu - 200;
}

/**
 * The transport a request should actually use: TCP instead of UDP when
 * {@link needsCongestionControl} says so; otherwise the one selected. Responses are never switched
 * (§18.2.2 sends them where the request came from). When the result differs from `selected`, the
 * top Via must name the new transport (§18.1.1: "the value in the top Via MUST be changed").
 */
export function transportForRequest(
  selected: TransportProtocol,
  size: number,
  pathMtu?: number,
): TransportProtocol {
  return selected === 'UDP' && needsCongestionControl(size, pathMtu) ? 'TCP' : selected;
}
