import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type Binding,
  type BindingKey,
  bindingKeyOf,
  compareBindings,
  isInOrder,
  validateBinding,
} from './binding.js';
import { InvalidBindingError } from './errors.js';

const keyArb: fc.Arbitrary<BindingKey> = fc.record(
  {
    aor: fc.constant('sip:a@x'),
    contact: fc.string({ maxLength: 12 }),
    instanceId: fc.string({ maxLength: 8 }),
    regId: fc.integer({ min: 1, max: 3 }),
  },
  { requiredKeys: ['aor', 'contact'] },
);

describe('bindingKeyOf', () => {
  it('RFC 5626 §6: equal strings exactly for the same (instance-id, reg-id) or the same contact (property)', () => {
    fc.assert(
      fc.property(keyArb, keyArb, (a, b) => {
        const outA = a.instanceId !== undefined && a.regId !== undefined;
        const outB = b.instanceId !== undefined && b.regId !== undefined;
        const same =
          outA === outB &&
          (outA ? a.instanceId === b.instanceId && a.regId === b.regId : a.contact === b.contact);
        assert.equal(bindingKeyOf(a) === bindingKeyOf(b), same);
      }),
      { numRuns: 2000 },
    );
  });

  it('does not confuse a contact URI with an outbound key that spells the same text', () => {
    const outbound = bindingKeyOf({ aor: 'a', contact: 'x', instanceId: 'i', regId: 1 });
    assert.notEqual(bindingKeyOf({ aor: 'a', contact: outbound }), outbound);
  });
});

describe('isInOrder', () => {
  it('RFC 3261 §10.3 step 7: a change is allowed for another Call-ID, or the same one with a higher CSeq', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('c1', 'c2'),
        fc.nat(10),
        fc.constantFrom('c1', 'c2'),
        fc.nat(10),
        (storedCallId, storedCseq, callId, cseq) => {
          const expected = storedCallId !== callId || cseq > storedCseq;
          assert.equal(isInOrder({ callId: storedCallId, cseq: storedCseq }, { callId, cseq }), expected);
        },
      ),
    );
  });
});

describe('compareBindings and validateBinding', () => {
  const base: Binding = {
    aor: 'a',
    contact: 'c',
    expiresAt: 1,
    q: 1,
    callId: 'i',
    cseq: 1,
    path: [],
    updatedAt: 1,
  };

  it('orders by q descending, then updatedAt descending', () => {
    const list = [
      { ...base, contact: 'low', q: 0.1, updatedAt: 9 },
      { ...base, contact: 'older', q: 0.5, updatedAt: 1 },
      { ...base, contact: 'newer', q: 0.5, updatedAt: 2 },
      { ...base, contact: 'top', q: 1, updatedAt: 0 },
    ];
    assert.deepEqual(
      list.sort(compareBindings).map((b) => b.contact),
      ['top', 'newer', 'older', 'low'],
    );
  });

  it('RFC 3261 §20.10 and §8.1.1.5: accepts q in [0,1] with 3 decimals and CSeq below 2^31 only', () => {
    for (const ok of [{ q: 0 }, { q: 1 }, { q: 0.125 }, { cseq: 0 }, { cseq: 2 ** 31 - 1 }]) {
      validateBinding({ ...base, ...ok });
    }
    for (const [field, bad] of [
      ['q', { q: Number.NaN }],
      ['q', { q: 0.0005 }],
      ['cseq', { cseq: -1 }],
      ['expiresAt', { expiresAt: 1.5 }],
      ['contact', { contact: '' }],
      ['received.port', { received: { transport: 'UDP', address: '192.0.2.1', port: 70000 } }],
    ] as const) {
      assert.throws(
        () => validateBinding({ ...base, ...bad }),
        (e: unknown) => e instanceof InvalidBindingError && e.field === field,
      );
    }
  });
});
