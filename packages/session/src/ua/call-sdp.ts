/**
 * SDP of a call: our capabilities from the configuration and the media stream's port, offers and
 * answers (RFC 3264 through `@tsvoip/sdp`), and the negotiated result as a media configuration.
 * @module
 */
import {
  attributeLine,
  type CodecCapability,
  type CryptoAttribute,
  createAnswer,
  createOffer,
  encodeKeySalt,
  formatSsrc,
  type LocalCapabilities,
  type MediaDirection,
  negotiate,
  parseSdp,
  type SdpLine,
  type SessionDescription,
  serializeSdp,
} from '@tsvoip/sdp';
import { type MediaSessionConfig, mediaConfigFromNegotiation } from '../media/media-config.js';
import type { UserAgentConfig } from './config.js';

const CODEC_CAPS: Readonly<Record<string, CodecCapability>> = {
  PCMU: { name: 'PCMU', clockRate: 8000 },
  PCMA: { name: 'PCMA', clockRate: 8000 },
  // RFC 3551 §4.5.2: G.722's RTP clock is 8000 although it samples at 16 kHz.
  G722: { name: 'G722', clockRate: 8000 },
  opus: { name: 'opus', clockRate: 48000, channels: 2, fmtp: 'useinbandfec=1' },
};

/** What the SDP of one call needs to know. */
export interface CallSdpContext {
  /** Media configuration of the user agent. */
  readonly media: UserAgentConfig['media'];
  /** The RTP port of the call's stream. */
  readonly port: number;
  /** The o= session id (decimal). */
  readonly sessionId: string;
  /** Random bytes for SDES master keys (crypto.randomBytes in production). */
  readonly randomBytes: (size: number) => Uint8Array;
  /**
   * The stream's SSRC and RTCP CNAME, announced as `a=ssrc:<ssrc> cname:<cname>` (RFC 5576 §4.1)
   * so that a peer can route our packets by SSRC (a shared-port driver does). Absent: not announced.
   */
  readonly source?: { readonly ssrc: number; readonly cname: string };
}

/** The local capabilities of a call in `direction`. */
export function localCapabilities(ctx: CallSdpContext, direction: MediaDirection): LocalCapabilities {
  const m = ctx.media;
  const codecs: CodecCapability[] = m.codecs.map((name) => ({ ...CODEC_CAPS[name] }));
  if (m.telephoneEvent) {
    // RFC 4733 §2.5.1: telephone-event at the clock rate of the audio codecs offered.
    codecs.push({ name: 'telephone-event', clockRate: 8000, fmtp: '0-16' });
    if (m.codecs.includes('opus')) codecs.push({ name: 'telephone-event', clockRate: 48000, fmtp: '0-16' });
  }
  const srtp = m.srtp === 'sdes';
  return {
    origin: { sessionId: ctx.sessionId },
    address: m.address,
    media: [
      {
        media: 'audio',
        port: ctx.port,
        proto: srtp ? 'RTP/SAVP' : 'RTP/AVP',
        acceptProtos: srtp ? ['RTP/SAVP'] : ['RTP/AVP'],
        codecs,
        ptime: m.ptime,
        direction,
        rtcpMux: m.rtcpMux,
        crypto: srtp ? [sdesCrypto(ctx.randomBytes)] : undefined,
        attributes: ctx.source === undefined ? undefined : [ssrcLine(ctx.source.ssrc, ctx.source.cname)],
      },
    ],
  };
}

/**
 * `a=ssrc:<ssrc> cname:<cname>` (RFC 5576 §4.1): the cname source attribute is the one every
 * RFC 5576 description carries (§6.1), and must equal the CNAME our RTCP SDES packets carry.
 */
export function ssrcLine(ssrc: number, cname: string): SdpLine {
  return attributeLine('ssrc', formatSsrc({ ssrc: ssrc >>> 0, attribute: 'cname', value: cname }));
}

/**
 * A random RTCP CNAME (RFC 7022 §4.2, §5: a short-term persistent CNAME of 96 random bits from a
 * cryptographically secure generator, base64-encoded: 16 characters).
 */
export function randomCname(randomBytes: (size: number) => Uint8Array): string {
  return Buffer.from(randomBytes(12)).toString('base64');
}

/** A fresh SDES key (RFC 4568 §6.1: inline master key || master salt, 30 bytes for AES_CM_128). */
export function sdesCrypto(randomBytes: (size: number) => Uint8Array): CryptoAttribute {
  return {
    tag: 1,
    suite: 'AES_CM_128_HMAC_SHA1_80',
    keyParams: [{ method: 'inline', keySalt: encodeKeySalt(randomBytes(30)) }],
    sessionParams: [],
  };
}

/** An offer (a re-offer when `previous`, RFC 3264 §8), as text. */
export function buildOffer(ctx: CallSdpContext, direction: MediaDirection, previous?: string): string {
  return serializeSdp(
    createOffer(localCapabilities(ctx, direction), previous === undefined ? undefined : parseSdp(previous)),
  );
}

/** The answer to `offer` and the media configuration it yields for us (the answerer). */
export function buildAnswer(
  ctx: CallSdpContext,
  offer: string,
  direction: MediaDirection,
  previous?: string,
): { answer: string; config: MediaSessionConfig } {
  const offerSd = parseSdp(offer);
  const answerSd = createAnswer(
    offerSd,
    localCapabilities(ctx, direction),
    previous === undefined ? undefined : parseSdp(previous),
  );
  const answer = serializeSdp(answerSd);
  return { answer, config: configOf(offerSd, parseSdp(answer), 'answerer') };
}

/** The media configuration once our offer was answered. */
export function configFromAnswer(offer: string, answer: string): MediaSessionConfig {
  return configOf(parseSdp(offer), parseSdp(answer), 'offerer');
}

function configOf(
  offer: SessionDescription,
  answer: SessionDescription,
  side: 'offerer' | 'answerer',
): MediaSessionConfig {
  const audio = negotiate(offer, answer, side).media.find((m) => m.media === 'audio');
  if (audio === undefined) throw new TypeError('no audio m-line');
  // The remote's own m-section carries the SSRC it announces (RFC 5576 §4.1).
  const remote = (side === 'offerer' ? answer : offer).media[audio.index];
  return mediaConfigFromNegotiation(audio, remote);
}
