import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nackItemsFromSequenceNumbers, sequenceNumbersFromNackItems } from './feedback.js';

describe('generic NACK FCI (RFC 4585 §6.2.1)', () => {
  it('packs a PID and the 16 following sequence numbers into BLP bits', () => {
    // 100 lost, then 101 (bit 0) and 103 (bit 2); 117 is PID+17, outside the mask: new item.
    assert.deepEqual(nackItemsFromSequenceNumbers([103, 100, 101, 117]), [
      { pid: 100, blp: 0b101 },
      { pid: 117, blp: 0 },
    ]);
    assert.deepEqual(nackItemsFromSequenceNumbers([100, 116]), [{ pid: 100, blp: 0x8000 }]);
  });

  it('packs across the 16-bit wrap', () => {
    assert.deepEqual(nackItemsFromSequenceNumbers([1, 65535, 0]), [{ pid: 65535, blp: 0b11 }]);
  });

  it('expands items back into sequence numbers', () => {
    assert.deepEqual(sequenceNumbersFromNackItems([{ pid: 65534, blp: 0b110 }]), [65534, 0, 1]);
  });

  it('round-trips any set of lost sequence numbers within a window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.uniqueArray(fc.integer({ min: 0, max: 500 })),
        (base, offsets) => {
          const seqs = offsets.map((o) => (base + o) & 0xffff);
          const back = sequenceNumbersFromNackItems(nackItemsFromSequenceNumbers(seqs));
          assert.deepEqual(new Set(back), new Set(seqs));
          assert.equal(back.length, seqs.length);
        },
      ),
    );
  });
});
