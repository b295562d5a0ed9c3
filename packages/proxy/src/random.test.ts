import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pooledRandomToken } from './random.js';

describe('pooled random tokens', () => {
  it('gives 16 hex digits, distinct across pool refills', () => {
    const next = pooledRandomToken(64); // 8 tokens per refill
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const t = next();
      assert.match(t, /^[0-9a-f]{16}$/);
      seen.add(t);
    }
    assert.equal(seen.size, 1000);
  });
});
