import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { createResponse, formatUri, type SipMessage } from '@tsvoip/sip';
import { createHa1Lookup, DigestServer, listeningAddresses, NodeStackDriver, SipStack } from '@tsvoip/stack';
import { UdpTransport } from '@tsvoip/transport';
import { RegistrationError } from './errors.js';
import { created, makeUa, sleep } from './ua.test-helper.js';

/** A tiny registrar: the stack's digest server and a Map of bindings (RFC 3261 §10.3). */
async function startRegistrar(grantSeconds: number) {
  const realm = '127.0.0.1';
  const transport = new UdpTransport();
  await transport.listen('127.0.0.1', 0);
  const digest = new DigestServer({ realm, secret: randomBytes(32), algorithms: ['SHA-256', 'MD5'] });
  const lookup = createHa1Lookup(realm, [{ username: 'alice', password: 'wonderland' }]);
  const bindings = new Map<string, string>();
  const log: Array<{ authorized: boolean; expires: number }> = [];
  const stack = new SipStack({
    localAddresses: listeningAddresses([transport]),
    allowedMethods: ['REGISTER', 'OPTIONS'],
  });
  const driver = new NodeStackDriver(stack, [transport], {
    onEvent: (event, d) => {
      if (event.type !== 'request') return;
      const req: SipMessage = event.request;
      const result = digest.verify(
        { method: 'REGISTER', uri: req.requestUri, authorization: req.getHeaders('Authorization') },
        d.now(),
        lookup,
      );
      const expires = Number(req.getHeader('Expires') ?? 3600);
      log.push({ authorized: result.ok, expires });
      let response: SipMessage;
      if (!result.ok) {
        // RFC 3261 §22.2: 401 with one WWW-Authenticate per algorithm.
        response = createResponse(req, 401, undefined, {
          toTag: 'reg',
          headers: result.challenges.map((c) => [result.challengeHeader, c] as const),
        });
      } else {
        const aor = formatUri(
          req.to?.uri ?? req.parsedRequestUri ?? { kind: 'absolute', scheme: 'x', opaque: '' },
        );
        const contact = req.contact[0];
        const granted = Math.min(expires, grantSeconds);
        if (granted === 0) bindings.delete(aor);
        else if (contact !== undefined && contact !== '*') bindings.set(aor, formatUri(contact.uri));
        response = createResponse(req, 200, undefined, {
          toTag: 'reg',
          headers:
            granted === 0 || contact === undefined || contact === '*'
              ? []
              : [['Contact', `<${formatUri(contact.uri)}>;expires=${granted}`]],
        });
      }
      d.run((s, now) => s.sendResponse(event.transactionId, response, now));
    },
  });
  const where = transport.listening;
  assert.ok(where);
  return {
    uri: `sip:127.0.0.1:${where.port}`,
    bindings,
    log,
    async close() {
      driver.close();
      await transport.close();
    },
  };
}

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
