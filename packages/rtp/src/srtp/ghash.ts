// GHASH of AES-GCM (NIST SP 800-38D §6.4) in JavaScript, by Shoup's 8-bit table method: a per-key
// table M[b] = b · H (256 entries, 4 KiB) and a key-independent reduction table, so a block multiply
// is 16 steps of "shift Z by one byte, reduce, XOR M[byte]", with no allocation.

/** R8[b]: the reduction of the byte b shifted out of Z when multiplying by x^8 (lands in word 0). */
const R8: Int32Array = (() => {
  const r = new Int32Array(256);
  for (let b = 0; b < 256; b++) {
    let v0 = 0;
    let v1 = 0;
    let v2 = 0;
    let v3 = b;
    for (let k = 0; k < 8; k++) {
      const carry = v3 & 1;
      v3 = (v3 >>> 1) | (v2 << 31);
      v2 = (v2 >>> 1) | (v1 << 31);
      v1 = (v1 >>> 1) | (v0 << 31);
      v0 = (v0 >>> 1) ^ (carry ? 0xe1000000 : 0);
    }
    r[b] = v0; // v1..v3 are zero: all eight bits left the low byte and only R (top bits) remains
  }
  return r;
})();

/**
 * GHASH_H accumulator. `reset()`, then `update()` with the AAD and the ciphertext (each zero-padded to
 * a block, as GCM requires), then `finish()` with their lengths.
 */
export class Ghash {
  readonly #m = new Int32Array(256 * 4);
  #y0 = 0;
  #y1 = 0;
  #y2 = 0;
  #y3 = 0;

  /**
   * @param h the hash subkey H = AES_K(0^128), 16 bytes
   */
  constructor(h: Uint8Array) {
    // P[j] = H · x^j for j = 0..7 (GCM bit order: bit 0 is the MSB of byte 0; multiplying by x is a
    // right shift reduced by R = 0xE1 || 0^120, SP 800-38D §6.3). M[b] = XOR of P[j] over b's bits.
    const p = new Int32Array(8 * 4);
    let v0 = (h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3];
    let v1 = (h[4] << 24) | (h[5] << 16) | (h[6] << 8) | h[7];
    let v2 = (h[8] << 24) | (h[9] << 16) | (h[10] << 8) | h[11];
    let v3 = (h[12] << 24) | (h[13] << 16) | (h[14] << 8) | h[15];
    for (let j = 0; j < 8; j++) {
      p[j * 4] = v0;
      p[j * 4 + 1] = v1;
      p[j * 4 + 2] = v2;
      p[j * 4 + 3] = v3;
      const carry = v3 & 1;
      v3 = (v3 >>> 1) | (v2 << 31);
      v2 = (v2 >>> 1) | (v1 << 31);
      v1 = (v1 >>> 1) | (v0 << 31);
      v0 = (v0 >>> 1) ^ (carry ? 0xe1000000 : 0);
    }
    const m = this.#m;
    for (let b = 1; b < 256; b++) {
      const low = b & -b;
      const j = 7 - (31 - Math.clz32(low));
      const dst = b * 4;
      const src = (b ^ low) * 4;
      m[dst] = m[src] ^ p[j * 4];
      m[dst + 1] = m[src + 1] ^ p[j * 4 + 1];
      m[dst + 2] = m[src + 2] ^ p[j * 4 + 2];
      m[dst + 3] = m[src + 3] ^ p[j * 4 + 3];
    }
  }

  /** Starts a new GHASH computation (Y = 0). */
  reset(): void {
    this.#y0 = 0;
    this.#y1 = 0;
    this.#y2 = 0;
    this.#y3 = 0;
  }

  /** Absorbs `data[start..end)`, zero-padding the last partial block. */
  update(data: Uint8Array, start: number, end: number): void {
    let off = start;
    while (off < end) {
      let x0 = 0;
      let x1 = 0;
      let x2 = 0;
      let x3 = 0;
      if (end - off >= 16) {
        x0 = (data[off] << 24) | (data[off + 1] << 16) | (data[off + 2] << 8) | data[off + 3];
        x1 = (data[off + 4] << 24) | (data[off + 5] << 16) | (data[off + 6] << 8) | data[off + 7];
        x2 = (data[off + 8] << 24) | (data[off + 9] << 16) | (data[off + 10] << 8) | data[off + 11];
        x3 = (data[off + 12] << 24) | (data[off + 13] << 16) | (data[off + 14] << 8) | data[off + 15];
        off += 16;
      } else {
        for (let i = 0; off < end; i++, off++) {
          const v = data[off] << (24 - (i & 3) * 8);
          if (i < 4) x0 |= v;
          else if (i < 8) x1 |= v;
          else if (i < 12) x2 |= v;
          else x3 |= v;
        }
      }
      this.#block(x0, x1, x2, x3);
    }
  }

  /**
   * Absorbs the length block len(A) || len(C) (in bits) and writes GHASH XOR `mask[maskOff..+16)`
   * (E_K(J0) for GCM) to `out[outOff..outOff+16)`.
   */
  finish(
    aadBytes: number,
    dataBytes: number,
    mask: Uint8Array,
    maskOff: number,
    out: Uint8Array,
    outOff: number,
  ): void {
    // Lengths of SRTP packets fit in 32 bits of bits, so the high words are zero.
    this.#block(0, aadBytes * 8, 0, dataBytes * 8);
    for (let i = 0; i < 16; i++) {
      const w = i < 4 ? this.#y0 : i < 8 ? this.#y1 : i < 12 ? this.#y2 : this.#y3;
      out[outOff + i] = ((w >>> (24 - (i & 3) * 8)) & 0xff) ^ mask[maskOff + i];
    }
  }

  /** Y = (Y XOR X) · H, Horner over the bytes of Y XOR X from the last to the first. */
  #block(x0: number, x1: number, x2: number, x3: number): void {
    const a = this.#y0 ^ x0;
    const b = this.#y1 ^ x1;
    const c = this.#y2 ^ x2;
    const d = this.#y3 ^ x3;
    const m = this.#m;
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    let z3 = 0;
    for (let k = 15; k >= 0; k--) {
      const word = k < 4 ? a : k < 8 ? b : k < 12 ? c : d;
      const byte = (word >>> (24 - (k & 3) * 8)) & 0xff;
      // Z = Z · x^8: shift right one byte, reduce the byte that fell off.
      const out = z3 & 0xff;
      z3 = (z3 >>> 8) | (z2 << 24);
      z2 = (z2 >>> 8) | (z1 << 24);
      z1 = (z1 >>> 8) | (z0 << 24);
      z0 = (z0 >>> 8) ^ R8[out];
      const e = byte * 4;
      z0 ^= m[e];
      z1 ^= m[e + 1];
      z2 ^= m[e + 2];
      z3 ^= m[e + 3];
    }
    this.#y0 = z0;
    this.#y1 = z1;
    this.#y2 = z2;
    this.#y3 = z3;
  }
}
