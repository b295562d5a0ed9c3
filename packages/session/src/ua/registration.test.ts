import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { RegistrationError } from './errors.js';
import { startRegistrar } from './registrar.test-helper.js';
import { created, makeUa, sleep } from './ua.test-helper.js';

const registrars: Array<{ close(): Promise<void> }> = [];
after(async () => {
  await Promise.all(created.map((ua) => ua.close({ timeoutMs: 500 })));
  await Promise.all(registrars.map((r) => r.close()));
});

describe('registration (RFC 3261 §10) against a test registrar with digest auth', () => {
  it('authenticates, refreshes before expiry, and unregisters on close', async () => {
    const registrar = await startRegistrar(2);
    registrars.push(registrar);
    const alice = await makeUa('alice', 45000, {
      registrar: registrar.uri,
      auth: { username: 'alice', password: 'wonderland' },
      register: { expires: 60, refreshRatio: 0.5 },
    });
    const granted = await alice.register();
    assert.equal(granted, 2, 'the expiry the registrar granted (Contact expires param)');
    assert.equal(registrar.bindings.get('sip:alice@127.0.0.1'), alice.contactUri);
    // RFC 3261 §22.2: the first REGISTER is challenged, the retry carries credentials.
    assert.deepEqual(
      registrar.log.map((l) => l.authorized),
      [false, true],
    );
    // Refresh at half the granted 2 s: two refreshes within ~2.3 s, each authorized at once (nonce reused).
    await sleep(2300);
    assert.ok(alice.registration !== undefined && alice.registration.refreshes >= 3, 'refreshed');
    assert.ok(
      registrar.log.slice(2).every((l) => l.authorized),
      'refreshes reuse the nonce (nc incremented) without a new challenge',
    );
    assert.equal(registrar.bindings.size, 1);
    await alice.close();
    assert.equal(registrar.bindings.size, 0, 'close() unregistered (expires 0)');
    assert.equal(registrar.log.at(-1)?.expires, 0);
  });

  it('wrong credentials reject with RegistrationError instead of looping', async () => {
    const registrar = await startRegistrar(60);
    registrars.push(registrar);
    const mallory = await makeUa('alice', 45100, {
      registrar: registrar.uri,
      auth: { username: 'alice', password: 'guess' },
    });
    const err = await mallory.register().catch((e: unknown) => e);
    assert.ok(err instanceof RegistrationError);
    assert.equal(err.status, 401);
    assert.equal(registrar.bindings.size, 0);
    assert.ok(registrar.log.length <= 3, `sent ${registrar.log.length} REGISTERs`);
  });
});
