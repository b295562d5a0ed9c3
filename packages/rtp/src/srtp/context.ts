import { AesCmKeystream } from './aes-cm.js';
import { AesGcm } from './aes-gcm.js';
import { SrtpAuthError, SrtpConfigError, SrtpError, SrtpPacketError, SrtpReplayError } from './errors.js';
import { HmacSha1 } from './hmac-sha1.js';
import { deriveSrtpSessionKeys, type SrtpSessionKeySet, type SrtpSessionKeys } from './kdf.js';
import {
  checkRtcpHeader,
  equalConstantTime,
  readUint32,
  rtpHeaderLength,
  writeUint32,
} from './packet-bytes.js';
import { resolveSrtpProfile, type SrtpProfileAlias, type SrtpProfileParams } from './profiles.js';
import { DEFAULT_REPLAY_WINDOW, MAX_REPLAY_WINDOW, ReplayWindow } from './replay-window.js';
import { estimateRoc } from './rollover.js';

/** Options of {@link createSrtpContext}. */
export interface SrtpContextOptions {
  /** Protection profile, by SDES or DTLS-SRTP name. */
  readonly profile: SrtpProfileAlias;
  /** Master key (16 bytes). */
  readonly masterKey: Uint8Array;
  /** Master salt (14 bytes for AES-CM, 12 for AEAD_AES_128_GCM). */
  readonly masterSalt: Uint8Array;
  /** Replay window size in packets, per SSRC, for SRTP and SRTCP (RFC 3711 §3.3.2). Default 64. */
  readonly replayWindowSize?: number;
  /** Whether `protectRtcp` encrypts (E flag set, RFC 3711 §3.4). Default true. */
  readonly encryptRtcp?: boolean;
}

/**
 * One SRTP cryptographic context (RFC 3711 §3.2) for one direction: protect what you send with one
 * context, unprotect what you receive with another one keyed with the peer's master key. It keeps per
 * SSRC the rollover counter, the SRTCP index and the replay windows, so one context serves all the
 * SSRCs of that direction.
 */
export interface SrtpContext {
  /** The profile in use (canonical SDES name). */
  readonly profile: SrtpProfileParams['name'];
  /**
   * Turns an RTP packet into an SRTP packet: payload encrypted, authentication tag appended.
   *
   * @throws SrtpPacketError for a malformed RTP packet
   */
  protectRtp(packet: Uint8Array): Uint8Array;
  /**
   * Verifies and decrypts an SRTP packet, returning the RTP packet.
   *
   * @throws SrtpAuthError when the tag does not verify
   * @throws SrtpReplayError for a replayed or too old packet
   * @throws SrtpPacketError for a malformed packet
   */
  unprotectRtp(packet: Uint8Array): Uint8Array;
  /**
   * Turns a (compound) RTCP packet into an SRTCP packet: encrypted after the first 8 bytes, E flag and
   * SRTCP index appended, then the authentication tag.
   *
   * @throws SrtpPacketError for a malformed RTCP packet
   */
  protectRtcp(packet: Uint8Array): Uint8Array;
  /**
   * Verifies and (when the E flag is set) decrypts an SRTCP packet, returning the RTCP packet.
   *
   * @throws SrtpAuthError when the tag does not verify
   * @throws SrtpReplayError for a replayed or too old SRTCP index
   * @throws SrtpPacketError for a malformed packet
   */
  unprotectRtcp(packet: Uint8Array): Uint8Array;
}

/**
 * Creates an SRTP/SRTCP context from a master key and salt (RFC 3711 §4.3 key derivation with
 * key_derivation_rate 0).
 *
 * @throws SrtpConfigError for an unknown profile, a wrong key/salt length or a bad window size
 */
export function createSrtpContext(options: SrtpContextOptions): SrtpContext {
  const profile = resolveSrtpProfile(options.profile);
  const keys = deriveSrtpSessionKeys(profile, options.masterKey, options.masterSalt);
  return new SrtpCryptoContext(profile, keys, options);
}

/**
 * Creates a context from already derived session keys (for the RFC 7714 test vectors, which are
 * given as session keys, or for an external key derivation).
 *
 * @throws SrtpConfigError for an unknown profile or a bad window size
 */
export function createSrtpContextFromSessionKeys(
  options: Omit<SrtpContextOptions, 'masterKey' | 'masterSalt'> & { readonly sessionKeys: SrtpSessionKeySet },
): SrtpContext {
  return new SrtpCryptoContext(resolveSrtpProfile(options.profile), options.sessionKeys, options);
}

/** The packet transform of one protocol (SRTP or SRTCP): AES-CM + HMAC-SHA1, or AES-GCM. */
interface Transform {
  readonly cm: AesCmKeystream | undefined;
  readonly hmac: HmacSha1 | undefined;
  readonly gcm: AesGcm | undefined;
}

function makeTransform(profile: SrtpProfileParams, keys: SrtpSessionKeys): Transform {
  if (profile.transform === 'aes-gcm') {
    return { cm: undefined, hmac: undefined, gcm: new AesGcm(keys.key, keys.salt) };
  }
  return { cm: new AesCmKeystream(keys.key, keys.salt), hmac: new HmacSha1(keys.authKey), gcm: undefined };
}

const MAX_SRTCP_INDEX = 0x7fffffff;

class SrtpCryptoContext implements SrtpContext {
  readonly profile: SrtpProfileParams['name'];
  readonly #rtpTagLength: number;
  readonly #rtcpTagLength: number;
  readonly #rtp: Transform;
  readonly #rtcp: Transform;
  readonly #windowSize: number;
  readonly #encryptRtcp: boolean;
  /** Sender: highest SRTP index sent, per SSRC. */
  readonly #sentRtpIndex = new Map<number, number>();
  /** Sender: next SRTCP index, per SSRC. */
  readonly #nextRtcpIndex = new Map<number, number>();
  /** Receiver: replay window (whose highest index also gives ROC and s_l), per SSRC. */
  readonly #rtpReplay = new Map<number, ReplayWindow>();
  readonly #rtcpReplay = new Map<number, ReplayWindow>();
  readonly #tag = new Uint8Array(20);
  readonly #aad = new Uint8Array(12);

  constructor(
    profile: SrtpProfileParams,
    keys: SrtpSessionKeySet,
    options: { readonly replayWindowSize?: number; readonly encryptRtcp?: boolean },
  ) {
    const size = options.replayWindowSize ?? DEFAULT_REPLAY_WINDOW;
    if (!Number.isInteger(size) || size < 1 || size > MAX_REPLAY_WINDOW) {
      throw new SrtpConfigError(`replayWindowSize must be an integer in 1..${MAX_REPLAY_WINDOW}`);
    }
    this.profile = profile.name;
    this.#rtpTagLength = profile.rtpTagLength;
    this.#rtcpTagLength = profile.rtcpTagLength;
    this.#rtp = makeTransform(profile, keys.rtp);
    this.#rtcp = makeTransform(profile, keys.rtcp);
    this.#windowSize = size;
    this.#encryptRtcp = options.encryptRtcp ?? true;
  }

  protectRtp(packet: Uint8Array): Uint8Array {
    const len = packet.length;
    const hdrLen = rtpHeaderLength(packet, len);
    const seq = (packet[2] << 8) | packet[3];
    const ssrc = readUint32(packet, 8);
    // RFC 3711 §3.3.1: the sender's ROC counts wraps of SEQ; estimated like the receiver's so a
    // packet re-sent out of order keeps its index.
    const sent = this.#sentRtpIndex.get(ssrc);
    let roc = 0;
    if (sent !== undefined) {
      roc = estimateRoc(Math.floor(sent / 0x10000), sent % 0x10000, seq);
      if (roc < 0) throw new SrtpPacketError('RTP sequence number precedes the first packet sent', ssrc);
      const index = roc * 0x10000 + seq;
      if (index > sent) this.#sentRtpIndex.set(ssrc, index);
    } else {
      this.#sentRtpIndex.set(ssrc, seq);
    }
    const tagLen = this.#rtpTagLength;
    const out = new Uint8Array(len + tagLen);
    out.set(packet);
    const t = this.#rtp;
    if (t.gcm !== undefined) {
      // RFC 7714 §8: the RTP header (with CSRCs and extension) is the AAD, the payload is encrypted.
      t.gcm.rtpIv(ssrc, roc, seq);
      t.gcm.seal(out.subarray(0, hdrLen), out, hdrLen, len, len);
    } else {
      // RFC 3711 §3.1, §4.2: encrypt the payload, then tag = HMAC(k_a, packet || ROC).
      t.cm!.xor(out, hdrLen, len, ssrc, roc, seq);
      t.hmac!.compute(out, len, roc >>> 0, out, len, tagLen);
    }
    return out;
  }

  unprotectRtp(packet: Uint8Array): Uint8Array {
    const tagLen = this.#rtpTagLength;
    const end = packet.length - tagLen;
    if (end < 12) throw new SrtpPacketError(`SRTP packet too short (${packet.length} bytes)`);
    const hdrLen = rtpHeaderLength(packet, end);
    const seq = (packet[2] << 8) | packet[3];
    const ssrc = readUint32(packet, 8);
    const replay = this.#rtpReplay.get(ssrc);
    let roc = 0;
    let index = seq;
    if (replay !== undefined) {
      // RFC 3711 §3.3.1 / Appendix A: guess the ROC from the highest index received.
      const highest = replay.highest;
      roc = estimateRoc(Math.floor(highest / 0x10000), highest % 0x10000, seq);
      if (roc < 0) throw new SrtpReplayError('rtp', ssrc, seq - 0x10000, 'too-old');
      index = roc * 0x10000 + seq;
      // RFC 3711 §3.3.2: replay check before authentication, list update after.
      const verdict = replay.check(index);
      if (verdict !== 'new') throw new SrtpReplayError('rtp', ssrc, index, verdict);
    }
    let out: Uint8Array;
    const t = this.#rtp;
    if (t.gcm !== undefined) {
      t.gcm.rtpIv(ssrc, roc, seq);
      out = new Uint8Array(end);
      out.set(packet.subarray(0, hdrLen));
      const aad = packet.subarray(0, hdrLen);
      if (!t.gcm.open(aad, packet, hdrLen, end, packet.subarray(end), out, hdrLen)) {
        throw new SrtpAuthError('rtp', ssrc);
      }
    } else {
      const tag = this.#tag;
      t.hmac!.compute(packet, end, roc >>> 0, tag, 0, tagLen);
      if (!equalConstantTime(tag, 0, packet, end, tagLen)) throw new SrtpAuthError('rtp', ssrc);
      out = packet.slice(0, end);
      t.cm!.xor(out, hdrLen, end, ssrc, roc, seq);
    }
    if (replay !== undefined) replay.accept(index);
    else this.#newWindow(this.#rtpReplay, ssrc).accept(index);
    return out;
  }

  protectRtcp(packet: Uint8Array): Uint8Array {
    const len = packet.length;
    checkRtcpHeader(packet, len);
    const ssrc = readUint32(packet, 4);
    // RFC 3711 §3.4: the SRTCP index counts from 0 per SSRC; 31 bits, then the key must change.
    const index = this.#nextRtcpIndex.get(ssrc) ?? 0;
    if (index > MAX_SRTCP_INDEX) throw new SrtpError('SRTCP index exhausted: re-key the session', ssrc);
    this.#nextRtcpIndex.set(ssrc, index + 1);
    const encrypt = this.#encryptRtcp;
    const word = encrypt ? (0x80000000 | index) >>> 0 : index;
    const tagLen = this.#rtcpTagLength;
    const out = new Uint8Array(len + 4 + tagLen);
    out.set(packet);
    const t = this.#rtcp;
    if (t.gcm !== undefined) {
      // RFC 7714 §9: header(8) || ciphertext || tag || E||index; AAD = header(8) || E||index.
      // With E = 0 (§9.2 / §17.3) the whole packet is AAD and nothing is encrypted.
      t.gcm.rtcpIv(ssrc, index);
      let aad: Uint8Array;
      if (encrypt) {
        aad = this.#aad;
        aad.set(packet.subarray(0, 8));
        writeUint32(aad, 8, word);
      } else {
        aad = new Uint8Array(len + 4);
        aad.set(packet);
        writeUint32(aad, len, word);
      }
      t.gcm.seal(aad, out, encrypt ? 8 : len, len, len);
      writeUint32(out, len + tagLen, word);
    } else {
      // RFC 3711 §3.4: encrypt after the first 8 bytes, append E||index, tag over all of it.
      if (encrypt) t.cm!.xor(out, 8, len, ssrc, index >>> 16, index & 0xffff);
      writeUint32(out, len, word);
      t.hmac!.compute(out, len + 4, -1, out, len + 4, tagLen);
    }
    return out;
  }

  unprotectRtcp(packet: Uint8Array): Uint8Array {
    const tagLen = this.#rtcpTagLength;
    const len = packet.length;
    if (len < 8 + 4 + tagLen) throw new SrtpPacketError(`SRTCP packet too short (${len} bytes)`);
    checkRtcpHeader(packet, len);
    const ssrc = readUint32(packet, 4);
    const t = this.#rtcp;
    // AES-CM: ... || E||index || tag;  AES-GCM (RFC 7714 §9): ... || tag || E||index.
    const wordOff = t.gcm !== undefined ? len - 4 : len - tagLen - 4;
    const word = readUint32(packet, wordOff);
    const encrypted = word >>> 31 === 1;
    const index = word & MAX_SRTCP_INDEX;
    const replay = this.#rtcpReplay.get(ssrc);
    if (replay !== undefined) {
      const verdict = replay.check(index);
      if (verdict !== 'new') throw new SrtpReplayError('rtcp', ssrc, index, verdict);
    }
    let out: Uint8Array;
    if (t.gcm !== undefined) {
      const tagOff = len - 4 - tagLen;
      t.gcm.rtcpIv(ssrc, index);
      const tag = packet.subarray(tagOff, len - 4);
      if (encrypted) {
        const aad = this.#aad;
        aad.set(packet.subarray(0, 8));
        writeUint32(aad, 8, word);
        out = new Uint8Array(tagOff);
        out.set(packet.subarray(0, 8));
        if (!t.gcm.open(aad, packet, 8, tagOff, tag, out, 8)) throw new SrtpAuthError('rtcp', ssrc);
      } else {
        const aad = new Uint8Array(tagOff + 4);
        aad.set(packet.subarray(0, tagOff));
        writeUint32(aad, tagOff, word);
        if (!t.gcm.open(aad, packet, 0, 0, tag, packet, 0)) throw new SrtpAuthError('rtcp', ssrc);
        out = packet.slice(0, tagOff);
      }
    } else {
      const authEnd = len - tagLen;
      const tag = this.#tag;
      t.hmac!.compute(packet, authEnd, -1, tag, 0, tagLen);
      if (!equalConstantTime(tag, 0, packet, authEnd, tagLen)) throw new SrtpAuthError('rtcp', ssrc);
      out = packet.slice(0, wordOff);
      if (encrypted) t.cm!.xor(out, 8, wordOff, ssrc, index >>> 16, index & 0xffff);
    }
    (replay ?? this.#newWindow(this.#rtcpReplay, ssrc)).accept(index);
    return out;
  }

  #newWindow(map: Map<number, ReplayWindow>, ssrc: number): ReplayWindow {
    const w = new ReplayWindow(this.#windowSize);
    map.set(ssrc, w);
    return w;
  }
}
