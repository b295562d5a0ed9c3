import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TargetSet } from './target-set.js';

describe('target set (RFC 3261 §16.5, §16.6)', () => {
  it('groups come out by q, highest first, equal q together, every target once (property)', () => {
    const qArb = fc.constantFrom(undefined, 0, 0.1, 0.5, 0.9, 1);
    fc.assert(
      fc.property(fc.array(qArb, { maxLength: 12 }), (qs) => {
        const set = new TargetSet();
        set.add(qs.map((q, i) => (q === undefined ? { uri: `sip:u${i}@h` } : { uri: `sip:u${i}@h`, q })));
        const seen: number[] = [];
        let last = Infinity;
        for (let g = set.nextGroup(); g.length > 0; g = set.nextGroup()) {
          const q = g[0].q ?? 1;
          assert.ok(q < last, 'strictly decreasing across groups');
          for (const t of g) assert.equal(t.q ?? 1, q);
          last = q;
          for (const t of g) seen.push(Number(t.uri.slice(5, t.uri.indexOf('@'))));
        }
        assert.deepEqual(
          seen.sort((a, b) => a - b),
          qs.map((_, i) => i),
        );
      }),
    );
  });

  it('a URI is added at most once, compared by RFC 3261 §19.1.4 equality', () => {
    const set = new TargetSet();
    assert.equal(set.add([{ uri: 'sip:bob@Example.COM' }, { uri: 'sip:carol@example.com' }]), 2);
    assert.equal(set.add([{ uri: 'sip:bob@example.com' }]), 0);
    set.nextGroup();
    assert.equal(set.add([{ uri: 'sip:carol@EXAMPLE.com' }]), 0, 'even after being tried');
    assert.equal(set.add([{ uri: 'sip:dave@example.com' }]), 1);
    set.clear();
    assert.equal(set.pending, 0);
  });
});
