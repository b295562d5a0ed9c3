import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Fifo } from './fifo.js';

describe('Fifo', () => {
  it('behaves like an array queue under any mix of push and shift, across growth', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer(), { nil: undefined }), { maxLength: 300 }), (ops) => {
        const fifo = new Fifo<number>(2);
        const model: number[] = [];
        for (const op of ops) {
          if (op === undefined) assert.equal(fifo.shift(), model.shift());
          else {
            fifo.push(op);
            model.push(op);
          }
          assert.equal(fifo.length, model.length);
        }
      }),
    );
  });
});
