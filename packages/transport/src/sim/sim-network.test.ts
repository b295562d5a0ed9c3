import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { TransportAddress } from '../address.js';
import { type Delivery, SimNetwork } from './sim-network.js';
import { VirtualClock } from './virtual-clock.js';

const A: TransportAddress = { transport: 'UDP', host: '10.0.0.1', port: 5060 };
const B: TransportAddress = { transport: 'UDP', host: '10.0.0.2', port: 5060 };
const TA: TransportAddress = { transport: 'TCP', host: '10.0.0.1', port: 5060 };
const TB: TransportAddress = { transport: 'TCP', host: '10.0.0.2', port: 5060 };

const pkt = (i: number) => new Uint8Array([i & 0xff, (i >> 8) & 0xff]);
const id = (d: Delivery) => d.bytes[0] | (d.bytes[1] << 8);

/** Sends n packets 1 ms apart, runs to idle, returns what B received in arrival order. */
function exchange(net: SimNetwork, n: number, from = A, to = B): Delivery[] {
  const got: Delivery[] = [];
  const clock = new VirtualClock();
  clock.add(net);
  net.bind(from);
  net.bind(to, (d) => got.push(d));
  for (let i = 0; i < n; i++) clock.at(i, (now) => net.send(from, to, pkt(i), now));
  clock.runUntilIdle();
  return got;
}

describe('SimNetwork', () => {
  it('is deterministic for a seed, and differs across seeds', () => {
    const conditions = { delayMs: 20, jitterMs: 30, loss: 0.2, duplicate: 0.1 };
    const trace = (seed: number) =>
      exchange(new SimNetwork({ seed, defaults: conditions }), 200).map((d) => `${id(d)}@${d.at.toFixed(3)}`);
    assert.deepEqual(trace(5), trace(5));
    assert.notDeepEqual(trace(5), trace(6));
  });

  it('loses datagrams at the configured rate', () => {
    const n = 10000;
    const net = new SimNetwork({ seed: 9, defaults: { loss: 0.3 } });
    const got = exchange(net, n);
    // Binomial(10000, 0.7): sd ≈ 46; 5 sd bound.
    assert.ok(Math.abs(got.length - 7000) < 230, `${got.length} delivered`);
    assert.equal(net.stats.lost + got.length, n);
  });

  it('duplicates datagrams at the configured rate, marking the copies', () => {
    const net = new SimNetwork({ seed: 4, defaults: { duplicate: 0.1 } });
    const got = exchange(net, 5000);
    const dups = got.filter((d) => d.duplicate).length;
    assert.ok(Math.abs(dups - 500) < 110, `${dups} duplicates`);
    assert.equal(got.length, 5000 + dups);
  });

  it('reorders datagrams by jitter', () => {
    const got = exchange(new SimNetwork({ seed: 2, defaults: { delayMs: 10, jitterMs: 50 } }), 100);
    assert.equal(got.length, 100);
    const ids = got.map(id);
    assert.ok(
      ids.some((v, i) => i > 0 && v < ids[i - 1]),
      'some packet overtook another',
    );
    assert.deepEqual(
      [...ids].sort((a, b) => a - b),
      Array.from({ length: 100 }, (_, i) => i),
    );
  });

  it('never delivers before its time: arrival = sent + delay + jitter, within bounds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (seed, delayMs, jitterMs) => {
          const net = new SimNetwork({ seed, defaults: { delayMs, jitterMs } });
          net.bind(A);
          net.bind(B);
          for (let i = 0; i < 20; i++) net.send(A, B, pkt(i), i * 3);
          // Polling at a time before the earliest arrival yields nothing.
          const first = net.nextDeadline()!;
          assert.ok(first >= delayMs);
          assert.equal(net.poll(first - 0.001), undefined);
          let now = first;
          let count = 0;
          while (net.inFlight > 0) {
            now = net.nextDeadline()!;
            for (let d = net.poll(now); d; d = net.poll(now)) {
              assert.ok(d.at <= now && d.at >= d.sentAt + delayMs && d.at <= d.sentAt + delayMs + jitterMs);
              count++;
            }
          }
          assert.equal(count, 20);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('drops datagrams over the MTU, never stream data', () => {
    const net = new SimNetwork({ defaults: { mtu: 1500 } });
    net.bind(A);
    net.bind(B);
    net.bind(TA);
    net.bind(TB);
    assert.equal(net.send(A, B, new Uint8Array(1501), 0), 'too-large');
    assert.equal(net.send(A, B, new Uint8Array(1500), 0), 'queued');
    assert.equal(net.send(TA, TB, new Uint8Array(9000), 0), 'queued');
    assert.equal(net.stats.tooLarge, 1);
  });

  it('stream links are reliable and in order despite loss, duplication and jitter settings', () => {
    const net = new SimNetwork({
      seed: 3,
      defaults: { delayMs: 5, jitterMs: 80, loss: 0.5, duplicate: 0.5 },
    });
    const got = exchange(net, 300, TA, TB);
    assert.deepEqual(
      got.map(id),
      Array.from({ length: 300 }, (_, i) => i),
    );
    assert.ok(got.every((d) => !d.duplicate));
  });

  it('per-link conditions override the defaults, one way or both', () => {
    const net = new SimNetwork({ defaults: { delayMs: 1 } });
    net.setLink('10.0.0.1', '10.0.0.2', { delayMs: 100 }, true);
    net.bind(A);
    net.bind(B);
    net.send(A, B, pkt(1), 0);
    net.send(B, A, pkt(2), 0);
    assert.equal(net.poll(1)?.to.host, '10.0.0.1');
    assert.equal(net.poll(99), undefined);
    assert.equal(net.poll(100)?.to.host, '10.0.0.2');
  });

  it('a packet to an unbound address is unreachable, and so is one whose receiver left', () => {
    const net = new SimNetwork({ defaults: { delayMs: 10 } });
    net.bind(A);
    assert.equal(net.send(A, B, pkt(0), 0), 'unreachable');
    net.bind(B);
    net.send(A, B, pkt(1), 0);
    net.unbind(B);
    assert.equal(net.poll(100), undefined);
    assert.equal(net.stats.unreachable, 2);
  });

  it('copies the bytes at send time', () => {
    const net = new SimNetwork();
    net.bind(A);
    net.bind(B);
    const buf = pkt(7);
    net.send(A, B, buf, 0);
    buf[0] = 99;
    assert.equal(net.poll(0)?.bytes[0], 7);
  });

  it('endpoints without a handler collect deliveries in an inbox', () => {
    const net = new SimNetwork();
    const clock = new VirtualClock();
    clock.add(net);
    net.bind(A);
    net.bind(B);
    net.send(A, B, pkt(1), 0);
    net.send(A, B, pkt(2), 0);
    clock.runUntilIdle();
    assert.deepEqual(net.drain(B).map(id), [1, 2]);
    assert.deepEqual(net.drain(B), []);
  });
});

describe('VirtualClock', () => {
  it('advances 32 s of timers instantly, firing each at its time', () => {
    const clock = new VirtualClock(1000);
    const fired: number[] = [];
    // RFC 3261 §17.1.1.2: Timer A doubling from T1 = 500 ms up to Timer B = 64*T1.
    let interval = 500;
    const fire = (now: number) => {
      fired.push(now - 1000);
      interval *= 2;
      if (now - 1000 + interval <= 32000) clock.after(interval, fire);
    };
    clock.after(500, fire);
    clock.advance(32000);
    assert.deepEqual(fired, [500, 1500, 3500, 7500, 15500, 31500]);
    assert.equal(clock.now, 33000);
  });

  it('runs participants at their deadlines and stops when idle', () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    let deadline: number | undefined = 10;
    clock.add({
      nextDeadline: () => deadline,
      handleTimeout: (now: number) => {
        seen.push(now);
        deadline = now < 30 ? now + 10 : undefined;
      },
    });
    clock.runUntilIdle();
    assert.deepEqual(seen, [10, 20, 30]);
    assert.equal(clock.nextDeadline(), undefined);
  });

  it('stops at limitMs and throws on a run that never idles', () => {
    const clock = new VirtualClock();
    let d = 0;
    clock.add({
      nextDeadline: () => d,
      handleTimeout: () => {
        d += 1;
      },
    });
    clock.runUntilIdle({ limitMs: 50 });
    assert.equal(clock.now, 50);
    assert.throws(() => clock.runUntilIdle({ maxSteps: 10 }), /no idle/);
  });
});
