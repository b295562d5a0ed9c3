import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DspConfigError } from './errors.js';
import { ConferenceMixer } from './mixer.js';

const int16 = fc.integer({ min: -32768, max: 32767 });

describe('ConferenceMixer (N − 1 mix)', () => {
  it('gives each participant the sum of everyone else', () => {
    const m = new ConferenceMixer({ participants: 3, frameSize: 2 });
    const out = m.mix([Int16Array.of(100, -5), Int16Array.of(20, 7), Int16Array.of(3, 1000)]);
    assert.deepEqual([...out[0]], [23, 1007]);
    assert.deepEqual([...out[1]], [103, 995]);
    assert.deepEqual([...out[2]], [120, 2]);
  });

  it('lets a participant who sent no frame hear everyone, and excludes nobody for them', () => {
    const m = new ConferenceMixer({ participants: 3, frameSize: 1 });
    const out = m.mix([Int16Array.of(10), null, Int16Array.of(1)]);
    assert.deepEqual(
      out.map((o) => o[0]),
      [1, 11, 10],
    );
    // Fewer inputs than participants: the rest count as missing.
    const out2 = m.mix([Int16Array.of(5)]);
    assert.deepEqual(
      out2.map((o) => o[0]),
      [0, 5, 5],
    );
  });

  it('matches a reference N − 1 mix with hard clipping for random frames and missing inputs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((n) =>
          fc.array(fc.option(fc.array(int16, { minLength: 8, maxLength: 8 }), { nil: null }), {
            minLength: n,
            maxLength: n,
          }),
        ),
        (frames) => {
          const m = new ConferenceMixer({ participants: frames.length, frameSize: 8 });
          const out = m.mix(frames.map((f) => (f === null ? null : Int16Array.from(f))));
          for (let i = 0; i < frames.length; i++) {
            for (let s = 0; s < 8; s++) {
              let v = 0;
              frames.forEach((f, j) => {
                if (j !== i && f !== null) v += f[s];
              });
              assert.equal(out[i][s], Math.max(-32768, Math.min(32767, v)));
            }
          }
        },
      ),
    );
  });

  it('accumulates in 32 bits: large intermediate sums that cancel are exact', () => {
    const m = new ConferenceMixer({ participants: 4, frameSize: 1 });
    const out = m.mix([
      Int16Array.of(32767),
      Int16Array.of(32767),
      Int16Array.of(-32768),
      Int16Array.of(-32768),
    ]);
    assert.equal(out[0][0], -32768); // 32767 − 32768 − 32768 = −32769, clipped
    assert.equal(out[2][0], 32766); // 32767 + 32767 − 32768
    const out2 = m.mix([Int16Array.of(32767), Int16Array.of(32767), Int16Array.of(-32768), Int16Array.of(0)]);
    assert.equal(out2[3][0], 32766); // 32767 + 32767 − 32768 = 32766: no 16-bit wrap on the way
  });

  it('counts clipped samples', () => {
    const m = new ConferenceMixer({ participants: 3, frameSize: 1 });
    m.mix([Int16Array.of(30000), Int16Array.of(30000), Int16Array.of(0)]);
    assert.equal(m.clippedSamples, 1); // only participant 2 hears 60000
  });

  it('writes into the same preallocated outputs every frame', () => {
    const m = new ConferenceMixer({ participants: 2, frameSize: 160 });
    const a = new Int16Array(160).fill(1);
    const first = m.mix([a, a]);
    const firstArrays = [...first];
    const second = m.mix([a, null]);
    assert.equal(second, first);
    for (let i = 0; i < second.length; i++) assert.equal(second[i], firstArrays[i]);
    assert.equal(second[1][0], 1);
    assert.equal(second[0][0], 0);
  });

  it('rejects frames of the wrong size and bad configuration', () => {
    const m = new ConferenceMixer({ participants: 2, frameSize: 160 });
    assert.throws(() => m.mix([new Int16Array(80)]), DspConfigError);
    assert.throws(() => m.mix([null, null, null]), DspConfigError);
    assert.throws(() => new ConferenceMixer({ participants: 0, frameSize: 160 }), DspConfigError);
    assert.throws(() => new ConferenceMixer({ participants: 2, frameSize: 0 }), DspConfigError);
  });
});

describe('ConferenceMixer soft limiter', () => {
  const knee = 24576;

  it('passes mixes below the knee unchanged', () => {
    const m = new ConferenceMixer({ participants: 3, frameSize: 1, clip: 'soft' });
    const out = m.mix([Int16Array.of(12000), Int16Array.of(12000), Int16Array.of(-3)]);
    assert.equal(out[2][0], 24000);
    assert.equal(out[0][0], 11997);
    assert.equal(m.clippedSamples, 0);
  });

  it('is monotonic, odd, bounded by full scale and continuous at the knee', () => {
    const m = new ConferenceMixer({ participants: 3, frameSize: 1, clip: 'soft' });
    let prev = knee;
    for (let v = knee; v <= 65534; v += 97) {
      const half = Math.floor(v / 2);
      const pos = m.mix([null, Int16Array.of(half), Int16Array.of(v - half)])[0][0];
      const neg = m.mix([null, Int16Array.of(-half), Int16Array.of(-(v - half))])[0][0];
      assert.ok(pos >= prev && pos <= 32767, `v=${v} → ${pos}`);
      assert.equal(neg, -pos);
      if (v - knee < 100) assert.ok(Math.abs(pos - v) <= 1, 'slope 1 at the knee');
      prev = pos;
    }
    // Far above full scale the curve approaches, but a hard clip would flatten much earlier.
    const out = m.mix([null, Int16Array.of(32767), Int16Array.of(0)])[0][0];
    assert.ok(out < 32767 && out > 30000, `32767 → ${out}`);
  });
});
