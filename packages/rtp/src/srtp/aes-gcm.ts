import { type Cipher, createCipheriv } from 'node:crypto';
import { Ghash } from './ghash.js';
import { equalConstantTime } from './packet-bytes.js';

/**
 * AES-128-GCM (NIST SP 800-38D) for SRTP/SRTCP (RFC 7714), built like AES-CM on one long-lived
 * AES-ECB cipher: per packet, the counter blocks J0, inc32(J0), ... are encrypted with a single
 * `update()` call, the payload is XORed with the keystream, and the tag is GHASH (see {@link Ghash})
 * XOR E_K(J0). Node would need a new `createCipheriv('aes-128-gcm')` per packet, since the IV changes
 * every packet; this avoids it.
 */
export class AesGcm {
  readonly #ecb: Cipher;
  readonly #ghash: Ghash;
  readonly #salt: Uint8Array;
  readonly #iv = new Uint8Array(12);
  readonly #tag = new Uint8Array(16);
  #counters = new Uint8Array(1520);

  /**
   * @param key session encryption key (16 bytes)
   * @param salt session salt (12 bytes)
   */
  constructor(key: Uint8Array, salt: Uint8Array) {
    this.#ecb = createCipheriv('aes-128-ecb', key, null);
    this.#ecb.setAutoPadding(false);
    // SP 800-38D §7.1: H = E_K(0^128).
    this.#ghash = new Ghash(this.#ecb.update(new Uint8Array(16)));
    this.#salt = salt.slice(0, 12);
  }

  /**
   * Sets the IV for an SRTP packet. RFC 7714 §8.1:
   * IV = (0x0000 || SSRC || ROC || SEQ) XOR salt.
   */
  rtpIv(ssrc: number, roc: number, seq: number): void {
    this.#setIv(ssrc >>> 16, ssrc & 0xffff, roc >>> 16, roc & 0xffff, seq);
  }

  /**
   * Sets the IV for an SRTCP packet. RFC 7714 §9.1:
   * IV = (0x0000 || SSRC || 0x0000 || 0 || SRTCP index) XOR salt, the E flag excluded.
   */
  rtcpIv(ssrc: number, index: number): void {
    this.#setIv(ssrc >>> 16, ssrc & 0xffff, 0, index >>> 16, index & 0xffff);
  }

  #setIv(w1: number, w2: number, w3: number, w4: number, w5: number): void {
    const iv = this.#iv;
    const s = this.#salt;
    iv[0] = s[0];
    iv[1] = s[1];
    iv[2] = s[2] ^ (w1 >>> 8);
    iv[3] = s[3] ^ (w1 & 0xff);
    iv[4] = s[4] ^ (w2 >>> 8);
    iv[5] = s[5] ^ (w2 & 0xff);
    iv[6] = s[6] ^ (w3 >>> 8);
    iv[7] = s[7] ^ (w3 & 0xff);
    iv[8] = s[8] ^ (w4 >>> 8);
    iv[9] = s[9] ^ (w4 & 0xff);
    iv[10] = s[10] ^ (w5 >>> 8);
    iv[11] = s[11] ^ (w5 & 0xff);
  }

  /**
   * E_K(J0) followed by the keystream for `len` bytes, where J0 = IV || 0^31 || 1 and block j of the
   * keystream is E_K(IV || j + 2) (SP 800-38D §7.1, 96-bit IV).
   */
  #keystream(len: number): Uint8Array {
    const blocks = 1 + ((len + 15) >>> 4);
    const size = blocks << 4;
    if (this.#counters.length < size) this.#counters = new Uint8Array(size);
    const c = this.#counters;
    const iv = this.#iv;
    for (let j = 0, o = 0; j < blocks; j++, o += 16) {
      for (let i = 0; i < 12; i++) c[o + i] = iv[i];
      const n = j + 1;
      c[o + 12] = n >>> 24;
      c[o + 13] = (n >>> 16) & 0xff;
      c[o + 14] = (n >>> 8) & 0xff;
      c[o + 15] = n & 0xff;
    }
    return this.#ecb.update(c.subarray(0, size));
  }

  /**
   * Encrypts `buf[start..end)` in place under the IV set last, authenticating `aad` too, and writes
   * the 16-byte tag at `buf[tagOff..)`.
   */
  seal(aad: Uint8Array, buf: Uint8Array, start: number, end: number, tagOff: number): void {
    const ks = this.#keystream(end - start);
    for (let i = start, k = 16; i < end; i++, k++) buf[i] ^= ks[k];
    const g = this.#ghash;
    g.reset();
    g.update(aad, 0, aad.length);
    g.update(buf, start, end);
    g.finish(aad.length, end - start, ks, 0, buf, tagOff);
  }

  /**
   * Verifies `tag` over `aad` and the ciphertext `src[start..end)` under the IV set last and, when
   * it verifies, writes the plaintext to `dst[dstOff..)`.
   *
   * @returns false when authentication fails (nothing is written then)
   */
  open(
    aad: Uint8Array,
    src: Uint8Array,
    start: number,
    end: number,
    tag: Uint8Array,
    dst: Uint8Array,
    dstOff: number,
  ): boolean {
    const ks = this.#keystream(end - start);
    const g = this.#ghash;
    g.reset();
    g.update(aad, 0, aad.length);
    g.update(src, start, end);
    const expected = this.#tag;
    g.finish(aad.length, end - start, ks, 0, expected, 0);
    if (tag.length !== 16 || !equalConstantTime(expected, 0, tag, 0, 16)) return false;
    for (let i = start, k = 16, o = dstOff; i < end; i++, k++, o++) dst[o] = src[i] ^ ks[k];
    return true;
  }
}
