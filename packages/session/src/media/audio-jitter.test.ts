import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AudioJitter } from './audio-jitter.js';

describe('AudioJitter (RFC 3550 §A.8)', () => {
  it('stays at zero for any constant transit time, across timestamp wrap-around', () => {
    fc.assert(
      fc.property(
        fc.nat(0xffffffff),
        fc.integer({ min: 1, max: 500 }),
        fc.constantFrom(8000, 16000, 48000),
        (ts0, transit, rate) => {
          const j = new AudioJitter();
          for (let i = 0; i < 100; i++) j.update((ts0 + i * (rate / 50)) >>> 0, rate, transit + i * 20);
          return j.jitterMs < 1e-9;
        },
      ),
    );
  });

  it('follows J += (|D| - J) / 16 for alternating 10 ms delays, and converts to report units', () => {
    const j = new AudioJitter();
    // Arrivals alternately on time and 10 ms late: |D| = 10 ms for every packet after the first.
    let expected = 0;
    for (let i = 0; i < 200; i++) {
      j.update(i * 160, 8000, i * 20 + (i % 2) * 10);
      if (i > 0) expected += (10 - expected) / 16;
    }
    assert.ok(Math.abs(j.jitterMs - expected) < 1e-9);
    assert.ok(j.jitterMs > 9.9);
    assert.equal(j.inUnits(8000), Math.floor(expected * 8));
    j.reset();
    assert.equal(j.jitterMs, 0);
  });

  it('does not compare transit times across a clock change (codec switch)', () => {
    const j = new AudioJitter();
    for (let i = 0; i < 10; i++) j.update(1000 + i * 160, 8000, i * 20);
    // The new codec's timestamps start elsewhere on another clock: no jump in the estimate.
    for (let i = 0; i < 10; i++) j.update(777_000 + i * 960, 48000, 200 + i * 20);
    assert.ok(j.jitterMs < 1e-9, `${j.jitterMs}`);
  });
});
