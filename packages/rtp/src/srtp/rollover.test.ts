import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { estimateRoc } from './rollover.js';

describe('estimateRoc (RFC 3711 §3.3.1, Appendix A)', () => {
  it('guesses ROC + 1 just after a wrap and ROC - 1 for a late packet from before it', () => {
    assert.equal(estimateRoc(5, 65535, 0), 6);
    assert.equal(estimateRoc(5, 65500, 10), 6);
    assert.equal(estimateRoc(6, 3, 65534), 5);
    assert.equal(estimateRoc(6, 3, 4), 6);
    assert.equal(estimateRoc(0, 100, 50), 0);
  });

  it('recovers the true index when it is within 2^15 of the highest index (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0x10000, max: 2 ** 40 }),
        fc.integer({ min: -32767, max: 32767 }),
        (highest, delta) => {
          const index = highest + delta;
          const roc = estimateRoc(Math.floor(highest / 65536), highest % 65536, index % 65536);
          assert.equal(roc * 65536 + (index % 65536), index);
        },
      ),
      { numRuns: 500 },
    );
  });
});
