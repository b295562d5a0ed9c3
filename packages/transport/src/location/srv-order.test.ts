import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createPrng } from '../sim/prng.js';
import type { SrvRecord } from './resolver.js';
import { orderSrv } from './srv-order.js';

const srv = (priority: number, weight: number, target: string): SrvRecord => ({
  priority,
  weight,
  port: 5060,
  target,
});

const arbRecords = fc.array(
  fc.record({
    priority: fc.integer({ min: 0, max: 5 }),
    weight: fc.integer({ min: 0, max: 100 }),
    port: fc.integer({ min: 1, max: 65535 }),
    target: fc.constantFrom('a', 'b', 'c', 'd', '.'),
  }),
  { maxLength: 12 },
);

describe('orderSrv (RFC 2782 usage rules)', () => {
  it('is a permutation of the usable records, sorted by priority', () => {
    fc.assert(
      fc.property(arbRecords, fc.integer(), (records, seed) => {
        const out = orderSrv(records, createPrng(seed));
        const usable = records.filter((r) => r.target !== '.');
        assert.equal(out.length, usable.length);
        for (const r of usable) assert.equal(out.filter((o) => o === r).length, 1);
        for (let i = 1; i < out.length; i++) assert.ok(out[i - 1].priority <= out[i].priority);
      }),
    );
  });

  it('is deterministic for a given random source', () => {
    const records = [srv(1, 10, 'a'), srv(1, 20, 'b'), srv(1, 30, 'c'), srv(2, 5, 'd')];
    assert.deepEqual(orderSrv(records, createPrng(7)), orderSrv(records, createPrng(7)));
  });

  it('picks the first record in proportion to its weight', () => {
    // RFC 2782: selection probability within a priority is weight / sum of weights.
    const records = [srv(0, 10, 'a'), srv(0, 30, 'b'), srv(0, 60, 'c')];
    const rnd = createPrng(42);
    const counts = new Map<string, number>();
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const first = orderSrv(records, rnd)[0].target;
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    // Expected shares use sum+1 integer slots (0..sum inclusive): a gets 11/101, b 30/101, c 60/101.
    const expected = { a: 11 / 101, b: 30 / 101, c: 60 / 101 };
    for (const [t, p] of Object.entries(expected)) {
      const share = (counts.get(t) ?? 0) / n;
      assert.ok(Math.abs(share - p) < 0.015, `${t}: share ${share} vs ${p}`);
    }
  });

  it('weight-0 records are still chosen, but rarely, when others have weight', () => {
    const records = [srv(0, 0, 'zero'), srv(0, 100, 'heavy')];
    const rnd = createPrng(3);
    let zeroFirst = 0;
    for (let i = 0; i < 5000; i++) if (orderSrv(records, rnd)[0].target === 'zero') zeroFirst++;
    assert.ok(zeroFirst > 0 && zeroFirst < 150, `zero first ${zeroFirst} times`);
  });

  it('only weight-0 records: uniform-ish order, all present', () => {
    const records = [srv(0, 0, 'a'), srv(0, 0, 'b')];
    const out = orderSrv(records, () => 0.99);
    assert.deepEqual(out.map((r) => r.target).sort(), ['a', 'b']);
  });
});
