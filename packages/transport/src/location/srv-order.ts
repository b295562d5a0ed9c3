/**
 * RFC 2782 SRV target ordering: by priority, then weighted random selection within a priority.
 * @module
 */
import type { SrvRecord } from './resolver.js';

/** A source of uniform random numbers in [0, 1), like `Math.random` (inject a seeded one in tests). */
export type RandomSource = () => number;

/** True for the SRV target `.` (or empty): "the service is decidedly not available" (RFC 2782). */
export function isNullSrvTarget(target: string): boolean {
  return target === '.' || target === '';
}

/**
 * Orders SRV records for contact (RFC 2782, "Usage rules"): lowest priority first; within one
 * priority, repeatedly pick a record at random with probability proportional to its weight
 * (weight-0 records placed first in the running sum, so they are chosen rarely but can be).
 * Records whose target is `.` are dropped. Pure: the order depends only on `records` and `random`.
 */
export function orderSrv(records: readonly SrvRecord[], random: RandomSource): SrvRecord[] {
  const usable = records.filter((r) => !isNullSrvTarget(r.target));
  const priorities = [...new Set(usable.map((r) => r.priority))].sort((a, b) => a - b);
  const out: SrvRecord[] = [];
  for (const p of priorities) {
    // RFC 2782: "arrange all SRV RRs (that have not been ordered yet) in any order, except that all
    // those with weight 0 are placed at the beginning of the list".
    const group = usable.filter((r) => r.priority === p);
    const pending = [...group.filter((r) => r.weight === 0), ...group.filter((r) => r.weight !== 0)];
    while (pending.length > 0) {
      let sum = 0;
      for (const r of pending) sum += r.weight;
      // RFC 2782: "choose a uniform random number between 0 and the sum computed (inclusive), and
      // select the RR whose running sum value is the first in the selected order which is greater
      // than or equal to the random number selected".
      const pick = Math.min(sum, Math.floor(random() * (sum + 1)));
      let running = 0;
      let chosen = pending.length - 1;
      for (let i = 0; i < pending.length; i++) {
        running += pending[i].weight;
        if (running >= pick) {
          chosen = i;
          break;
        }
      }
      out.push(pending[chosen]);
      pending.splice(chosen, 1);
    }
  }
  return out;
}
