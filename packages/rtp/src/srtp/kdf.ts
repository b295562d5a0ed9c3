import { createCipheriv } from 'node:crypto';
import { SrtpConfigError } from './errors.js';
import type { SrtpProfileParams } from './profiles.js';

/** RFC 3711 §4.3.2: key derivation labels. */
export const KdfLabel = {
  rtpEncryption: 0x00,
  rtpAuthentication: 0x01,
  rtpSalt: 0x02,
  rtcpEncryption: 0x03,
  rtcpAuthentication: 0x04,
  rtcpSalt: 0x05,
} as const;

/** The session keys for one direction of one protocol (SRTP or SRTCP). */
export interface SrtpSessionKeys {
  /** Session encryption key k_e. */
  readonly key: Uint8Array;
  /** Session salt k_s (14 bytes for AES-CM, 12 for AES-GCM). */
  readonly salt: Uint8Array;
  /** Session authentication key k_a (20 bytes for HMAC-SHA1, empty for AEAD). */
  readonly authKey: Uint8Array;
}

/** Session keys for SRTP and SRTCP, derived from one master key and salt. */
export interface SrtpSessionKeySet {
  /** Keys protecting RTP. */
  readonly rtp: SrtpSessionKeys;
  /** Keys protecting RTCP. */
  readonly rtcp: SrtpSessionKeys;
}

/**
 * The AES-CM PRF of the SRTP key derivation (RFC 3711 §4.3.1, §4.3.3) with key_derivation_rate 0,
 * so (index DIV kdr) is zero: x = (label || r) XOR master_salt, output = AES-CM(master_key, x * 2^16)
 * truncated to `length` bytes.
 *
 * A 12-byte AES-GCM master salt (RFC 7714 §11) is placed in the 14-byte salt field left-aligned,
 * zero-padded, as libsrtp, pion and werift do.
 */
export function deriveSessionKey(
  masterKey: Uint8Array,
  masterSalt: Uint8Array,
  label: number,
  length: number,
): Uint8Array {
  if (length === 0) return new Uint8Array(0);
  const blocks = Math.ceil(length / 16);
  const input = new Uint8Array(blocks * 16);
  for (let b = 0; b < blocks; b++) {
    const off = b * 16;
    input.set(masterSalt.subarray(0, 14), off);
    // RFC 3711 §4.3.1: the label sits just before the 48-bit r, i.e. byte 7 of the 14-byte salt.
    input[off + 7] ^= label;
    // RFC 3711 §4.3.3: x * 2^16, then the AES-CM block counter in the low 16 bits.
    input[off + 14] = b >>> 8;
    input[off + 15] = b & 0xff;
  }
  const ecb = createCipheriv(`aes-${masterKey.length * 8}-ecb`, masterKey, null);
  ecb.setAutoPadding(false);
  const out = ecb.update(input);
  return new Uint8Array(out.buffer, out.byteOffset, length).slice();
}

/**
 * Derives the six session keys of RFC 3711 §4.3 (labels 0..5) for a profile.
 *
 * @throws SrtpConfigError when the master key or salt length does not fit the profile
 */
export function deriveSrtpSessionKeys(
  profile: SrtpProfileParams,
  masterKey: Uint8Array,
  masterSalt: Uint8Array,
): SrtpSessionKeySet {
  if (masterKey.length !== profile.keyLength) {
    throw new SrtpConfigError(
      `${profile.name}: master key is ${masterKey.length} bytes, expected ${profile.keyLength}`,
    );
  }
  if (masterSalt.length !== profile.saltLength) {
    throw new SrtpConfigError(
      `${profile.name}: master salt is ${masterSalt.length} bytes, expected ${profile.saltLength}`,
    );
  }
  const salt14 = new Uint8Array(14);
  salt14.set(masterSalt);
  const d = (label: number, len: number) => deriveSessionKey(masterKey, salt14, label, len);
  return {
    rtp: {
      key: d(KdfLabel.rtpEncryption, profile.keyLength),
      salt: d(KdfLabel.rtpSalt, profile.saltLength),
      authKey: d(KdfLabel.rtpAuthentication, profile.authKeyLength),
    },
    rtcp: {
      key: d(KdfLabel.rtcpEncryption, profile.keyLength),
      salt: d(KdfLabel.rtcpSalt, profile.saltLength),
      authKey: d(KdfLabel.rtcpAuthentication, profile.authKeyLength),
    },
  };
}
