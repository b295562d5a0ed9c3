import { SrtpConfigError } from './errors.js';

/** The SRTP protection profiles this package implements, by their SDES crypto-suite name. */
export type SrtpProfileName = 'AES_CM_128_HMAC_SHA1_80' | 'AES_CM_128_HMAC_SHA1_32' | 'AEAD_AES_128_GCM';

/**
 * A profile name as accepted by {@link resolveSrtpProfile}: the SDES crypto-suite name
 * (RFC 4568 §6.2, RFC 7714 §14.1) or the DTLS-SRTP protection profile name (RFC 5764 §4.1.2,
 * RFC 7714 §14.2).
 */
export type SrtpProfileAlias =
  | SrtpProfileName
  | 'SRTP_AES128_CM_HMAC_SHA1_80'
  | 'SRTP_AES128_CM_HMAC_SHA1_32'
  | 'SRTP_AEAD_AES_128_GCM';

/** The transform parameters of one profile. */
export interface SrtpProfileParams {
  /** Canonical (SDES) name. */
  readonly name: SrtpProfileName;
  /** `'aes-cm'`: AES-128 counter mode + HMAC-SHA1 (RFC 3711); `'aes-gcm'`: AEAD (RFC 7714). */
  readonly transform: 'aes-cm' | 'aes-gcm';
  /** Master (and session) cipher key length in bytes. */
  readonly keyLength: number;
  /** Master (and session) salt length in bytes: 14 for AES-CM, 12 for AES-GCM. */
  readonly saltLength: number;
  /** Session authentication key length in bytes (HMAC-SHA1: 20; AEAD: 0). */
  readonly authKeyLength: number;
  /** SRTP authentication tag length in bytes. */
  readonly rtpTagLength: number;
  /** SRTCP authentication tag length in bytes. */
  readonly rtcpTagLength: number;
}

// RFC 3711 §8.2 / RFC 5764 §4.1.2: the _32 profile shortens the SRTP tag only; SRTCP keeps 80 bits.
const AES_CM_80: SrtpProfileParams = {
  name: 'AES_CM_128_HMAC_SHA1_80',
  transform: 'aes-cm',
  keyLength: 16,
  saltLength: 14,
  authKeyLength: 20,
  rtpTagLength: 10,
  rtcpTagLength: 10,
};
const AES_CM_32: SrtpProfileParams = { ...AES_CM_80, name: 'AES_CM_128_HMAC_SHA1_32', rtpTagLength: 4 };
// RFC 7714 §12 / §14.2: 96-bit salt, 128-bit tag for SRTP and SRTCP.
const AEAD_GCM_128: SrtpProfileParams = {
  name: 'AEAD_AES_128_GCM',
  transform: 'aes-gcm',
  keyLength: 16,
  saltLength: 12,
  authKeyLength: 0,
  rtpTagLength: 16,
  rtcpTagLength: 16,
};

/**
 * Looks up the parameters of a profile by its SDES or DTLS-SRTP name.
 *
 * @throws SrtpConfigError for an unknown name
 */
export function resolveSrtpProfile(name: SrtpProfileAlias): SrtpProfileParams {
  switch (name) {
    case 'AES_CM_128_HMAC_SHA1_80':
    case 'SRTP_AES128_CM_HMAC_SHA1_80':
      return AES_CM_80;
    case 'AES_CM_128_HMAC_SHA1_32':
    case 'SRTP_AES128_CM_HMAC_SHA1_32':
      return AES_CM_32;
    case 'AEAD_AES_128_GCM':
    case 'SRTP_AEAD_AES_128_GCM':
      return AEAD_GCM_128;
    default:
      throw new SrtpConfigError(`unknown SRTP profile ${JSON.stringify(name as string)}`);
  }
}
