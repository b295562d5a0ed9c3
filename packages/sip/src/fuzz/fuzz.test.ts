import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessage } from '../index.js';
import { isSlow, referenceMessage, runFuzz } from './fuzz.js';
import { createRng, duplicateHeader, hugeValue, MUTATORS, truncate } from './mutators.js';
import { loadSeeds } from './seeds.js';

describe('parser fuzzer', () => {
  const seeds = loadSeeds();

  it('mutators change their input deterministically for a given seed', () => {
    const seed = seeds[0];
    for (const m of MUTATORS) {
      const a = m(seed, createRng(7), seeds[1]);
      const b = m(seed, createRng(7), seeds[1]);
      assert.deepEqual(a, b);
    }
    assert.ok(truncate(seed, createRng(3), seed).length <= seed.length);
    assert.ok(hugeValue(seed, createRng(3), seed).length > seed.length);
    assert.ok(duplicateHeader(seed, createRng(3), seed).length > seed.length);
  });

  it('a bounded run finds no exception other than SipParseError (RFC 3261 §25 inputs, mutated)', () => {
    const report = runFuzz({
      seeds,
      iterations: 3000,
      seed: 12345,
      budgetMs: Number.POSITIVE_INFINITY,
      now: () => performance.now(),
    });
    assert.equal(report.iterations, 3000);
    assert.deepEqual(
      report.failures.map((f) => f.detail),
      [],
    );
    // The mutations must exercise both outcomes, or the fuzzer is not testing anything.
    assert.ok(report.parsed > 100, `only ${report.parsed} parsed`);
    assert.ok(report.rejected > 100, `only ${report.rejected} rejected`);
  });
});

describe('fuzzer slow-input check', () => {
  it('a slow parse fails only when it is over the budget and many times a plain message of its size', () => {
    assert.equal(isSlow(5, 0.1, 1, 20), true);
    assert.equal(isSlow(5, 0.5, 1, 20), false, 'a loaded machine slows the reference too');
    assert.equal(isSlow(0.9, 0.01, 1, 20), false, 'under the absolute budget');
  });

  it('the reference message parses and has about the asked size', () => {
    for (const size of [10, 1000, 17000, 60000]) {
      const ref = referenceMessage(size);
      const msg = parseMessage(ref);
      assert.equal(msg.method, 'OPTIONS');
      assert.ok(ref.length >= size, `${ref.length} < ${size}`);
      assert.ok(ref.length < Math.max(size, 300) + 200, `${ref.length} far over ${size}`);
    }
  });
});
