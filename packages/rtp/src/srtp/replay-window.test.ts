import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ReplayWindow } from './replay-window.js';

describe('ReplayWindow (RFC 3711 §3.3.2)', () => {
  it('accepts new indices, flags duplicates, and rejects indices behind the window', () => {
    const w = new ReplayWindow(64);
    assert.equal(w.check(1000), 'new');
    w.accept(1000);
    assert.equal(w.check(1000), 'duplicate');
    assert.equal(w.check(999), 'new');
    assert.equal(w.check(937), 'new'); // 1000 - 63: last slot inside the window
    assert.equal(w.check(936), 'too-old'); // 1000 - 64
    w.accept(1100);
    assert.equal(w.check(1000), 'too-old');
    assert.equal(w.check(1099), 'new');
    assert.equal(w.highest, 1100);
  });

  it('does not forget indices when sliding forward by less than the window', () => {
    const w = new ReplayWindow(64);
    w.accept(10);
    w.accept(12);
    w.accept(40);
    assert.equal(w.check(10), 'duplicate');
    assert.equal(w.check(12), 'duplicate');
    assert.equal(w.check(11), 'new');
  });

  it('behaves like a set of received indices bounded by the highest (property, model check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 300 }),
        (size, indices) => {
          const w = new ReplayWindow(size);
          const seen = new Set<number>();
          let highest = -1;
          for (const i of indices) {
            const expected =
              i > highest ? 'new' : highest - i >= size ? 'too-old' : seen.has(i) ? 'duplicate' : 'new';
            assert.equal(w.check(i), expected);
            if (expected === 'new') {
              w.accept(i);
              seen.add(i);
              highest = Math.max(highest, i);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
