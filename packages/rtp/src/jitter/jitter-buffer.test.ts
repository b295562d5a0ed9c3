import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { seededRandom } from '../test/prng.js';
import { JitterBuffer, type JitterBufferOutput, type JitterBufferPacket } from './jitter-buffer.js';

interface Pkt extends JitterBufferPacket {
  id: number;
}

const pkt = (seq: number, marker = false, ts = seq * 160): Pkt => ({
  id: seq,
  sequenceNumber: seq & 0xffff,
  timestamp: ts >>> 0,
  marker,
});

type Out =
  | { kind: 'frame'; seq: number; at: number }
  | { kind: 'gap'; reason: string; seq: number; ts: number; at: number };

function copy(o: JitterBufferOutput<Pkt>): Out {
  return o.kind === 'frame'
    ? { kind: 'frame', seq: o.packet.sequenceNumber, at: o.playoutTimeMs }
    : { kind: 'gap', reason: o.reason, seq: o.sequenceNumber, ts: o.timestamp, at: o.playoutTimeMs };
}

function drain(jb: JitterBuffer<Pkt>, now: number): Out[] {
  const out: Out[] = [];
  for (let o = jb.pop(now); o; o = jb.pop(now)) out.push(copy(o));
  return out;
}

function frames(outs: Out[]): number[] {
  return outs.filter((o) => o.kind === 'frame').map((o) => o.seq);
}

function buffer(): JitterBuffer<Pkt> {
  return new JitterBuffer<Pkt>({ clockRate: 8000, initialDelayMs: 60, minDelayMs: 20, maxDelayMs: 400 });
}

describe('jitter buffer: deterministic cases', () => {
  it('plays an in-order stream at arrival + initial delay, one frame per 20 ms', () => {
    const jb = buffer();
    for (let i = 0; i < 5; i++) jb.push(pkt(i), 1000 + i * 20);
    assert.deepEqual(drain(jb, 1059), []);
    assert.deepEqual(drain(jb, 1060), [{ kind: 'frame', seq: 0, at: 1060 }]);
    assert.deepEqual(drain(jb, 1100), [
      { kind: 'frame', seq: 1, at: 1080 },
      { kind: 'frame', seq: 2, at: 1100 },
    ]);
  });

  it('reorders and drops duplicates', () => {
    const jb = buffer();
    assert.equal(jb.push(pkt(10), 0), 'buffered');
    assert.equal(jb.push(pkt(12), 5), 'buffered');
    assert.equal(jb.push(pkt(11), 6), 'buffered');
    assert.equal(jb.push(pkt(12), 7), 'duplicate');
    assert.deepEqual(frames(drain(jb, 1000)), [10, 11, 12]);
    // A duplicate of a packet already played is still recognised as a duplicate, not as late.
    assert.equal(jb.push(pkt(11), 1001), 'duplicate');
    assert.equal(jb.statistics.duplicates, 2);
    assert.equal(jb.statistics.late, 0);
  });

  it('signals a loss gap with the missing sequence number and timestamp, then counts the straggler as late', () => {
    const jb = buffer();
    jb.push(pkt(1), 0);
    jb.push(pkt(2), 20);
    jb.push(pkt(4), 60);
    assert.deepEqual(drain(jb, 120), [
      { kind: 'frame', seq: 1, at: 60 },
      { kind: 'frame', seq: 2, at: 80 },
      { kind: 'gap', reason: 'loss', seq: 3, ts: 480, at: 100 },
      { kind: 'frame', seq: 4, at: 120 },
    ]);
    assert.equal(jb.push(pkt(3), 125), 'late');
    const s = jb.statistics;
    assert.equal(s.lost, 1);
    assert.equal(s.late, 1);
    assert.equal(s.frames, 3);
  });

  it('signals underrun gaps when it runs dry, then goes idle and re-anchors on the next packet', () => {
    const jb = new JitterBuffer<Pkt>({ clockRate: 8000, initialDelayMs: 60, maxUnderrunMs: 100 });
    jb.push(pkt(1), 0);
    assert.deepEqual(drain(jb, 60), [{ kind: 'frame', seq: 1, at: 60 }]);
    const gaps = drain(jb, 500);
    assert.ok(gaps.length >= 1 && gaps.every((g) => g.kind === 'gap' && g.reason === 'underrun'));
    assert.equal(jb.statistics.underruns, 1);
    assert.deepEqual(drain(jb, 1000), []);
    // After idling, a packet far ahead in sequence and time is simply a new start.
    const target = jb.statistics.targetDelayMs;
    jb.push(pkt(200), 4000);
    assert.deepEqual(drain(jb, 4000 + target), [{ kind: 'frame', seq: 200, at: 4000 + target }]);
  });

  it('re-anchors on the marker bit of a new talkspurt (silence suppression)', () => {
    const jb = new JitterBuffer<Pkt>({ clockRate: 8000, maxUnderrunMs: 10_000 });
    for (let i = 0; i < 10; i++) jb.push(pkt(i), i * 20 + (i === 3 ? 150 : 0)); // one spike of 150 ms
    drain(jb, 1000);
    // Talkspurt 2: 2 s of media later, sequence numbers continue, marker set. During the silence
    // the buffer concealed and slipped; the marker re-anchors it on baseline + target.
    const ts0 = 9 * 160 + 16000;
    const gaps = drain(jb, 2199);
    assert.ok(gaps.length > 0 && gaps.every((g) => g.kind === 'gap' && g.reason === 'underrun'));
    jb.push(pkt(10, true, ts0), 2200);
    const target = jb.statistics.targetDelayMs;
    const out = drain(jb, 3000);
    assert.deepEqual(out[0].kind, 'frame');
    assert.equal(out[0].seq, 10);
    // Media time of the packet is 2180 ms and the baseline transit 0 ms: plays at 2180 + target.
    assert.ok(Math.abs(out[0].at - (2180 + target)) < 1e-6, `played at ${out[0].at}, target ${target}`);
  });

  it('resynchronises after a confirmed sequence jump (stream restart)', () => {
    const jb = buffer();
    for (let i = 0; i < 3; i++) jb.push(pkt(i), i * 20);
    assert.equal(jb.push(pkt(30000, false, 999), 60), 'held');
    assert.equal(jb.push(pkt(30001, false, 999 + 160), 80), 'resynchronized');
    assert.deepEqual(frames(drain(jb, 1000)), [30000, 30001]);
    assert.equal(jb.statistics.dropped, 3); // flushed
    // An unconfirmed stray jump is dropped and the stream goes on.
    jb.push(pkt(30002, false, 999 + 320), 100);
    assert.equal(jb.push(pkt(5), 110), 'held');
    assert.equal(jb.push(pkt(30003, false, 999 + 480), 120), 'buffered');
    assert.equal(jb.statistics.dropped, 4);
  });

  it('handles sequence and timestamp wrap-around', () => {
    const jb = buffer();
    for (let i = 0; i < 6; i++) jb.push(pkt(65533 + i, false, 0xffffff00 + i * 160), i * 20);
    assert.deepEqual(
      drain(jb, 160).map((o) => [o.kind, o.seq]),
      [65533, 65534, 65535, 0, 1, 2].map((s) => ['frame', s]),
    );
  });
});

interface SimOptions {
  seed: number;
  packets: number;
  loss: number;
  duplication: number;
  /** Extra one-way delay of packet i, ms. */
  jitter: (random: () => number, i: number) => number;
}

interface SimResult {
  outputs: Out[];
  arrivals: number;
  jb: JitterBuffer<Pkt>;
  arrivalOf: Map<number, number>;
  targetAt: (ms: number) => number;
}

/** Sends 20 ms packets over a simulated network and plays them out with a 20 ms tick. */
function simulate(o: SimOptions): SimResult {
  const random = seededRandom(o.seed);
  const first = Math.floor(random() * 65536);
  const events: { at: number; p: Pkt }[] = [];
  for (let i = 0; i < o.packets; i++) {
    if (random() < o.loss) continue;
    const sent = i * 20;
    events.push({ at: sent + 30 + o.jitter(random, i), p: pkt(first + i, false, i * 160) });
    if (random() < o.duplication)
      events.push({ at: sent + 30 + o.jitter(random, i) + 5, p: pkt(first + i, false, i * 160) });
  }
  events.sort((a, b) => a.at - b.at);
  const jb = new JitterBuffer<Pkt>({ clockRate: 8000 });
  const outputs: Out[] = [];
  const arrivalOf = new Map<number, number>();
  const targets: [number, number][] = [];
  let e = 0;
  const end = o.packets * 20 + 2000;
  for (let now = 7; now < end; now += 20) {
    for (; e < events.length && events[e].at <= now; e++) {
      const { at, p } = events[e];
      if (!arrivalOf.has(p.id)) arrivalOf.set(p.id, at);
      jb.push(p, at);
    }
    outputs.push(...drain(jb, now));
    targets.push([now, jb.statistics.targetDelayMs]);
  }
  const targetAt = (ms: number) => targets.find(([t]) => t >= ms)?.[1] ?? Number.NaN;
  return { outputs, arrivals: events.length, jb, arrivalOf, targetAt };
}

describe('jitter buffer: simulated network (seeded)', () => {
  it('keeps every invariant under jitter, loss, duplication and reordering', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 120 }), (seed, spread) => {
        const { outputs, arrivals, jb, arrivalOf } = simulate({
          seed,
          packets: 300,
          loss: 0.03,
          duplication: 0.03,
          jitter: (r) => r() * spread,
        });
        const s = jb.statistics;
        // Every arrival is accounted for exactly once.
        assert.equal(s.frames + s.late + s.duplicates + s.dropped + s.buffered, arrivals);
        // Frames and loss gaps consume increasing sequence numbers; the only ones skipped are the
        // frames dropped to shrink the delay. Other gaps consume none.
        let expected: number | undefined;
        let skipped = 0;
        let lastAt = Number.NEGATIVE_INFINITY;
        for (const out of outputs) {
          assert.ok(out.at >= lastAt, 'playout times never go back');
          lastAt = out.at;
          if (out.kind === 'gap' && out.reason !== 'loss') continue;
          if (expected !== undefined) {
            const ahead = (out.seq - expected) & 0xffff;
            assert.ok(ahead < 100, `sequence went back: ${out.seq} after ${expected}`);
            skipped += ahead;
          }
          expected = (out.seq + 1) & 0xffff;
          if (out.kind === 'frame') {
            const arrived = arrivalOf.get(out.seq + (out.seq < (outputs[0]?.seq ?? 0) ? 65536 : 0));
            // Never scheduled before it arrived by more than one 20 ms tick of the consumer.
            if (arrived !== undefined)
              assert.ok(out.at > arrived - 20, 'a frame never plays before it arrived');
          }
        }
        assert.ok(skipped <= s.dropped, `${skipped} sequence numbers skipped, ${s.dropped} dropped`);
        assert.equal(outputs.filter((x) => x.kind === 'frame').length, s.frames);
        assert.equal(outputs.filter((x) => x.kind === 'gap' && x.reason === 'loss').length, s.lost);
        assert.ok(s.targetDelayMs >= 20 && s.targetDelayMs <= 400);
      }),
      { numRuns: 25 },
    );
  });

  it('adapts its delay to uniform 0-60 ms jitter with few late packets', () => {
    const { jb, arrivals } = simulate({
      seed: 42,
      packets: 1500,
      loss: 0,
      duplication: 0,
      jitter: (r) => r() * 60,
    });
    const s = jb.statistics;
    assert.ok(s.late / arrivals < 0.02, `late ${s.late} of ${arrivals}`);
    assert.ok(s.targetDelayMs >= 40 && s.targetDelayMs <= 120, `target ${s.targetDelayMs}`);
    assert.ok(s.jitterMs > 10 && s.jitterMs < 30, `jitter ${s.jitterMs}`);
    assert.ok(s.frames > 1450);
  });

  it('grows its target fast when jitter rises and shrinks it slowly when it falls', () => {
    // 0-5 ms jitter for 10 s, 0-150 ms for 10 s, then 0-5 ms again for 40 s.
    const { targetAt } = simulate({
      seed: 7,
      packets: 3000,
      loss: 0,
      duplication: 0,
      jitter: (r, i) => (i >= 500 && i < 1000 ? r() * 150 : r() * 5),
    });
    const calm = targetAt(9_900);
    const stormy = targetAt(11_000); // 1 s into the storm
    assert.ok(calm <= 30, `calm target ${calm}`);
    assert.ok(stormy >= 100, `target 1 s into the storm ${stormy}`);
    const peak = targetAt(20_000);
    assert.ok(targetAt(21_000) > 0.6 * peak, 'still high 1 s after the storm');
    assert.ok(targetAt(59_000) < 0.5 * peak, `back down after 40 s: ${targetAt(59_000)} vs ${peak}`);
  });

  it('shrinks the playout delay after a delay spike by dropping frames, and expands it when the target grows', () => {
    const spike = simulate({
      seed: 3,
      packets: 1500,
      loss: 0,
      duplication: 0,
      jitter: (r, i) => (i === 100 ? 300 : r() * 5),
    });
    const s = spike.jb.statistics;
    assert.ok(s.underruns >= 1);
    assert.ok(s.dropped > 0, 'frames dropped to shrink the delay');
    assert.ok(s.currentDelayMs < s.targetDelayMs + 45, `delay ${s.currentDelayMs} target ${s.targetDelayMs}`);
    const grow = simulate({
      seed: 5,
      packets: 600,
      loss: 0,
      duplication: 0,
      jitter: (r, i) => (i < 300 ? r() * 2 : r() * 80),
    });
    assert.ok(grow.outputs.some((o) => o.kind === 'gap' && o.reason === 'expand'));
  });
});
