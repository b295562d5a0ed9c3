import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Binding } from '../store/binding.js';
import { BindingOutOfOrderError, InvalidBindingError } from '../store/errors.js';
import type { StoreHarness } from './harness.js';
import { checkAgainstModel, opArb } from './location-model.js';

const AOR = 'sip:1001@pbx.example';
const OTHER = 'sip:1002@pbx.example';

/** A complete binding (every optional field set), with overrides. */
export function fullBinding(overrides: Partial<Binding> = {}): Binding {
  return {
    aor: AOR,
    contact: 'sip:1001@192.0.2.10:5062;transport=tcp',
    expiresAt: 10_000,
    q: 0.5,
    callId: 'call-1@192.0.2.10',
    cseq: 1,
    received: {
      transport: 'TCP',
      address: '198.51.100.7',
      port: 40312,
      listenerId: 'tcp0',
      connectionId: 'c-17',
    },
    path: ['<sip:edge1.example;lr;ob>', '<sip:edge2.example;lr>'],
    instanceId: '<urn:uuid:00000000-0000-1000-8000-000A95A0E128>',
    regId: 1,
    gruu: 'sip:1001@pbx.example;gr=urn:uuid:00000000-0000-1000-8000-000A95A0E128',
    userAgent: 'Ünïcode Phone/1.0',
    updatedAt: 1_000,
    ...overrides,
  };
}

/** A binding with no optional field, keyed by its contact URI. */
export function plainBinding(overrides: Partial<Binding> = {}): Binding {
  return {
    aor: AOR,
    contact: 'sip:1001@192.0.2.20:5060',
    expiresAt: 10_000,
    q: 1,
    callId: 'call-2@192.0.2.20',
    cseq: 1,
    path: [],
    updatedAt: 1_000,
    ...overrides,
  };
}

/** The LocationStore contract, run against one backend. */
export function locationStoreContract(h: () => StoreHarness, options: { propertyRuns: number }): void {
  const s = () => h().locations();
  afterEach(() => h().reset());

  describe('LocationStore', () => {
    it('stores every field of a binding and reads it back unchanged', async () => {
      const full = fullBinding();
      const plain = plainBinding();
      assert.equal(await s().upsert(full), 'created');
      assert.equal(await s().upsert(plain), 'created');
      const found = await s().lookup(AOR, 0);
      assert.deepEqual(found, [plain, full]); // q 1 before q 0.5
      assert.equal(Object.hasOwn(found[0], 'received'), false, 'absent optional fields stay absent');
      assert.equal(Object.hasOwn(found[0], 'instanceId'), false);
    });

    it('RFC 3261 §10.3 step 7: same Call-ID and higher CSeq updates the binding', async () => {
      await s().upsert(plainBinding({ cseq: 5, expiresAt: 2_000 }));
      assert.equal(await s().upsert(plainBinding({ cseq: 6, expiresAt: 9_000, q: 0.25 })), 'updated');
      const [b] = await s().lookup(AOR, 0);
      assert.equal(b.cseq, 6);
      assert.equal(b.expiresAt, 9_000);
      assert.equal(b.q, 0.25);
      assert.equal(await s().count(), 1);
    });

    it('RFC 3261 §10.3 step 7: same Call-ID and CSeq not higher is refused (500) and changes nothing', async () => {
      await s().upsert(plainBinding({ cseq: 5, expiresAt: 2_000 }));
      for (const cseq of [5, 4, 0]) {
        await assert.rejects(s().upsert(plainBinding({ cseq, expiresAt: 9_000 })), (err: unknown) => {
          assert.ok(err instanceof BindingOutOfOrderError);
          assert.equal(err.status, 500);
          assert.equal(err.storedCseq, 5);
          assert.equal(err.requestCseq, cseq);
          return true;
        });
      }
      const [b] = await s().lookup(AOR, 0);
      assert.equal(b.cseq, 5);
      assert.equal(b.expiresAt, 2_000);
    });

    it('RFC 3261 §10.3 step 7: a different Call-ID replaces the binding whatever its CSeq', async () => {
      await s().upsert(plainBinding({ callId: 'a', cseq: 50 }));
      assert.equal(
        await s().upsert(plainBinding({ callId: 'b', cseq: 1, userAgent: 'rebooted' })),
        'updated',
      );
      const [b] = await s().lookup(AOR, 0);
      assert.equal(b.callId, 'b');
      assert.equal(b.cseq, 1);
      assert.equal(b.userAgent, 'rebooted');
    });

    it('upsertMany is atomic: one out-of-order contact aborts the whole REGISTER', async () => {
      await s().upsert(plainBinding({ contact: 'sip:a@h', cseq: 3 }));
      const batch = [
        plainBinding({ contact: 'sip:new@h', cseq: 3 }),
        plainBinding({ contact: 'sip:a@h', cseq: 3, expiresAt: 99_999 }),
      ];
      await assert.rejects(s().upsertMany(batch), BindingOutOfOrderError);
      const after = await s().lookup(AOR, 0);
      assert.deepEqual(
        after.map((b) => [b.contact, b.expiresAt]),
        [['sip:a@h', 10_000]],
      );
      const ok = await s().upsertMany([
        plainBinding({ contact: 'sip:new@h', cseq: 4 }),
        plainBinding({ contact: 'sip:a@h', cseq: 4 }),
      ]);
      assert.deepEqual(ok, ['created', 'updated']);
      assert.equal(await s().count({ aor: AOR }), 2);
    });

    it('lookup orders by q descending, then most recently updated, and skips expired bindings', async () => {
      await s().upsert(plainBinding({ contact: 'sip:low@h', q: 0.1, updatedAt: 900 }));
      await s().upsert(plainBinding({ contact: 'sip:old@h', q: 0.7, updatedAt: 100 }));
      await s().upsert(plainBinding({ contact: 'sip:new@h', q: 0.7, updatedAt: 500 }));
      await s().upsert(plainBinding({ contact: 'sip:top@h', q: 1, updatedAt: 50 }));
      await s().upsert(plainBinding({ contact: 'sip:gone@h', q: 1, expiresAt: 3_000 }));
      await s().upsert(plainBinding({ aor: OTHER, contact: 'sip:else@h' }));
      const at = async (now: number) => (await s().lookup(AOR, now)).map((b) => b.contact);
      assert.deepEqual(await at(2_999), ['sip:gone@h', 'sip:top@h', 'sip:new@h', 'sip:old@h', 'sip:low@h']);
      // Live while now < expiresAt: at exactly expiresAt the binding is gone.
      assert.deepEqual(await at(3_000), ['sip:top@h', 'sip:new@h', 'sip:old@h', 'sip:low@h']);
      assert.deepEqual(await at(10_000), []);
      assert.deepEqual(await s().lookup('sip:nobody@h', 0), []);
    });

    it('expire(now) deletes and returns exactly the bindings expired at now', async () => {
      await s().upsert(plainBinding({ contact: 'sip:a@h', expiresAt: 1_000 }));
      await s().upsert(plainBinding({ contact: 'sip:b@h', expiresAt: 2_000 }));
      await s().upsert(plainBinding({ aor: OTHER, contact: 'sip:c@h', expiresAt: 2_000 }));
      await s().upsert(plainBinding({ contact: 'sip:d@h', expiresAt: 2_001 }));
      assert.deepEqual(await s().expire(999), []);
      const removed = await s().expire(2_000);
      assert.deepEqual(removed.map((b) => `${b.aor} ${b.contact}`).sort(), [
        `${AOR} sip:a@h`,
        `${AOR} sip:b@h`,
        `${OTHER} sip:c@h`,
      ]);
      assert.equal(await s().count(), 1);
      assert.deepEqual(
        (await s().lookup(AOR, 0)).map((b) => b.contact),
        ['sip:d@h'],
      );
    });

    it('RFC 5626 §6: instance-id + reg-id identify the binding, so a new contact URI replaces the old', async () => {
      await s().upsert(fullBinding({ contact: 'sip:1001@192.0.2.10:5062', cseq: 1 }));
      assert.equal(
        await s().upsert(fullBinding({ contact: 'sip:1001@192.0.2.99:6000', cseq: 2 })),
        'updated',
      );
      assert.deepEqual(
        (await s().lookup(AOR, 0)).map((b) => b.contact),
        ['sip:1001@192.0.2.99:6000'],
      );
      // Another reg-id of the same instance is another flow: a second binding (RFC 5626 §4.2).
      assert.equal(
        await s().upsert(fullBinding({ regId: 2, contact: 'sip:1001@192.0.2.99:6000' })),
        'created',
      );
      // Without reg-id, the contact URI is the key again, distinct from the outbound bindings.
      assert.equal(
        await s().upsert(fullBinding({ regId: undefined, contact: 'sip:1001@192.0.2.99:6000' })),
        'created',
      );
      assert.equal(await s().count({ aor: AOR }), 3);
      // The outbound key also decides the ordering rule: same Call-ID, same CSeq, new contact -> refused.
      await assert.rejects(
        s().upsert(fullBinding({ contact: 'sip:1001@203.0.113.1', cseq: 2 })),
        BindingOutOfOrderError,
      );
    });

    it('remove deletes one binding by its key and returns it', async () => {
      const outbound = fullBinding({ contact: 'sip:x@h' });
      await s().upsert(outbound);
      await s().upsert(plainBinding({ contact: 'sip:a@h' }));
      await s().upsert(plainBinding({ contact: 'sip:b@h' }));
      assert.deepEqual(
        await s().remove({ aor: AOR, contact: 'sip:a@h' }),
        plainBinding({ contact: 'sip:a@h' }),
      );
      assert.equal(await s().remove({ aor: AOR, contact: 'sip:a@h' }), undefined);
      assert.equal(await s().remove({ aor: OTHER, contact: 'sip:b@h' }), undefined);
      // An outbound binding is removed by instance-id + reg-id, whatever contact the request names.
      const removed = await s().remove({
        aor: AOR,
        contact: 'sip:other@h',
        instanceId: outbound.instanceId,
        regId: 1,
      });
      assert.deepEqual(removed, outbound);
      assert.deepEqual(
        (await s().lookup(AOR, 0)).map((b) => b.contact),
        ['sip:b@h'],
      );
    });

    it('RFC 3261 §10.3 step 7: removal with the same Call-ID needs a higher CSeq', async () => {
      await s().upsert(plainBinding({ contact: 'sip:a@h', callId: 'k', cseq: 7 }));
      await assert.rejects(
        s().remove({ aor: AOR, contact: 'sip:a@h' }, { callId: 'k', cseq: 7 }),
        BindingOutOfOrderError,
      );
      assert.equal(await s().count(), 1);
      const gone = await s().remove({ aor: AOR, contact: 'sip:a@h' }, { callId: 'k', cseq: 8 });
      assert.equal(gone?.cseq, 7);
      await s().upsert(plainBinding({ contact: 'sip:a@h', callId: 'k', cseq: 9 }));
      assert.equal(
        (await s().remove({ aor: AOR, contact: 'sip:a@h' }, { callId: 'other', cseq: 1 }))?.cseq,
        9,
      );
      assert.equal(await s().count(), 0);
    });

    it('removeAll (Contact: *) removes every binding of the AoR and only those', async () => {
      await s().upsert(plainBinding({ contact: 'sip:a@h' }));
      await s().upsert(fullBinding());
      await s().upsert(plainBinding({ aor: OTHER, contact: 'sip:a@h' }));
      const removed = await s().removeAll(AOR);
      assert.deepEqual(removed.map((b) => b.contact).sort(), [
        'sip:1001@192.0.2.10:5062;transport=tcp',
        'sip:a@h',
      ]);
      assert.equal(await s().count({ aor: AOR }), 0);
      assert.equal(await s().count({ aor: OTHER }), 1);
      assert.deepEqual(await s().removeAll(AOR), []);
    });

    it('RFC 3261 §10.3 step 6: Contact: * with a stale CSeq for one binding removes nothing', async () => {
      await s().upsert(plainBinding({ contact: 'sip:a@h', callId: 'one', cseq: 10 }));
      await s().upsert(plainBinding({ contact: 'sip:b@h', callId: 'two', cseq: 3 }));
      await assert.rejects(s().removeAll(AOR, { callId: 'two', cseq: 3 }), (err: unknown) => {
        assert.ok(err instanceof BindingOutOfOrderError);
        assert.equal(err.status, 500);
        return true;
      });
      assert.equal(await s().count(), 2);
      assert.equal((await s().removeAll(AOR, { callId: 'two', cseq: 4 })).length, 2);
      assert.equal(await s().count(), 0);
    });

    it('count filters by AoR and by liveness at now', async () => {
      await s().upsert(plainBinding({ contact: 'sip:a@h', expiresAt: 100 }));
      await s().upsert(plainBinding({ contact: 'sip:b@h', expiresAt: 300 }));
      await s().upsert(plainBinding({ aor: OTHER, expiresAt: 300 }));
      assert.equal(await s().count(), 3);
      assert.equal(await s().count({ aor: AOR }), 2);
      assert.equal(await s().count({ now: 100 }), 2);
      assert.equal(await s().count({ aor: AOR, now: 299 }), 1);
      assert.equal(await s().count({ aor: 'sip:none@h' }), 0);
    });

    it('refuses bindings with an invalid q-value, CSeq or reg-id before writing anything', async () => {
      const bad: Partial<Binding>[] = [
        { q: 1.5 },
        { q: -0.1 },
        { q: 0.1234 },
        { cseq: 2 ** 31 },
        { cseq: 1.5 },
      ];
      for (const o of bad) await assert.rejects(s().upsert(plainBinding(o)), InvalidBindingError);
      await assert.rejects(s().upsert(fullBinding({ regId: 0 })), InvalidBindingError);
      await assert.rejects(s().upsertMany([plainBinding(), plainBinding({ q: 2 })]), InvalidBindingError);
      assert.equal(await s().count(), 0);
      assert.equal(await s().upsert(plainBinding({ q: 0.001, cseq: 2 ** 31 - 1 })), 'created');
      assert.equal((await s().lookup(AOR, 0))[0].q, 0.001);
    });

    it('agrees with a reference model over random REGISTER sequences (property)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 14 }), async (ops) => {
          await h().reset();
          await checkAgainstModel(s(), ops);
        }),
        { numRuns: options.propertyRuns },
      );
    });
  });
}
