import { type CryptoAttribute, formatCrypto } from '../attributes/crypto.js';
import type { MediaDirection } from '../attributes/direction.js';
import { formatFmtp } from '../attributes/fmtp.js';
import { formatPacketTime } from '../attributes/packet-time.js';
import { formatRtcp } from '../attributes/rtcp.js';
import { formatRtcpFeedback } from '../attributes/rtcp-fb.js';
import { formatRtpmap } from '../attributes/rtpmap.js';
import { formatConnection } from '../lines/connection.js';
import { formatMediaLine } from '../lines/media-line.js';
import { formatOrigin, type Origin } from '../lines/origin.js';
import { attributeLine, type MediaDescription, type SdpLine, sdpLine } from '../model.js';
import type { LocalCapabilities, MediaCapability } from './capabilities.js';

/** `IP6` when the address contains a colon, else `IP4`. */
export function addrTypeOf(address: string): string {
  return address.includes(':') ? 'IP6' : 'IP4';
}

/** The origin a fresh description from `caps` gets. */
export function originFromCaps(caps: LocalCapabilities): Origin {
  const address = caps.origin.address ?? caps.address;
  return {
    username: caps.origin.username ?? '-',
    sessionId: caps.origin.sessionId,
    sessionVersion: caps.origin.sessionVersion ?? '0',
    netType: 'IN',
    addrType: addrTypeOf(address),
    unicastAddress: address,
  };
}

/** Session-level lines: v o s c t, then the given attribute lines (RFC 8866 §5 order). */
export function sessionLines(caps: LocalCapabilities, origin: Origin, attributes: SdpLine[]): SdpLine[] {
  return [
    sdpLine('v', '0'),
    sdpLine('o', formatOrigin(origin)),
    sdpLine('s', caps.sessionName ?? '-'),
    sdpLine(
      'c',
      formatConnection({ netType: 'IN', addrType: addrTypeOf(caps.address), address: caps.address }),
    ),
    sdpLine('t', '0 0'),
    ...attributes,
  ];
}

/** One payload format to write into an m-section. */
export interface FormatToWrite {
  /** Payload type. */
  payloadType: number;
  /** Encoding name. */
  name: string;
  /** Clock rate. */
  clockRate: number;
  /** Channels, written only when given. */
  channels?: number;
  /** fmtp parameters. */
  fmtp?: string;
  /** rtcp-fb types. */
  rtcpFeedback?: string[];
}

/** What goes into one accepted/offered m-section. */
export interface MediaSectionPlan {
  /** The capability it comes from. */
  cap: MediaCapability;
  /** Protocol (the offered one in answers). */
  proto: string;
  /** Formats, in m-line order. */
  formats: FormatToWrite[];
  /** Direction attribute to write. */
  direction: MediaDirection;
  /** mid to write. */
  mid?: string;
  /** Whether to write `a=rtcp-mux`. */
  rtcpMux: boolean;
  /** Crypto attributes to write. */
  crypto: CryptoAttribute[];
}

/**
 * Builds an m-section: m, c, mid, pass-through attributes, rtcp, rtcp-mux, crypto, then per format
 * rtpmap/fmtp/rtcp-fb, ptime, maxptime, direction.
 */
export function mediaSection(plan: MediaSectionPlan): MediaDescription {
  const { cap } = plan;
  const lines: SdpLine[] = [
    sdpLine(
      'm',
      formatMediaLine({
        media: cap.media,
        port: cap.port,
        proto: plan.proto,
        formats: plan.formats.map((f) => `${f.payloadType}`),
      }),
    ),
  ];
  if (cap.address !== undefined) {
    lines.push(
      sdpLine(
        'c',
        formatConnection({ netType: 'IN', addrType: addrTypeOf(cap.address), address: cap.address }),
      ),
    );
  }
  if (plan.mid !== undefined) lines.push(attributeLine('mid', plan.mid));
  for (const l of cap.attributes ?? []) lines.push({ type: l.type, value: l.value });
  if (cap.rtcpPort !== undefined && !plan.rtcpMux) {
    lines.push(attributeLine('rtcp', formatRtcp({ port: cap.rtcpPort })));
  }
  if (plan.rtcpMux) lines.push(attributeLine('rtcp-mux'));
  for (const c of plan.crypto) lines.push(attributeLine('crypto', formatCrypto(c)));
  for (const f of plan.formats) {
    const map = { payloadType: f.payloadType, encodingName: f.name, clockRate: f.clockRate };
    lines.push(
      attributeLine(
        'rtpmap',
        formatRtpmap(f.channels === undefined ? map : { ...map, channels: f.channels }),
      ),
    );
    if (f.fmtp !== undefined)
      lines.push(attributeLine('fmtp', formatFmtp({ format: `${f.payloadType}`, parameters: f.fmtp })));
    for (const fb of f.rtcpFeedback ?? []) {
      const sp = fb.indexOf(' ');
      const type = sp < 0 ? fb : fb.slice(0, sp);
      const fbv = { payloadType: f.payloadType, type };
      lines.push(
        attributeLine('rtcp-fb', formatRtcpFeedback(sp < 0 ? fbv : { ...fbv, parameter: fb.slice(sp + 1) })),
      );
    }
  }
  if (cap.ptime !== undefined) lines.push(attributeLine('ptime', formatPacketTime(cap.ptime)));
  if (cap.maxptime !== undefined) lines.push(attributeLine('maxptime', formatPacketTime(cap.maxptime)));
  lines.push(attributeLine(plan.direction));
  return { lines };
}

/** A rejected (port 0) m-section: the offered media, proto and formats (RFC 3264 §6), and its mid. */
export function rejectedSection(
  media: string,
  proto: string,
  formats: string[],
  mid?: string,
): MediaDescription {
  const lines: SdpLine[] = [
    sdpLine('m', formatMediaLine({ media, port: 0, proto, formats: formats.length > 0 ? formats : ['0'] })),
  ];
  if (mid !== undefined) lines.push(attributeLine('mid', mid));
  return { lines };
}
