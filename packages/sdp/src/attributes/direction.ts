import type { SdpLine } from '../model.js';

/** Media direction attributes (RFC 8866 §6.7, RFC 3264 §5.1). */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** True when `name` is one of the four direction attributes. */
export function isMediaDirection(name: string): name is MediaDirection {
  return name === 'sendrecv' || name === 'sendonly' || name === 'recvonly' || name === 'inactive';
}

/** The last direction attribute among `lines`, or undefined. */
export function findDirection(lines: readonly SdpLine[]): MediaDirection | undefined {
  let found: MediaDirection | undefined;
  for (const l of lines) if (l.type === 'a' && isMediaDirection(l.value)) found = l.value;
  return found;
}

/**
 * The direction in force for a media description: its own attribute, else the session-level one,
 * else `sendrecv` (RFC 8866 §6.7: sendrecv is the default).
 */
export function effectiveDirection(session: readonly SdpLine[], media: readonly SdpLine[]): MediaDirection {
  return findDirection(media) ?? findDirection(session) ?? 'sendrecv';
}

/** The direction seen from the other side: sendonly ↔ recvonly. */
export function reverseDirection(d: MediaDirection): MediaDirection {
  return d === 'sendonly' ? 'recvonly' : d === 'recvonly' ? 'sendonly' : d;
}

/** True when the direction includes sending. */
export function directionSends(d: MediaDirection): boolean {
  return d === 'sendrecv' || d === 'sendonly';
}

/** True when the direction includes receiving. */
export function directionReceives(d: MediaDirection): boolean {
  return d === 'sendrecv' || d === 'recvonly';
}

/** Builds a direction from send/receive flags. */
export function directionOf(sends: boolean, receives: boolean): MediaDirection {
  return sends ? (receives ? 'sendrecv' : 'sendonly') : receives ? 'recvonly' : 'inactive';
}
