import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ownString } from './own-string.js';

describe('ownString', () => {
  it('returns a string equal to its argument, short or long, flat, sliced or concatenated', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.nat(40), (s, cut) => {
        assert.equal(ownString(s), s);
        const sliced = s.slice(Math.min(cut, s.length));
        assert.equal(ownString(sliced), sliced);
        const cons = `${s}\u0000${sliced}`;
        assert.equal(ownString(cons), cons);
      }),
    );
  });
});
