import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Binding } from './binding.js';
import { MemoryLocationStore } from './memory-location-store.js';

const NOW = 1_700_000_000_000;

function binding(contact: string, extra: Partial<Binding> = {}): Binding {
  return {
    aor: 'sip:1001@pbx.example',
    contact,
    expiresAt: NOW + 60_000,
    q: 1,
    callId: `c-${contact}`,
    cseq: 1,
    received: { transport: 'TCP', address: '198.51.100.7', port: 40312, connectionId: 'c-17' },
    path: ['<sip:edge.example;lr;ob>'],
    userAgent: 'Phone/1.0',
    updatedAt: NOW,
    ...extra,
  };
}

describe('MemoryLocationStore compact storage', () => {
  it('gives back every field that was set, and no field that was not', async () => {
    const store = new MemoryLocationStore();
    const full = binding('sip:a@192.0.2.1', {
      instanceId: '<urn:uuid:1>',
      regId: 1,
      gruu: 'sip:g@pbx.example',
      received: {
        transport: 'TLS',
        address: '2001:db8::1',
        port: 5061,
        listenerId: 'l1',
        connectionId: 'c1',
      },
    });
    await store.upsert(full);
    assert.deepEqual(await store.lookup(full.aor, NOW), [full]);
    const bare: Binding = {
      aor: 'sip:1002@pbx.example',
      contact: 'sip:b@192.0.2.2',
      expiresAt: NOW + 1000,
      q: 0.5,
      callId: 'x',
      cseq: 7,
      path: [],
      updatedAt: NOW,
    };
    await store.upsert(bare);
    const [got] = await store.lookup(bare.aor, NOW);
    assert.deepEqual(got, bare);
    assert.deepEqual(Object.keys(got ?? {}).sort(), Object.keys(bare).sort());
  });

  it('keeps one, then several, then one binding per AoR (RFC 3261 §10.3 step 7 keys)', async () => {
    const store = new MemoryLocationStore();
    const a = binding('sip:a@192.0.2.1');
    const b = binding('sip:b@192.0.2.2', { updatedAt: NOW + 1 });
    const c = binding('sip:c@192.0.2.3', { q: 0.5 });
    assert.equal(await store.upsert(a), 'created');
    assert.equal(await store.upsert(b), 'created');
    assert.equal(await store.upsert(c), 'created');
    assert.equal(await store.upsert({ ...a, cseq: 2 }), 'updated');
    assert.deepEqual(
      (await store.lookup(a.aor, NOW)).map((x) => x.contact),
      ['sip:b@192.0.2.2', 'sip:a@192.0.2.1', 'sip:c@192.0.2.3'],
    );
    assert.deepEqual(await store.remove(b), b);
    assert.deepEqual(await store.remove(c), c);
    assert.deepEqual(await store.lookup(a.aor, NOW), [{ ...a, cseq: 2 }]);
    assert.equal(await store.count(), 1);
    assert.deepEqual(await store.expire(NOW + 60_000), [{ ...a, cseq: 2 }]);
    assert.equal(await store.count(), 0);
  });

  it('does not let callers change what it stores', async () => {
    const store = new MemoryLocationStore();
    const path = ['<sip:edge.example;lr>'];
    const received = { transport: 'UDP', address: '198.51.100.7', port: 5060 };
    await store.upsert(binding('sip:a@192.0.2.1', { path, received }));
    path.push('<sip:evil.example>');
    received.port = 1;
    const [got] = await store.lookup('sip:1001@pbx.example', NOW);
    assert.ok(got !== undefined);
    assert.deepEqual(got.path, ['<sip:edge.example;lr>']);
    assert.equal(got.received?.port, 5060);
    assert.throws(() => (got.path as string[]).push('x'), TypeError);
    (got.received as { port: number }).port = 2;
    const [again] = await store.lookup('sip:1001@pbx.example', NOW);
    assert.equal(again?.received?.port, 5060);
  });
});
