/**
 * What configures a media session: the negotiated SDP result (RFC 3264) turned into plain data,
 * and the session's local options.
 * @module
 */
import { type CodecName, canonicalCodecName } from '@tsvoip/codecs';
import type { JitterBufferOptions, RtpLatchOptions, SrtpProfileName } from '@tsvoip/rtp';
import {
  type CryptoAttribute,
  findAttributes,
  type MediaDescription,
  type MediaDirection,
  type NegotiatedMedia,
  parseSsrc,
} from '@tsvoip/sdp';
import { MediaConfigError } from './errors.js';

/** One payload format the session can send or receive. */
export interface MediaCodecConfig {
  /** RTP payload type. */
  payloadType: number;
  /** Codec name as `createCodec` knows it. */
  name: CodecName;
  /** RTP clock rate, Hz. */
  clockRate: number;
  /** The remote side's fmtp (how it wants to receive), e.g. Opus `useinbandfec=1`. */
  remoteFmtp?: string;
}

/** The RFC 4733 telephone-event format. */
export interface TelephoneEventConfig {
  /** RTP payload type. */
  payloadType: number;
  /** RTP clock rate, Hz (normally the audio codec's). */
  clockRate: number;
}

/** SRTP keying of one direction (RFC 4568 SDES `inline:` key). */
export interface SrtpKeyConfig {
  /** Crypto suite. */
  profile: SrtpProfileName;
  /** Master key, 16 bytes. */
  masterKey: Uint8Array;
  /** Master salt, 14 bytes (12 for AEAD_AES_128_GCM). */
  masterSalt: Uint8Array;
  /** False for the `UNENCRYPTED_SRTCP` session parameter (RFC 4568 §6.3.2). Default true. */
  encryptRtcp?: boolean;
}

/**
 * The negotiated state of one audio stream: where to send, which formats, which direction, which keys.
 * Build it with {@link mediaConfigFromNegotiation}, or by hand.
 */
export interface MediaSessionConfig {
  /** Where to send RTP (until symmetric RTP latches elsewhere). */
  remoteAddress: string;
  /** Remote RTP port. */
  remotePort: number;
  /** Where to send RTCP. Default: the RTP address. */
  remoteRtcpAddress?: string;
  /** Remote RTCP port. Default: the RTP port with rtcp-mux, else RTP port + 1 (RFC 3550 §11). */
  remoteRtcpPort?: number;
  /** RTP and RTCP share one port (RFC 5761). */
  rtcpMux: boolean;
  /** Usable formats in preference order: the first is the one sent, all are accepted on receipt. */
  codecs: MediaCodecConfig[];
  /** RFC 4733 telephone events, when negotiated. */
  telephoneEvent?: TelephoneEventConfig;
  /** Packet time, ms (the remote's `a=ptime`). Default 20. */
  ptime?: number;
  /** Our effective direction: `sendonly`/`inactive` do not receive, `recvonly`/`inactive` do not send. */
  direction: MediaDirection;
  /**
   * The remote's SSRC, when its SDP announces one (RFC 5576 `a=ssrc`). A driver in shared-port
   * mode routes the stream's packets by it; the core does not need it.
   */
  remoteSsrc?: number;
  /** SRTP keys: `local` protects what we send, `remote` unprotects what we receive. */
  srtp?: { local: SrtpKeyConfig; remote: SrtpKeyConfig };
}

/** Local options of a media session (not negotiated). */
export interface MediaSessionOptions {
  /** Our SSRC. Default: from `random`. */
  ssrc?: number;
  /** Random numbers in [0, 1) for SSRC, initial sequence number/timestamp and RTCP intervals. Default Math.random. */
  random?: () => number;
  /** RTCP CNAME (RFC 3550 §6.5.1). Default `tsvoip-<ssrc>`. */
  cname?: string;
  /** Sample rate of the decoded frames handed to the application. Default: the codec's rate. */
  outputSampleRate?: number;
  /** Decode received audio (default true); false keeps statistics and events only. */
  decodeAudio?: boolean;
  /** Jitter buffer tuning (the clock rate comes from the codec). */
  jitterBuffer?: Omit<JitterBufferOptions, 'clockRate'>;
  /** Symmetric RTP latching options, or `false` to always send to the signalled address. */
  latching?: RtpLatchOptions | false;
  /** Minimum RTCP interval, ms (RFC 3550 §6.2: 5000). Lower values are for tests. */
  rtcpMinIntervalMs?: number;
  /** Offset from `now` to Unix wall-clock ms, for RTCP NTP timestamps. Default 0. */
  wallClockOffsetMs?: number;
  /** Duration of each DTMF digit sent, ms. Default 100. */
  dtmfDurationMs?: number;
  /** Silence between DTMF digits, ms. Default 100. */
  dtmfPauseMs?: number;
  /** Interval between RFC 4733 update packets, ms. Default 50 (RFC 4733 §2.5.1.2). */
  dtmfPacketIntervalMs?: number;
}

const CRYPTO_PROFILES: Readonly<Record<string, SrtpProfileName>> = {
  AES_CM_128_HMAC_SHA1_80: 'AES_CM_128_HMAC_SHA1_80',
  AES_CM_128_HMAC_SHA1_32: 'AES_CM_128_HMAC_SHA1_32',
  AEAD_AES_128_GCM: 'AEAD_AES_128_GCM',
};

/**
 * Decodes an SDES `a=crypto` attribute into SRTP keys: the `inline:` key-salt is the master key
 * followed by the master salt, base64 (RFC 4568 §6.1).
 * @throws {MediaConfigError} for an unsupported suite, an MKI, or a key-salt of the wrong length.
 */
export function srtpKeyFromCrypto(crypto: CryptoAttribute): SrtpKeyConfig {
  const profile = CRYPTO_PROFILES[crypto.suite];
  if (profile === undefined) throw new MediaConfigError('crypto', `unsupported suite ${crypto.suite}`);
  const key = crypto.keyParams[0];
  if (key === undefined || key.method !== 'inline')
    throw new MediaConfigError('crypto', 'needs an inline key');
  if (key.mki !== undefined) throw new MediaConfigError('crypto', 'MKI is not supported');
  const keySalt = Buffer.from(key.keySalt, 'base64');
  const saltLength = profile === 'AEAD_AES_128_GCM' ? 12 : 14;
  if (keySalt.length !== 16 + saltLength) {
    throw new MediaConfigError('crypto', `${crypto.suite} key-salt must be ${16 + saltLength} bytes`);
  }
  return {
    profile,
    masterKey: new Uint8Array(keySalt.subarray(0, 16)),
    masterSalt: new Uint8Array(keySalt.subarray(16)),
    encryptRtcp: !crypto.sessionParams.includes('UNENCRYPTED_SRTCP'),
  };
}

function sends(d: MediaDirection): boolean {
  return d === 'sendrecv' || d === 'sendonly';
}

function receives(d: MediaDirection): boolean {
  return d === 'sendrecv' || d === 'recvonly';
}

/**
 * The SSRC a media description announces (RFC 5576 §4.1 `a=ssrc:<ssrc-id> <attribute>`): the id
 * of its first well-formed `a=ssrc` line (an audio source normally has one; with an `ssrc-group`
 * the primary SSRC comes first, RFC 5576 §4.2). Malformed lines are skipped: the attribute is
 * optional, so a bad one costs only the SSRC-based routing, never the call.
 */
export function announcedSsrc(media: MediaDescription): number | undefined {
  for (const a of findAttributes(media.lines, 'ssrc')) {
    try {
      return parseSsrc(a.value ?? '').ssrc;
    } catch {
      // not an RFC 5576 ssrc line: try the next one
    }
  }
  return undefined;
}

/**
 * Turns one negotiated m-line (`negotiate`/`processAnswer` of `@tsvoip/sdp`) into a session config.
 * The direction combines both descriptions (RFC 3264 §6.1): we send only if we said we send and
 * the remote said it receives, and receive only if both said so the other way.
 * @param remote The remote's m-section of this m-line (the answer's for the offerer, the offer's for
 *   the answerer): its `a=ssrc` (RFC 5576) becomes `remoteSsrc`. Without it, none is set.
 * @throws {MediaConfigError} when the m-line was rejected or shares no codec this package implements.
 */
export function mediaConfigFromNegotiation(
  media: NegotiatedMedia,
  remote?: MediaDescription,
): MediaSessionConfig {
  if (!media.accepted) throw new MediaConfigError('accepted', `m-line ${media.index} was rejected (port 0)`);
  const codecs: MediaCodecConfig[] = [];
  for (const c of media.codecs) {
    const name = canonicalCodecName(c.name);
    if (name === undefined) continue;
    const codec: MediaCodecConfig = { payloadType: c.payloadType, name, clockRate: c.clockRate };
    if (c.remoteFmtp !== undefined) codec.remoteFmtp = c.remoteFmtp;
    codecs.push(codec);
  }
  if (codecs.length === 0) throw new MediaConfigError('codecs', 'no negotiated codec is supported');
  const sendDirection = sends(media.localDirection) && receives(media.remoteDirection);
  const receiveDirection = receives(media.localDirection) && sends(media.remoteDirection);
  const direction: MediaDirection = sendDirection
    ? receiveDirection
      ? 'sendrecv'
      : 'sendonly'
    : receiveDirection
      ? 'recvonly'
      : 'inactive';
  const config: MediaSessionConfig = {
    remoteAddress: media.remoteAddress,
    remotePort: media.remotePort,
    remoteRtcpAddress: media.remoteRtcpAddress,
    remoteRtcpPort: media.remoteRtcpPort,
    rtcpMux: media.rtcpMux,
    codecs,
    direction,
  };
  if (media.telephoneEvent !== undefined) {
    config.telephoneEvent = {
      payloadType: media.telephoneEvent.payloadType,
      clockRate: media.telephoneEvent.clockRate,
    };
  }
  if (media.remotePtime !== undefined) config.ptime = media.remotePtime;
  const remoteSsrc = remote === undefined ? undefined : announcedSsrc(remote);
  if (remoteSsrc !== undefined) config.remoteSsrc = remoteSsrc;
  if (media.crypto !== undefined) {
    config.srtp = {
      local: srtpKeyFromCrypto(media.crypto.local),
      remote: srtpKeyFromCrypto(media.crypto.remote),
    };
  } else if (media.proto.includes('SAVP')) {
    throw new MediaConfigError(
      'crypto',
      `${media.proto} without a negotiated a=crypto (DTLS-SRTP is not supported)`,
    );
  }
  return config;
}
