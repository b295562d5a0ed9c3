import { getCryptos, getGroups, getMediaLine, getMid, isRtcpMux } from '../accessors.js';
import { formatGroup } from '../attributes/bundle.js';
import type { CryptoAttribute } from '../attributes/crypto.js';
import { parseFmtpParameters } from '../attributes/fmtp.js';
import { attributeLine, type MediaDescription, type SessionDescription } from '../model.js';
import { type FormatToWrite, mediaSection, originFromCaps, rejectedSection, sessionLines } from './build.js';
import type { LocalCapabilities, MediaCapability } from './capabilities.js';
import {
  codecMatches,
  intersectEvents,
  isAuxiliaryEncoding,
  type PayloadFormat,
  payloadFormats,
} from './codecs.js';
import { answerDirection, describedDirection } from './direction.js';
import { applySessionVersion } from './session-version.js';

// The payload types an rtx (apt=) or red (a/b) format refers to.
function references(f: PayloadFormat): number[] | undefined {
  const n = f.name.toLowerCase();
  if (n === 'rtx') {
    const apt = parseFmtpParameters(f.fmtp ?? '').find((p) => p.name.toLowerCase() === 'apt')?.value;
    return apt === undefined ? [] : [Number(apt)];
  }
  if (n === 'red' && f.fmtp !== undefined) return f.fmtp.split('/').map((x) => Number(x.trim()));
  return undefined;
}

/** RFC 3264 §6.1: the formats we accept, in the offerer's order, with the offerer's payload types. */
function matchFormats(offered: PayloadFormat[], cap: MediaCapability): FormatToWrite[] {
  const plain = new Set<number>();
  for (const f of offered) {
    if (references(f) === undefined && cap.codecs.some((c) => codecMatches(c, f))) plain.add(f.payloadType);
  }
  const out: FormatToWrite[] = [];
  for (const f of offered) {
    const local = cap.codecs.find((c) => codecMatches(c, f));
    if (!local) continue;
    const refs = references(f);
    if (refs !== undefined && !refs.every((pt) => plain.has(pt))) continue;
    const w: FormatToWrite = { payloadType: f.payloadType, name: f.name, clockRate: f.clockRate };
    if (f.channels !== undefined) w.channels = f.channels;
    const name = f.name.toLowerCase();
    // RFC 4733 §2.5.1.2: answer with the events both sides support.
    if (name === 'telephone-event') w.fmtp = intersectEvents(local.fmtp, f.fmtp);
    else if (refs !== undefined && f.fmtp !== undefined)
      w.fmtp = f.fmtp; // refers to the offerer's PTs
    else if (local.fmtp !== undefined) w.fmtp = local.fmtp;
    if (w.fmtp === undefined) delete w.fmtp;
    const fb = (local.rtcpFeedback ?? []).filter((x) => f.rtcpFeedback.includes(x));
    if (fb.length > 0) w.rtcpFeedback = fb;
    out.push(w);
  }
  return out;
}

function isSecureProto(proto: string): boolean {
  const p = proto.toUpperCase();
  return p === 'RTP/SAVP' || p === 'RTP/SAVPF';
}

// RFC 4568 §7.1.2: answer the first offered crypto line whose suite we support, with its tag.
function chooseCrypto(offered: CryptoAttribute[], cap: MediaCapability): CryptoAttribute | undefined {
  for (const o of offered) {
    const mine = (cap.crypto ?? []).find((c) => c.suite.toUpperCase() === o.suite.toUpperCase());
    if (mine) return { ...mine, tag: o.tag };
  }
  return undefined;
}

/**
 * Answers an offer (RFC 3264 §6). The answer has as many m-lines as the offer, in the same order.
 *
 * Each offered m-line is matched with an unused local capability of the same media type that accepts
 * its protocol (the one at the same index first, then the others in order), has a non-auxiliary codec
 * in common (telephone-event, CN, red, rtx alone carry no media) and, for RTP/SAVP(F), a crypto suite
 * in common. It is rejected (port 0) when there is none or when the offered port is 0.
 *
 * An accepted m-line gets: the common codecs in the offerer's order with the offerer's payload types
 * (§6.1), our fmtp (telephone-event events intersected), ptime/maxptime, the direction per §6.1 (the
 * legacy `c=0.0.0.0` read as hold, §8.4, unless the m-line uses ICE), rtcp-mux when both support it, the
 * SDES crypto answer, the offered mid, and our pass-through attributes (ICE/DTLS).
 *
 * `previous`: our previous description in this session, for the o= version rule of RFC 3264 §8.
 */
export function createAnswer(
  offer: SessionDescription,
  caps: LocalCapabilities,
  previous?: SessionDescription,
): SessionDescription {
  const used = new Set<MediaCapability>();
  const accepted = new Set<string>();
  const media = offer.media.map((m, index): MediaDescription => {
    const ml = getMediaLine(m);
    const mid = getMid(m);
    const reject = () => rejectedSection(ml.media, ml.proto, ml.formats, mid);
    // RFC 3264 §6: a stream offered with port 0 is answered with port 0.
    if (ml.port === 0) return reject();
    const proto = ml.proto.toUpperCase();
    const candidates = caps.media.filter(
      (c) =>
        !used.has(c) &&
        c.media.toLowerCase() === ml.media.toLowerCase() &&
        (c.acceptProtos ?? [c.proto ?? 'RTP/AVP']).some((p) => p.toUpperCase() === proto),
    );
    // The capability at the same position first keeps re-negotiations stable, then the others in order.
    const same = caps.media[index];
    if (same && candidates.includes(same)) {
      candidates.splice(candidates.indexOf(same), 1);
      candidates.unshift(same);
    }
    const offered = payloadFormats(m);
    const offeredCrypto = getCryptos(m);
    for (const cap of candidates) {
      const formats = matchFormats(offered, cap);
      if (!formats.some((f) => !isAuxiliaryEncoding(f.name))) continue;
      const crypto = chooseCrypto(offeredCrypto, cap);
      if (isSecureProto(ml.proto) && !crypto) continue;
      used.add(cap);
      if (mid !== undefined) accepted.add(mid);
      return mediaSection({
        cap,
        proto: ml.proto,
        formats,
        direction: answerDirection(describedDirection(offer, m), cap.direction ?? 'sendrecv'),
        ...(mid !== undefined ? { mid } : {}),
        rtcpMux: cap.rtcpMux === true && isRtcpMux(m),
        crypto: crypto ? [crypto] : [],
      });
    }
    return reject();
  });
  const sessionAttributes = [...(caps.sessionAttributes ?? [])];
  if (caps.bundle) {
    const offeredBundle = getGroups(offer).find((g) => g.semantics === 'BUNDLE');
    const mids = offeredBundle?.mids.filter((x) => accepted.has(x)) ?? [];
    // RFC 9143 §7.3: the answer's BUNDLE group holds the accepted m-lines of the offered group.
    if (mids.length > 0)
      sessionAttributes.unshift(attributeLine('group', formatGroup({ semantics: 'BUNDLE', mids })));
  }
  const sd: SessionDescription = {
    session: sessionLines(caps, originFromCaps(caps), sessionAttributes),
    media,
  };
  return applySessionVersion(sd, previous);
}
