import { getOrigin } from '../accessors.js';
import { formatOrigin, type Origin } from '../lines/origin.js';
import type { SessionDescription } from '../model.js';
import { serializeSdp } from '../serialize.js';

function withOrigin(sd: SessionDescription, origin: Origin): SessionDescription {
  return {
    session: sd.session.map((l) => (l.type === 'o' ? { type: 'o', value: formatOrigin(origin) } : l)),
    media: sd.media,
  };
}

/**
 * Gives a new local description the origin RFC 3264 §8 requires relative to the previous one we
 * sent in this session: same username, session id and address; the version incremented by one when
 * anything else in the description changed, unchanged otherwise. Without `previous`, `sd` is returned.
 */
export function applySessionVersion(
  sd: SessionDescription,
  previous?: SessionDescription,
): SessionDescription {
  if (!previous) return sd;
  const prev = getOrigin(previous);
  // RFC 3264 §8: compare everything but the o= line itself.
  const same = serializeSdp(withOrigin(sd, prev)) === serializeSdp(withOrigin(previous, prev));
  const sessionVersion = same ? prev.sessionVersion : `${BigInt(prev.sessionVersion) + 1n}`;
  return withOrigin(sd, { ...prev, sessionVersion });
}
