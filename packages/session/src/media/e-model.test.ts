import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CODEC_IMPAIRMENTS,
  delayImpairment,
  effectiveEquipmentImpairment,
  mosFromR,
  rFactor,
} from './e-model.js';

const g711 = CODEC_IMPAIRMENTS.PCMU;

describe('simplified E-model (ITU-T G.107)', () => {
  it('rates a clean G.711 call R = 93.2, MOS ≈ 4.41 (G.107 default values)', () => {
    const r = rFactor({ codec: g711, delayMs: 0, lossPercent: 0 });
    assert.equal(r, 93.2);
    // 1 + 0.035·93.2 + 93.2·33.2·6.8·7e-6 = 4.4094...
    assert.ok(Math.abs(mosFromR(r) - 4.4094) < 1e-3);
  });

  it('applies Ie,eff = Ie + (95 − Ie)·Ppl/(Ppl/BurstR + Bpl) (G.107 eq. 7-29)', () => {
    // 1% random loss with Bpl 25.1: 95 / 26.1.
    assert.ok(Math.abs(effectiveEquipmentImpairment(g711, 1) - 95 / 26.1) < 1e-9);
    // Bursty loss (BurstR 2) hurts more than random loss.
    assert.ok(effectiveEquipmentImpairment(g711, 5, 2) > effectiveEquipmentImpairment(g711, 5, 1));
  });

  it('adds the delay impairment only slowly below 177.3 ms and steeply above', () => {
    assert.ok(Math.abs(delayImpairment(100) - 2.4) < 1e-9);
    assert.ok(Math.abs(delayImpairment(277.3) - (0.024 * 277.3 + 11)) < 1e-9);
  });

  it('clamps MOS to 1..4.5 and never improves with more loss or delay', () => {
    assert.equal(mosFromR(-5), 1);
    assert.equal(mosFromR(120), 4.5);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        (loss, moreLoss, delay, moreDelay) => {
          const base = mosFromR(rFactor({ codec: g711, delayMs: delay, lossPercent: loss }));
          const worse = mosFromR(
            rFactor({ codec: g711, delayMs: delay + moreDelay, lossPercent: Math.min(100, loss + moreLoss) }),
          );
          assert.ok(base >= 1 && base <= 4.5);
          assert.ok(worse <= base + 1e-12);
        },
      ),
    );
  });
});
