import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DeadlineQueue } from './deadline-queue.js';

describe('DeadlineQueue', () => {
  it('pops live deadlines in time order, FIFO on ties, skipping cancelled ones (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 300 }),
        (ops) => {
          const q = new DeadlineQueue<number>();
          const expected: Array<{ at: number; id: number }> = [];
          ops.forEach(([at, cancel], id) => {
            const d = q.schedule(at, id);
            if (cancel) q.cancel(d);
            else expected.push({ at, id });
          });
          // Reference model: a stable sort by time.
          expected.sort((a, b) => a.at - b.at || a.id - b.id);
          assert.equal(q.size, expected.length);
          const got: number[] = [];
          for (let v = q.popDue(Infinity); v !== undefined; v = q.popDue(Infinity)) got.push(v);
          assert.deepEqual(
            got,
            expected.map((e) => e.id),
          );
          assert.equal(q.peek(), undefined);
        },
      ),
    );
  });

  it('returns nothing before the earliest deadline is due', () => {
    const q = new DeadlineQueue<string>();
    q.schedule(100, 'a');
    q.schedule(50, 'b');
    assert.equal(q.peek(), 50);
    assert.equal(q.popDue(49), undefined);
    assert.equal(q.popDue(50), 'b');
    assert.equal(q.peek(), 100);
  });

  it('compacts when cancelled entries dominate, keeping live ones in order', () => {
    const q = new DeadlineQueue<number>();
    const ds = [];
    for (let i = 0; i < 5000; i++) ds.push(q.schedule(5000 - i, i));
    for (let i = 0; i < 4000; i++) q.cancel(ds[i]);
    assert.ok(q.entries < 5000, `heap should have been compacted, has ${q.entries}`);
    assert.equal(q.size, 1000);
    let last = -1;
    let n = 0;
    for (let v = q.popDue(Infinity); v !== undefined; v = q.popDue(Infinity)) {
      assert.ok(v >= 4000);
      assert.ok(5000 - v >= last);
      last = 5000 - v;
      n++;
    }
    assert.equal(n, 1000);
  });

  it('ignores a cancel of an entry that already fired', () => {
    const q = new DeadlineQueue<string>();
    const d = q.schedule(1, 'x');
    q.schedule(2, 'y');
    assert.equal(q.popDue(1), 'x');
    q.cancel(d);
    assert.equal(q.size, 1);
    assert.equal(q.popDue(2), 'y');
  });
});
