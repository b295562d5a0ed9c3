import { getMediaLine, getMid } from '../accessors.js';
import { formatGroup } from '../attributes/bundle.js';
import { OfferAnswerError } from '../errors.js';
import { attributeLine, type MediaDescription, type SessionDescription } from '../model.js';
import { type FormatToWrite, mediaSection, originFromCaps, rejectedSection, sessionLines } from './build.js';
import type { CodecCapability, LocalCapabilities, MediaCapability } from './capabilities.js';
import { codecMatches, payloadFormats, staticPayloadType } from './codecs.js';
import { applySessionVersion } from './session-version.js';

const DYNAMIC_FIRST = 96;
const DYNAMIC_LAST = 127;

/**
 * Assigns payload types: an explicit one first, then the one this codec had in the previous
 * description (RFC 3264 §8.3.2: a re-offer keeps the mapping), then the static one, then the first
 * free dynamic type (96–127).
 */
function assignPayloadTypes(
  cap: MediaCapability,
  previous: MediaDescription | undefined,
  index: number,
): FormatToWrite[] {
  const used = new Set<number>();
  const chosen: Array<number | undefined> = cap.codecs.map((c) => c.payloadType);
  for (const pt of chosen) {
    if (pt === undefined) continue;
    if (used.has(pt)) throw new OfferAnswerError(`payload type ${pt} used twice`, index);
    if (pt < 0 || pt > 127) throw new OfferAnswerError(`payload type ${pt} out of range`, index);
    used.add(pt);
  }
  const prevFormats = previous ? payloadFormats(previous) : [];
  const pick = (i: number, candidate: number | undefined): void => {
    if (chosen[i] === undefined && candidate !== undefined && !used.has(candidate)) {
      chosen[i] = candidate;
      used.add(candidate);
    }
  };
  cap.codecs.forEach((c, i) => {
    pick(i, prevFormats.find((f) => codecMatches(c, f))?.payloadType);
  });
  cap.codecs.forEach((c, i) => {
    pick(i, staticPayloadType(c));
  });
  let next = DYNAMIC_FIRST;
  cap.codecs.forEach((_c, i) => {
    while (chosen[i] === undefined) {
      if (next > DYNAMIC_LAST) throw new OfferAnswerError('more codecs than dynamic payload types', index);
      pick(i, next++);
    }
  });
  return cap.codecs.map((c: CodecCapability, i) => {
    const f: FormatToWrite = { payloadType: chosen[i]!, name: c.name, clockRate: c.clockRate };
    if (c.channels !== undefined) f.channels = c.channels;
    if (c.fmtp !== undefined) f.fmtp = c.fmtp;
    if (c.rtcpFeedback !== undefined) f.rtcpFeedback = c.rtcpFeedback;
    return f;
  });
}

/**
 * Builds an offer (RFC 3264 §5) from local capabilities: one m-line per media capability, codecs in
 * our order of preference.
 *
 * For a re-offer pass `previous`, the last description we sent in this session (offer or answer):
 * the origin keeps its session id and the version goes up by one only if something changed
 * (RFC 3264 §8); payload type mappings are kept (§8.3.2); m-lines are never removed (§8): an m-line of
 * `previous` beyond `caps.media` is offered again with port 0. Hold is `direction: 'sendonly'` (or
 * `'inactive'`), resume is `'sendrecv'` (§8.4).
 *
 * @throws OfferAnswerError when payload types collide or run out.
 */
export function createOffer(caps: LocalCapabilities, previous?: SessionDescription): SessionDescription {
  const media: MediaDescription[] = caps.media.map((cap, i) => {
    if (cap.codecs.length === 0) throw new OfferAnswerError('media capability has no codec', i);
    const formats = assignPayloadTypes(cap, previous?.media[i], i);
    return mediaSection({
      cap,
      proto: cap.proto ?? 'RTP/AVP',
      formats,
      direction: cap.direction ?? 'sendrecv',
      ...(cap.mid !== undefined ? { mid: cap.mid } : {}),
      rtcpMux: cap.rtcpMux === true,
      crypto: (cap.crypto ?? []).map((c, t) => ({ ...c, tag: t + 1 })),
    });
  });
  // RFC 3264 §8: the number of m-lines never decreases; a stream we no longer offer gets port 0.
  for (let i = caps.media.length; i < (previous?.media.length ?? 0); i++) {
    const prev = previous!.media[i];
    const ml = getMediaLine(prev);
    media.push(rejectedSection(ml.media, ml.proto, ml.formats, getMid(prev)));
  }
  const sessionAttributes = [...(caps.sessionAttributes ?? [])];
  if (caps.bundle) {
    const mids = caps.media.map((m) => m.mid);
    if (mids.some((m) => m === undefined)) throw new OfferAnswerError('BUNDLE needs a mid on every m-line');
    // RFC 9143 §7.1: a=group:BUNDLE lists the mids of the bundled m-lines.
    sessionAttributes.unshift(
      attributeLine('group', formatGroup({ semantics: 'BUNDLE', mids: mids as string[] })),
    );
  }
  const sd: SessionDescription = {
    session: sessionLines(caps, originFromCaps(caps), sessionAttributes),
    media,
  };
  return applySessionVersion(sd, previous);
}
