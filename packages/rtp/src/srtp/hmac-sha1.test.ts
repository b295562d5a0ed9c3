import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HmacSha1 } from './hmac-sha1.js';

function tagOf(key: Uint8Array, data: Uint8Array, suffix: number, len = 20): string {
  const out = new Uint8Array(len);
  new HmacSha1(key).compute(data, data.length, suffix, out, 0, len);
  return Buffer.from(out).toString('hex');
}

describe('HmacSha1', () => {
  it('matches RFC 2202 test case 1', () => {
    const key = new Uint8Array(20).fill(0x0b);
    assert.equal(
      tagOf(key, new TextEncoder().encode('Hi There'), -1),
      'b617318655057264e28bc0b6fb378c8ef146be00',
    );
  });

  it('equals node createHmac over data || 32-bit suffix for any key, data and suffix (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 100 }),
        fc.uint8Array({ minLength: 0, maxLength: 400 }),
        fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: -1 }),
        (key, data, suffix) => {
          const h = createHmac('sha1', key).update(data);
          if (suffix >= 0) {
            const s = Buffer.alloc(4);
            s.writeUInt32BE(suffix);
            h.update(s);
          }
          assert.equal(tagOf(key, data, suffix), h.digest('hex'));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('can be reused: the same instance gives the same tag twice, and truncates to the tag length', () => {
    const h = new HmacSha1(new Uint8Array(20).fill(7));
    const data = new Uint8Array(172).fill(3);
    const a = new Uint8Array(10);
    const b = new Uint8Array(12).fill(0xee);
    h.compute(data, 172, 5, a, 0, 10);
    h.compute(new Uint8Array(64), 64, 1, new Uint8Array(20), 0, 20);
    h.compute(data, 172, 5, b, 1, 10);
    assert.deepEqual(b.subarray(1, 11), a);
    assert.equal(b[0], 0xee);
    assert.equal(b[11], 0xee);
  });
});
