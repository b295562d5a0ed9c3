import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PortAllocator } from './port-allocator.js';

describe('PortAllocator (RFC 3550 §11 port pairs)', () => {
  it('hands out even RTP ports with RTCP on the next port, or one port with rtcp-mux', () => {
    const ports = new PortAllocator(20001, 20010);
    assert.deepEqual(ports.allocate(false), { rtp: 20002, rtcp: 20003 });
    assert.deepEqual(ports.allocate(true), { rtp: 20004, rtcp: 20004 });
    assert.equal(ports.capacity, 4);
  });

  it('fails with PortRangeExhaustedError when the range is used up, and reuses released pairs', () => {
    const ports = new PortAllocator(30000, 30005);
    const a = ports.allocate(false);
    ports.allocate(false);
    ports.allocate(false);
    assert.throws(() => ports.allocate(false), { name: 'PortRangeExhaustedError', min: 30000, max: 30005 });
    ports.release(a.rtp);
    assert.deepEqual(ports.allocate(false), a);
  });

  it('rejects a range without a pair', () => {
    assert.throws(() => new PortAllocator(5001, 5002), { name: 'MediaConfigError' });
  });

  it('never hands out the same pair twice while held, and stays within the range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1024, max: 60000 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.boolean(), { maxLength: 120 }),
        (min, size, ops) => {
          const ports = new PortAllocator(min, min + size + 1);
          const held: number[] = [];
          for (const allocate of ops) {
            if (allocate && held.length < ports.capacity) {
              const p = ports.allocate(false);
              assert.equal(p.rtp % 2, 0);
              assert.ok(p.rtp >= min && p.rtcp <= min + size + 1);
              assert.ok(!held.includes(p.rtp));
              held.push(p.rtp);
            } else if (held.length > 0) {
              ports.release(held.shift() as number);
            }
          }
          assert.equal(ports.inUse, held.length);
        },
      ),
    );
  });
});
