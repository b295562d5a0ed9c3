// Model-based property test of a LocationStore: a reference model written independently of the stores
// (its own identity rule and ordering), replayed against the store under test.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Binding } from '../store/binding.js';
import { BindingOutOfOrderError } from '../store/errors.js';
import type { LocationStore } from '../store/location-store.js';

/** One step of a random REGISTER sequence. */
export type Op =
  | { kind: 'upsert'; b: Omit<Binding, 'updatedAt' | 'expiresAt'>; ttl: number }
  | { kind: 'remove'; aor: string; contact: string; instanceId?: string; regId?: number; order?: Order }
  | { kind: 'removeAll'; aor: string; order?: Order }
  | { kind: 'expire'; back: number };
type Order = { callId: string; cseq: number };

const aorArb = fc.constantFrom('sip:a@x', 'sip:b@x');
const contactArb = fc.constantFrom('sip:1@h', 'sip:2@h', 'sip:3@h');
const instanceArb = fc.option(fc.constantFrom('<urn:uuid:1>', '<urn:uuid:2>'), { nil: undefined });
const regIdArb = fc.option(fc.constantFrom(1, 2), { nil: undefined });
const orderArb = fc.option(
  fc.record({ callId: fc.constantFrom('c1', 'c2'), cseq: fc.integer({ min: 1, max: 4 }) }),
  {
    nil: undefined,
  },
);
/** Random REGISTER-like operations on two AoRs, three contacts, two instances. */
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('upsert' as const),
      ttl: fc.integer({ min: 1, max: 6 }),
      b: fc.record({
        aor: aorArb,
        contact: contactArb,
        q: fc.constantFrom(0, 0.5, 1),
        callId: fc.constantFrom('c1', 'c2'),
        cseq: fc.integer({ min: 1, max: 4 }),
        path: fc.array(fc.constantFrom('<sip:p1;lr>', '<sip:p2;lr>'), { maxLength: 2 }),
        instanceId: instanceArb,
        regId: regIdArb,
      }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('remove' as const),
      aor: aorArb,
      contact: contactArb,
      instanceId: instanceArb,
      regId: regIdArb,
      order: orderArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('removeAll' as const), aor: aorArb, order: orderArb }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('expire' as const), back: fc.integer({ min: 0, max: 4 }) }),
  },
);

/** Strips keys whose value is undefined, as a store reads a binding back. */
function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// The model's own idea of identity (RFC 5626 §6 / RFC 3261 §10.3), written independently of bindingKeyOf.
function sameBinding(
  a: { aor: string; contact: string; instanceId?: string; regId?: number },
  b: typeof a,
): boolean {
  if (a.aor !== b.aor) return false;
  const aOut = a.instanceId !== undefined && a.regId !== undefined;
  const bOut = b.instanceId !== undefined && b.regId !== undefined;
  if (aOut !== bOut) return false;
  return aOut ? a.instanceId === b.instanceId && a.regId === b.regId : a.contact === b.contact;
}

/** Replays `ops` on `store` and on an independent reference model, comparing after every step. */
export async function checkAgainstModel(store: LocationStore, ops: readonly Op[]): Promise<void> {
  let model: Binding[] = [];
  let clock = 100;
  const stale = (b: Binding, o: Order) => b.callId === o.callId && o.cseq <= b.cseq;
  for (const op of ops) {
    clock += 1;
    if (op.kind === 'upsert') {
      const b = clean({ ...op.b, expiresAt: clock + op.ttl, updatedAt: clock }) as Binding;
      const i = model.findIndex((m) => sameBinding(m, b));
      if (i >= 0 && stale(model[i], b)) {
        await assert.rejects(store.upsert(b), BindingOutOfOrderError);
      } else {
        assert.equal(await store.upsert(b), i >= 0 ? 'updated' : 'created');
        if (i >= 0) model[i] = b;
        else model.push(b);
      }
    } else if (op.kind === 'remove') {
      const key = clean({ aor: op.aor, contact: op.contact, instanceId: op.instanceId, regId: op.regId });
      const i = model.findIndex((m) => sameBinding(m, key));
      if (i >= 0 && op.order !== undefined && stale(model[i], op.order)) {
        await assert.rejects(store.remove(key, op.order), BindingOutOfOrderError);
      } else {
        assert.deepEqual(await store.remove(key, op.order), i >= 0 ? model[i] : undefined);
        if (i >= 0) model.splice(i, 1);
      }
    } else if (op.kind === 'removeAll') {
      const mine = model.filter((m) => m.aor === op.aor);
      const order = op.order;
      if (order !== undefined && mine.some((m) => stale(m, order))) {
        await assert.rejects(store.removeAll(op.aor, order), BindingOutOfOrderError);
      } else {
        const removed = await store.removeAll(op.aor, order);
        assert.equal(removed.length, mine.length);
        model = model.filter((m) => m.aor !== op.aor);
      }
    } else {
      const at = clock - op.back;
      const removed = await store.expire(at);
      assert.equal(removed.length, model.filter((m) => m.expiresAt <= at).length);
      model = model.filter((m) => m.expiresAt > at);
    }
    for (const aor of ['sip:a@x', 'sip:b@x']) {
      // updatedAt is unique per write here, so (q desc, updatedAt desc) is a total order.
      const expected = model
        .filter((m) => m.aor === aor && m.expiresAt > clock)
        .sort((x, y) => y.q - x.q || y.updatedAt - x.updatedAt);
      assert.deepEqual(await store.lookup(aor, clock), expected);
    }
    assert.equal(await store.count(), model.length);
  }
}
