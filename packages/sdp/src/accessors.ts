/**
 * Typed read accessors over a parsed description. They parse the raw lines on each call and never
 * modify them, so byte-exact round trips are unaffected. Errors carry the offending line number.
 */
import { getAttributeValue, hasAttribute, readAttributes } from './attributes/attribute.js';
import { type Group, parseGroup, parseMid } from './attributes/bundle.js';
import { type Candidate, parseCandidate } from './attributes/candidate.js';
import { type CryptoAttribute, parseCrypto } from './attributes/crypto.js';
import { effectiveDirection, type MediaDirection } from './attributes/direction.js';
import { type Extmap, parseExtmap } from './attributes/extmap.js';
import { type Fingerprint, parseFingerprint } from './attributes/fingerprint.js';
import { type Fmtp, parseFmtp } from './attributes/fmtp.js';
import { parseIceOptions, parseIcePwd, parseIceUfrag } from './attributes/ice.js';
import { type Msid, parseMsid } from './attributes/msid.js';
import { parsePacketTime } from './attributes/packet-time.js';
import { parseRtcp, type RtcpAttribute } from './attributes/rtcp.js';
import { parseRtcpFeedback, type RtcpFeedback } from './attributes/rtcp-fb.js';
import { parseRtpmap, type Rtpmap } from './attributes/rtpmap.js';
import { parseSetup, type SetupRole } from './attributes/setup.js';
import { parseSsrc, parseSsrcGroup, type SsrcAttribute, type SsrcGroup } from './attributes/ssrc.js';
import { SdpParseError } from './errors.js';
import { type Bandwidth, parseBandwidth } from './lines/bandwidth.js';
import { type Connection, parseConnection } from './lines/connection.js';
import { type MediaLine, parseMediaLine } from './lines/media-line.js';
import { type Origin, parseOrigin } from './lines/origin.js';
import { parseTiming, type Timing } from './lines/timing.js';
import type { MediaDescription, SdpLine, SessionDescription } from './model.js';

function readLines<T>(lines: readonly SdpLine[], type: string, parse: (v: string) => T): T[] {
  const out: T[] = [];
  for (const l of lines) {
    if (l.type !== type) continue;
    try {
      out.push(parse(l.value));
    } catch (e) {
      throw e instanceof SdpParseError ? e.at(l.lineNumber ?? 0) : e;
    }
  }
  return out;
}

function first<T>(xs: T[]): T | undefined {
  return xs[0];
}

/** The `o=` line. */
export function getOrigin(sd: SessionDescription): Origin {
  const o = first(readLines(sd.session, 'o', parseOrigin));
  if (!o) throw new SdpParseError('no o= line');
  return o;
}

/** The `s=` text. */
export function getSessionName(sd: SessionDescription): string {
  return sd.session.find((l) => l.type === 's')?.value ?? '';
}

/** The `t=` lines. */
export function getTimings(sd: SessionDescription): Timing[] {
  return readLines(sd.session, 't', parseTiming);
}

/** The first `c=` line of `lines` (session level or one media description). */
export function getConnection(lines: readonly SdpLine[]): Connection | undefined {
  return first(readLines(lines, 'c', parseConnection));
}

/** The connection in force for a media description: its own `c=`, else the session's (RFC 8866 §5.7). */
export function getMediaConnection(sd: SessionDescription, m: MediaDescription): Connection | undefined {
  return getConnection(m.lines) ?? getConnection(sd.session);
}

/** The `b=` lines of `lines`. */
export function getBandwidths(lines: readonly SdpLine[]): Bandwidth[] {
  return readLines(lines, 'b', parseBandwidth);
}

/** The `m=` line of a media description. */
export function getMediaLine(m: MediaDescription): MediaLine {
  const l = m.lines[0];
  if (l?.type !== 'm') throw new SdpParseError('media description does not start with m=');
  try {
    return parseMediaLine(l.value);
  } catch (e) {
    throw e instanceof SdpParseError ? e.at(l.lineNumber ?? 0) : e;
  }
}

/** The `a=rtpmap` attributes. */
export function getRtpmaps(m: MediaDescription): Rtpmap[] {
  return readAttributes(m.lines, 'rtpmap', parseRtpmap);
}

/** The `a=fmtp` attributes. */
export function getFmtps(m: MediaDescription): Fmtp[] {
  return readAttributes(m.lines, 'fmtp', parseFmtp);
}

/** The `a=rtcp-fb` attributes. */
export function getRtcpFeedbacks(m: MediaDescription): RtcpFeedback[] {
  return readAttributes(m.lines, 'rtcp-fb', parseRtcpFeedback);
}

/** The `a=rtcp` attribute (RFC 3605). */
export function getRtcp(m: MediaDescription): RtcpAttribute | undefined {
  return first(readAttributes(m.lines, 'rtcp', parseRtcp));
}

/** True when `a=rtcp-mux` is present (RFC 5761 §5.1.1). */
export function isRtcpMux(m: MediaDescription): boolean {
  return hasAttribute(m.lines, 'rtcp-mux');
}

/** `a=ptime` in ms. */
export function getPtime(m: MediaDescription): number | undefined {
  return first(readAttributes(m.lines, 'ptime', parsePacketTime));
}

/** `a=maxptime` in ms. */
export function getMaxptime(m: MediaDescription): number | undefined {
  return first(readAttributes(m.lines, 'maxptime', parsePacketTime));
}

/** The direction in force for a media description (media, then session, default sendrecv). */
export function getDirection(sd: SessionDescription, m: MediaDescription): MediaDirection {
  return effectiveDirection(sd.session, m.lines);
}

/** The `a=crypto` attributes (RFC 4568). */
export function getCryptos(m: MediaDescription): CryptoAttribute[] {
  return readAttributes(m.lines, 'crypto', parseCrypto);
}

/** The `a=candidate` attributes (RFC 8839). */
export function getCandidates(m: MediaDescription): Candidate[] {
  return readAttributes(m.lines, 'candidate', parseCandidate);
}

/** `a=ice-ufrag` of the media description, else of the session (RFC 8839 §5.4). */
export function getIceUfrag(sd: SessionDescription, m?: MediaDescription): string | undefined {
  return first([
    ...(m ? readAttributes(m.lines, 'ice-ufrag', parseIceUfrag) : []),
    ...readAttributes(sd.session, 'ice-ufrag', parseIceUfrag),
  ]);
}

/** `a=ice-pwd` of the media description, else of the session (RFC 8839 §5.4). */
export function getIcePwd(sd: SessionDescription, m?: MediaDescription): string | undefined {
  return first([
    ...(m ? readAttributes(m.lines, 'ice-pwd', parseIcePwd) : []),
    ...readAttributes(sd.session, 'ice-pwd', parseIcePwd),
  ]);
}

/** `a=ice-options` tags of the media description, else of the session (RFC 8839 §5.6). */
export function getIceOptions(sd: SessionDescription, m?: MediaDescription): string[] {
  const own = m ? readAttributes(m.lines, 'ice-options', parseIceOptions) : [];
  return (own.length > 0 ? own : readAttributes(sd.session, 'ice-options', parseIceOptions)).flat();
}

/** True when the session is ICE-lite (RFC 8839 §5.3). */
export function isIceLite(sd: SessionDescription): boolean {
  return hasAttribute(sd.session, 'ice-lite');
}

/** True when `a=end-of-candidates` is present (RFC 8840 §8.2). */
export function hasEndOfCandidates(sd: SessionDescription, m?: MediaDescription): boolean {
  return (
    (m !== undefined && hasAttribute(m.lines, 'end-of-candidates')) ||
    hasAttribute(sd.session, 'end-of-candidates')
  );
}

/** `a=fingerprint` attributes of the media description, else of the session (RFC 8122 §5). */
export function getFingerprints(sd: SessionDescription, m?: MediaDescription): Fingerprint[] {
  const own = m ? readAttributes(m.lines, 'fingerprint', parseFingerprint) : [];
  return own.length > 0 ? own : readAttributes(sd.session, 'fingerprint', parseFingerprint);
}

/** `a=setup` of the media description, else of the session (RFC 4145 §4). */
export function getSetup(sd: SessionDescription, m?: MediaDescription): SetupRole | undefined {
  return first([
    ...(m ? readAttributes(m.lines, 'setup', parseSetup) : []),
    ...readAttributes(sd.session, 'setup', parseSetup),
  ]);
}

/** `a=mid` of a media description (RFC 5888 §4). */
export function getMid(m: MediaDescription): string | undefined {
  return first(readAttributes(m.lines, 'mid', parseMid));
}

/** Session-level `a=group` attributes, e.g. BUNDLE (RFC 9143). */
export function getGroups(sd: SessionDescription): Group[] {
  return readAttributes(sd.session, 'group', parseGroup);
}

/** `a=msid` attributes (RFC 8830). */
export function getMsids(m: MediaDescription): Msid[] {
  return readAttributes(m.lines, 'msid', parseMsid);
}

/** `a=ssrc` attributes (RFC 5576). */
export function getSsrcs(m: MediaDescription): SsrcAttribute[] {
  return readAttributes(m.lines, 'ssrc', parseSsrc);
}

/** `a=ssrc-group` attributes (RFC 5576). */
export function getSsrcGroups(m: MediaDescription): SsrcGroup[] {
  return readAttributes(m.lines, 'ssrc-group', parseSsrcGroup);
}

/** `a=extmap` attributes (RFC 8285). */
export function getExtmaps(m: MediaDescription): Extmap[] {
  return readAttributes(m.lines, 'extmap', parseExtmap);
}

/** The value of the first attribute `name` of the media description or the session. */
export function getAnyAttribute(
  sd: SessionDescription,
  m: MediaDescription,
  name: string,
): string | undefined {
  return getAttributeValue(m.lines, name) ?? getAttributeValue(sd.session, name);
}
