import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AuthThrottle } from './auth-throttle.js';
import { RegistrarConfigError } from './errors.js';

describe('AuthThrottle', () => {
  it('bans a source at the maxFailures-th failure within the window, for banMs', () => {
    const t = new AuthThrottle({ maxFailures: 3, windowMs: 10_000, banMs: 60_000 });
    assert.equal(t.recordFailure('a', 0), false);
    assert.equal(t.recordFailure('a', 1000), false);
    assert.equal(t.isBanned('a', 1000), false);
    assert.equal(t.recordFailure('a', 2000), true);
    assert.equal(t.isBanned('a', 2000), true);
    assert.equal(t.bannedUntil('a', 2000), 62_000);
    assert.equal(t.isBanned('b', 2000), false);
    assert.equal(t.isBanned('a', 61_999), true);
    assert.equal(t.isBanned('a', 62_000), false);
  });

  it('failures spread over more than the window do not ban', () => {
    const t = new AuthThrottle({ maxFailures: 3, windowMs: 10_000, banMs: 60_000 });
    t.recordFailure('a', 0);
    t.recordFailure('a', 9000);
    assert.equal(t.recordFailure('a', 10_000), false); // a new window started at 10 000
    assert.equal(t.isBanned('a', 10_000), false);
  });

  it('failures during a ban do not extend it; a success clears the count but not a ban', () => {
    const t = new AuthThrottle({ maxFailures: 2, windowMs: 10_000, banMs: 5000 });
    t.recordFailure('a', 0);
    t.recordFailure('a', 1);
    assert.equal(t.recordFailure('a', 4000), true);
    assert.equal(t.bannedUntil('a', 4000), 5001);
    t.recordSuccess('a', 4000);
    assert.equal(t.isBanned('a', 4000), true);
    t.recordFailure('b', 0);
    t.recordSuccess('b', 1);
    assert.equal(t.recordFailure('b', 2), false); // the count restarted
  });

  it('keeps at most maxSources sources and prunes finished ones', () => {
    const t = new AuthThrottle({ maxFailures: 2, windowMs: 1000, banMs: 1000, maxSources: 3 });
    for (const s of ['a', 'b', 'c', 'd']) t.recordFailure(s, 0);
    assert.equal(t.size, 3);
    assert.equal(t.prune(5000), 3);
    assert.equal(t.size, 0);
  });

  it('property: never banned before maxFailures failures, and a ban lasts exactly banMs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 30 }),
        (max, gaps) => {
          const t = new AuthThrottle({ maxFailures: max, windowMs: 5000, banMs: 20_000 });
          let now = 0;
          let failures = 0;
          for (const g of gaps) {
            now += g;
            const banned = t.recordFailure('x', now);
            failures++;
            if (failures < max) assert.equal(banned, false);
            if (banned) {
              const until = t.bannedUntil('x', now);
              assert.ok(until !== undefined && until <= now + 20_000 && until > now);
            }
          }
        },
      ),
    );
  });

  it('rejects a non-positive configuration with RegistrarConfigError', () => {
    assert.throws(() => new AuthThrottle({ maxFailures: 0 }), RegistrarConfigError);
    assert.throws(() => new AuthThrottle({ banMs: -1 }), RegistrarConfigError);
  });
});
