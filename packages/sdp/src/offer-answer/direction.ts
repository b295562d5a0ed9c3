import { getMediaConnection } from '../accessors.js';
import { hasAttribute } from '../attributes/attribute.js';
import {
  directionOf,
  directionReceives,
  directionSends,
  effectiveDirection,
  type MediaDirection,
} from '../attributes/direction.js';
import { isLegacyHoldAddress } from '../lines/connection.js';
import type { MediaDescription, SessionDescription } from '../model.js';

/**
 * The direction a description declares for one of its m-lines: the media or session attribute
 * (default sendrecv), with the legacy hold address `c=0.0.0.0` read as "will not receive"
 * (RFC 3264 §8.4: recognised for compatibility with RFC 2543) — except when the m-line uses ICE,
 * where `0.0.0.0` (port 9) is the placeholder default address (RFC 8839 §4.3.1), not a hold.
 */
export function describedDirection(sd: SessionDescription, m: MediaDescription): MediaDirection {
  const d = effectiveDirection(sd.session, m.lines);
  const ice = hasAttribute(m.lines, 'ice-ufrag') || hasAttribute(sd.session, 'ice-ufrag');
  if (!ice && isLegacyHoldAddress(getMediaConnection(sd, m))) return directionOf(directionSends(d), false);
  return d;
}

/**
 * RFC 3264 §6.1: the answer's direction given the offered one and what we want. To sendonly answer
 * recvonly (inactive if we do not receive), to recvonly sendonly (inactive if we do not send), to
 * inactive inactive, to sendrecv what we want.
 */
export function answerDirection(offered: MediaDirection, local: MediaDirection): MediaDirection {
  return directionOf(
    directionSends(local) && directionReceives(offered),
    directionReceives(local) && directionSends(offered),
  );
}
