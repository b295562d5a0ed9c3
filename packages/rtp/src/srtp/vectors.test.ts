import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AesCmKeystream } from './aes-cm.js';
import { createSrtpContextFromSessionKeys, type SrtpContext } from './context.js';
import { SrtpAuthError } from './errors.js';
import { deriveSessionKey, deriveSrtpSessionKeys, KdfLabel } from './kdf.js';
import { resolveSrtpProfile } from './profiles.js';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('RFC 3711 Appendix B.2: AES-CM keystream', () => {
  it('produces the tabulated keystream at the start and end of the 65282-block segment', () => {
    // RFC 3711 §B.2: session key, salt (already shifted), ROC, SEQ and SSRC all as given.
    const ks = new AesCmKeystream(
      hex('2B7E151628AED2A6ABF7158809CF4F3C'),
      hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD'),
    );
    const buf = new Uint8Array(65282 * 16);
    ks.xor(buf, 0, buf.length, 0, 0, 0);
    assert.equal(
      toHex(buf.subarray(0, 48)),
      'e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab41e95b3bb0a2e8dd477901e4fca894c0',
    );
    assert.equal(
      toHex(buf.subarray(buf.length - 48)),
      'ec8cdf7398607cb0f2d21675ea9ea1e4362b7c3c6773516318a077d7fc5073ae6a2cc3787889374fbeb4c81b17ba6c44',
    );
  });

  it('is its own inverse (XOR twice restores the data)', () => {
    const ks = new AesCmKeystream(
      hex('2B7E151628AED2A6ABF7158809CF4F3C'),
      hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD'),
    );
    const data = new Uint8Array(100).map((_, i) => i);
    const copy = data.slice();
    ks.xor(copy, 3, 100, 0x12345678, 7, 9);
    assert.notDeepEqual(copy, data);
    ks.xor(copy, 3, 100, 0x12345678, 7, 9);
    assert.deepEqual(copy, data);
  });
});

describe('RFC 3711 Appendix B.3: key derivation (kdr = 0)', () => {
  const masterKey = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
  const masterSalt = hex('0EC675AD498AFEEBB6960B3AABE6');

  it('derives the cipher key, cipher salt and the 94-byte auth key', () => {
    assert.equal(
      toHex(deriveSessionKey(masterKey, masterSalt, KdfLabel.rtpEncryption, 16)),
      'c61e7a93744f39ee10734afe3ff7a087',
    );
    assert.equal(
      toHex(deriveSessionKey(masterKey, masterSalt, KdfLabel.rtpSalt, 14)),
      '30cbbc08863d8c85d49db34a9ae1',
    );
    assert.equal(
      toHex(deriveSessionKey(masterKey, masterSalt, KdfLabel.rtpAuthentication, 94)),
      'cebe321f6ff7716b6fd4ab49af256a15' +
        '6d38baa48f0a0acf3c34e2359e6cdbce' +
        'e049646c43d9327ad175578ef7227098' +
        '6371c10c9a369ac2f94a8c5fbcdddc25' +
        '6d6e919a48b610ef17c2041e47403576' +
        '6b68642c59bbfc2f34db60dbdfb2',
    );
  });

  it('gives the same keys through deriveSrtpSessionKeys for AES_CM_128_HMAC_SHA1_80', () => {
    const keys = deriveSrtpSessionKeys(resolveSrtpProfile('AES_CM_128_HMAC_SHA1_80'), masterKey, masterSalt);
    assert.equal(toHex(keys.rtp.key), 'c61e7a93744f39ee10734afe3ff7a087');
    assert.equal(toHex(keys.rtp.salt), '30cbbc08863d8c85d49db34a9ae1');
    assert.equal(toHex(keys.rtp.authKey), 'cebe321f6ff7716b6fd4ab49af256a156d38baa4');
    // SRTCP keys use labels 3..5 (RFC 3711 §4.3.2): they must differ from the SRTP ones.
    assert.notEqual(toHex(keys.rtcp.key), toHex(keys.rtp.key));
    assert.notEqual(toHex(keys.rtcp.authKey), toHex(keys.rtp.authKey));
  });
});

// RFC 7714 §16 / §17: the vectors are given with the session key and salt directly (no KDF).
const GCM_KEY = hex('000102030405060708090a0b0c0d0e0f');
const GCM_SALT = hex('517569642070726f2071756f');
const gcmContext = (encryptRtcp = true): SrtpContext =>
  createSrtpContextFromSessionKeys({
    profile: 'AEAD_AES_128_GCM',
    encryptRtcp,
    sessionKeys: {
      rtp: { key: GCM_KEY, salt: GCM_SALT, authKey: new Uint8Array(0) },
      rtcp: { key: GCM_KEY, salt: GCM_SALT, authKey: new Uint8Array(0) },
    },
  });

const RTP = hex(
  '8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465 73207472 6573',
);
const SRTP_GCM = hex(
  '8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b ' +
    '36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce',
);
const RTCP = hex(
  '81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef',
);
const SRTCP_GCM = hex(
  '81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda ' +
    '4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade 800005d4',
);
const SRTCP_GCM_TAG_ONLY = hex(
  '81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef ' +
    '841dd968 3dd78ec9 2ae58790 125f62b3 000005d4',
);

/** A sender whose next SRTCP index for SSRC "Mars" is 0x5d4, the index of the RFC 7714 §17 vectors. */
function senderAtIndex5d4(encryptRtcp: boolean): SrtpContext {
  const ctx = gcmContext(encryptRtcp);
  for (let i = 0; i < 0x5d4; i++) ctx.protectRtcp(RTCP);
  return ctx;
}

describe('RFC 7714 §16.1: SRTP AEAD_AES_128_GCM', () => {
  it('§16.1.1 encryption yields the encrypted and tagged packet', () => {
    assert.equal(toHex(gcmContext().protectRtp(RTP)), toHex(SRTP_GCM));
  });

  it('§16.1.2 decryption recovers the RTP packet', () => {
    assert.equal(toHex(gcmContext().unprotectRtp(SRTP_GCM)), toHex(RTP));
  });

  it('rejects the vector with a flipped tag bit', () => {
    const bad = SRTP_GCM.slice();
    bad[bad.length - 1] ^= 1;
    assert.throws(() => gcmContext().unprotectRtp(bad), SrtpAuthError);
  });
});

describe('RFC 7714 §17: SRTCP AEAD_AES_128_GCM', () => {
  it('§17.1 encryption (E = 1, index 0x5d4) yields the published packet', () => {
    assert.equal(toHex(senderAtIndex5d4(true).protectRtcp(RTCP)), toHex(SRTCP_GCM));
  });

  it('§17.1 decryption recovers the RTCP packet', () => {
    assert.equal(toHex(gcmContext().unprotectRtcp(SRTCP_GCM)), toHex(RTCP));
  });

  it('§17.3 tagging only (E = 0) yields the published packet and verifies back', () => {
    assert.equal(toHex(senderAtIndex5d4(false).protectRtcp(RTCP)), toHex(SRTCP_GCM_TAG_ONLY));
    assert.equal(toHex(gcmContext().unprotectRtcp(SRTCP_GCM_TAG_ONLY)), toHex(RTCP));
  });

  it('rejects the §17.1 packet with a flipped ciphertext bit', () => {
    const bad = SRTCP_GCM.slice();
    bad[10] ^= 0x40;
    assert.throws(() => gcmContext().unprotectRtcp(bad), SrtpAuthError);
  });
});
