import { type Cipher, createCipheriv } from 'node:crypto';

/**
 * AES-128 counter mode as SRTP uses it (RFC 3711 §4.1.1), built on one long-lived AES-ECB cipher:
 * the counter blocks of a packet are written into a reused buffer, encrypted with a single
 * `update()` call, and XORed into the payload. No cipher is created per packet.
 */
export class AesCmKeystream {
  readonly #ecb: Cipher;
  readonly #salt: Uint8Array;
  #counters: Uint8Array;

  /**
   * @param key session encryption key k_e (16 bytes)
   * @param salt session salt k_s (14 bytes)
   */
  constructor(key: Uint8Array, salt: Uint8Array) {
    this.#ecb = createCipheriv('aes-128-ecb', key, null);
    this.#ecb.setAutoPadding(false);
    this.#salt = salt.slice(0, 14);
    this.#counters = new Uint8Array(1504);
  }

  /**
   * XORs the keystream for packet (`ssrc`, index) into `buf[start..end)` in place. The 48-bit index
   * is given as its high 32 bits (`indexHigh`: the ROC for SRTP) and low 16 bits (`indexLow`: the
   * sequence number). RFC 3711 §4.1.1:
   * IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), block j encrypts IV + j.
   */
  xor(buf: Uint8Array, start: number, end: number, ssrc: number, indexHigh: number, indexLow: number): void {
    const len = end - start;
    if (len <= 0) return;
    const blocks = (len + 15) >>> 4;
    const size = blocks << 4;
    if (this.#counters.length < size) this.#counters = new Uint8Array(size);
    const c = this.#counters;
    const s = this.#salt;
    const b0 = s[0];
    const b1 = s[1];
    const b2 = s[2];
    const b3 = s[3];
    const b4 = s[4] ^ (ssrc >>> 24);
    const b5 = s[5] ^ ((ssrc >>> 16) & 0xff);
    const b6 = s[6] ^ ((ssrc >>> 8) & 0xff);
    const b7 = s[7] ^ (ssrc & 0xff);
    const b8 = s[8] ^ (indexHigh >>> 24);
    const b9 = s[9] ^ ((indexHigh >>> 16) & 0xff);
    const b10 = s[10] ^ ((indexHigh >>> 8) & 0xff);
    const b11 = s[11] ^ (indexHigh & 0xff);
    const b12 = s[12] ^ ((indexLow >>> 8) & 0xff);
    const b13 = s[13] ^ (indexLow & 0xff);
    // The low 16 bits of IV are zero, so block j (< 2^16 for any datagram) never carries.
    for (let j = 0, o = 0; j < blocks; j++, o += 16) {
      c[o] = b0;
      c[o + 1] = b1;
      c[o + 2] = b2;
      c[o + 3] = b3;
      c[o + 4] = b4;
      c[o + 5] = b5;
      c[o + 6] = b6;
      c[o + 7] = b7;
      c[o + 8] = b8;
      c[o + 9] = b9;
      c[o + 10] = b10;
      c[o + 11] = b11;
      c[o + 12] = b12;
      c[o + 13] = b13;
      c[o + 14] = j >>> 8;
      c[o + 15] = j & 0xff;
    }
    const ks = this.#ecb.update(c.subarray(0, size));
    for (let i = 0; i < len; i++) buf[start + i] ^= ks[i];
  }
}
