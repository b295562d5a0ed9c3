import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LocateTarget } from './locate.js';
import { TargetCursor } from './target-cursor.js';

const t = (address: string): LocateTarget => ({ transport: 'UDP', host: address, port: 5060, address });

describe('TargetCursor (RFC 3263 §4.3 failover)', () => {
  it('moves to the next target on timeout, transport error and 503, then is exhausted', () => {
    const c = new TargetCursor([t('192.0.2.1'), t('192.0.2.2'), t('192.0.2.3')]);
    assert.equal(c.current?.address, '192.0.2.1');
    assert.equal(c.fail('timeout')?.address, '192.0.2.2');
    assert.equal(c.onResponse(503)?.address, '192.0.2.3');
    assert.equal(c.remaining, 1);
    assert.equal(c.fail('transport-error'), undefined);
    assert.ok(c.exhausted);
    assert.deepEqual(
      c.failures.map((f) => [f.target.address, f.reason]),
      [
        ['192.0.2.1', 'timeout'],
        ['192.0.2.2', 'service-unavailable'],
        ['192.0.2.3', 'transport-error'],
      ],
    );
  });

  it('any response other than 503 ends the search at the current target', () => {
    const c = new TargetCursor([t('192.0.2.1'), t('192.0.2.2')]);
    for (const status of [200, 404, 480, 500, 502, 504, 600]) assert.equal(c.onResponse(status), undefined);
    assert.equal(c.current?.address, '192.0.2.1');
    assert.equal(c.failures.length, 0);
  });

  it('an empty list is exhausted from the start', () => {
    const c = new TargetCursor([]);
    assert.ok(c.exhausted);
    assert.equal(c.fail('timeout'), undefined);
    assert.equal(c.failures.length, 0);
  });
});
