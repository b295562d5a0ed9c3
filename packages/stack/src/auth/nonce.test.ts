import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkNonce, createNonce } from './nonce.js';
import { NonceCountTracker } from './nonce-count-tracker.js';

const secret = new Uint8Array(32).fill(7);
const random = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);

describe('self-validating nonces (RFC 7616 §3.3)', () => {
  it('validates without server state and reports the issue time', () => {
    const n = createNonce(secret, 'sip.example.com', 1_000, random);
    assert.equal(n.length, 43);
    assert.deepEqual(checkNonce(secret, 'sip.example.com', n, 5_000, 60_000), {
      state: 'valid',
      issuedAt: 1_000,
    });
  });

  it('differs with the random bytes, so two nonces of the same millisecond are distinct', () => {
    const a = createNonce(secret, 'r', 1_000, random);
    const b = createNonce(secret, 'r', 1_000, new Uint8Array(8));
    assert.notEqual(a, b);
  });

  it('is expired past its lifetime, and when dated in the future (a restarted clock)', () => {
    const n = createNonce(secret, 'r', 1_000, random);
    assert.deepEqual(checkNonce(secret, 'r', n, 61_000, 60_000), { state: 'valid', issuedAt: 1_000 });
    assert.deepEqual(checkNonce(secret, 'r', n, 61_001, 60_000), { state: 'expired', issuedAt: 1_000 });
    assert.deepEqual(checkNonce(secret, 'r', n, 999, 60_000), { state: 'expired', issuedAt: 1_000 });
  });

  it('is invalid under another secret or realm', () => {
    const n = createNonce(secret, 'r', 1_000, random);
    assert.deepEqual(checkNonce(new Uint8Array(32).fill(8), 'r', n, 1_000, 60_000), { state: 'invalid' });
    assert.deepEqual(checkNonce(secret, 'other', n, 1_000, 60_000), { state: 'invalid' });
  });

  it('is invalid when any character is changed, or the length is wrong (fast-check)', () => {
    const n = createNonce(secret, 'r', 1_000, random);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: n.length - 1 }),
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
        (i, ch) => {
          fc.pre(n[i] !== ch);
          const forged = n.slice(0, i) + ch + n.slice(i + 1);
          assert.deepEqual(checkNonce(secret, 'r', forged, 1_000, 60_000), { state: 'invalid' });
        },
      ),
    );
    assert.deepEqual(checkNonce(secret, 'r', `${n}A`, 1_000, 60_000), { state: 'invalid' });
    assert.deepEqual(checkNonce(secret, 'r', 'not a nonce', 1_000, 60_000), { state: 'invalid' });
  });
});

describe('NonceCountTracker (RFC 7616 §5.5 replay protection)', () => {
  it('accepts increasing counts and rejects a repeated or lower one', () => {
    const t = new NonceCountTracker();
    assert.equal(t.use('n', 1, 0, 100, 0), 'accepted');
    assert.equal(t.use('n', 2, 0, 100, 1), 'accepted');
    assert.equal(t.use('n', 2, 0, 100, 2), 'replay');
    assert.equal(t.use('n', 1, 0, 100, 3), 'replay');
    assert.equal(t.use('n', 5, 0, 100, 4), 'accepted'); // gaps are fine (requests may be lost)
    assert.equal(t.use('other', 1, 0, 100, 5), 'accepted');
  });

  it('makes a nonce single-use with count 0', () => {
    const t = new NonceCountTracker();
    assert.equal(t.use('n', 0, 0, 100, 0), 'accepted');
    assert.equal(t.use('n', 0, 0, 100, 1), 'replay');
  });

  it('drops expired entries', () => {
    const t = new NonceCountTracker();
    t.use('a', 1, 0, 100, 0);
    t.use('b', 1, 50, 150, 50);
    assert.equal(t.size, 2);
    t.use('c', 1, 120, 220, 120);
    assert.equal(t.size, 2); // 'a' expired at 100
  });

  it('stays bounded, and an evicted nonce is reported forgotten rather than accepted again', () => {
    const t = new NonceCountTracker({ capacity: 2 });
    assert.equal(t.use('a', 3, 10, 1_000, 10), 'accepted');
    assert.equal(t.use('b', 1, 20, 1_000, 20), 'accepted');
    assert.equal(t.use('c', 1, 30, 1_000, 30), 'accepted'); // evicts 'a' (issued at 10)
    assert.equal(t.size, 2);
    assert.equal(t.use('a', 1, 10, 1_000, 40), 'forgotten'); // would be a replay of nc=1 < 3
    assert.equal(t.use('d', 1, 40, 1_000, 40), 'accepted'); // issued after the watermark: a new nonce
  });
});
