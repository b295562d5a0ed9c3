import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AesGcm } from './aes-gcm.js';

/** The reference: node's own AES-128-GCM with a 96-bit IV. */
function nodeSeal(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, plain: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-128-gcm', key, iv);
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return new Uint8Array(Buffer.concat([ct, c.getAuthTag()]));
}

// With a zero salt, rtpIv(ssrc, roc, seq) sets IV = 0x0000 || ssrc || roc || seq (RFC 7714 §8.1).
function ivOf(ssrc: number, roc: number, seq: number): Uint8Array {
  const iv = new Uint8Array(12);
  const v = new DataView(iv.buffer);
  v.setUint32(2, ssrc);
  v.setUint32(6, roc);
  v.setUint16(10, seq);
  return iv;
}

describe('AesGcm (ECB keystream + JavaScript GHASH)', () => {
  it('seals exactly like node aes-128-gcm for any key, IV, AAD and plaintext (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.uint8Array({ maxLength: 70 }),
        fc.uint8Array({ maxLength: 300 }),
        (key, ssrc, roc, seq, aad, plain) => {
          const gcm = new AesGcm(key, new Uint8Array(12));
          gcm.rtpIv(ssrc, roc, seq);
          const buf = new Uint8Array(plain.length + 16);
          buf.set(plain);
          gcm.seal(aad, buf, 0, plain.length, plain.length);
          assert.deepEqual(buf, nodeSeal(key, ivOf(ssrc, roc, seq), aad, plain));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('opens what node sealed, and refuses any flipped bit in AAD, ciphertext or tag (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.nat(),
        (key, aad, plain, at) => {
          const gcm = new AesGcm(key, new Uint8Array(12));
          gcm.rtpIv(1, 2, 3);
          const sealed = nodeSeal(key, ivOf(1, 2, 3), aad, plain);
          const ct = sealed.subarray(0, plain.length);
          const out = new Uint8Array(plain.length);
          assert.equal(gcm.open(aad, ct, 0, ct.length, sealed.subarray(plain.length), out, 0), true);
          assert.deepEqual(out, plain);
          const all = new Uint8Array([...aad, ...sealed]);
          all[at % all.length] ^= 0x01;
          const badAad = all.subarray(0, aad.length);
          const badCt = all.subarray(aad.length, aad.length + plain.length);
          const badTag = all.subarray(aad.length + plain.length);
          assert.equal(gcm.open(badAad, badCt, 0, badCt.length, badTag, out, 0), false);
        },
      ),
      { numRuns: 200 },
    );
  });
});
