import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRequest, type SipMessage } from '@tsvoip/sip';
import { DigestClientSession, SimDriver, type SipAddress, SipStack, type StackEvent } from '@tsvoip/stack';
import { SimNetwork } from '@tsvoip/transport';
import { MemoryUserStore } from '../store/memory-user-store.js';
import { DOMAIN, makeRegistrar, newUser, T0 } from './fixtures.test-helper.js';
import { REGISTRAR_OPTION_TAGS } from './registrar.js';
import { serveRegister } from './service.js';

const phone: SipAddress = { transport: 'UDP', host: '10.0.0.1', port: 5060 };
const pbx: SipAddress = { transport: 'UDP', host: '10.0.0.2', port: 5060 };

describe('registrar service on the simulated network', () => {
  it('RFC 3261 §10.2/§22: a UA registers through a lossy network: 401, digest answer, 200 with its binding', async () => {
    const users = new MemoryUserStore();
    const { registrar, locations } = await makeRegistrar({ users });
    const user = await newUser(users, 'pw');
    const driver = new SimDriver(new SimNetwork({ seed: 11, defaults: { loss: 0.2, delayMs: 20 } }));
    const pending: Promise<unknown>[] = [];
    driver.add(
      new SipStack({
        localAddresses: [pbx],
        allowedMethods: ['REGISTER', 'OPTIONS'],
        supportedOptionTags: REGISTRAR_OPTION_TAGS,
      }),
      [pbx],
      (event, node) => {
        if (event.type !== 'request') return;
        // The registrar's clock is wall-clock ms; the stack runs on the driver's virtual time.
        pending.push(
          serveRegister(registrar, event, T0 + driver.now, (id, response) =>
            node.run(driver.now, (stack) => stack.sendResponse(id, response, driver.now)),
          ),
        );
      },
    );
    const responses: SipMessage[] = [];
    const ua = driver.add(new SipStack({ localAddresses: [phone] }), [phone], (event: StackEvent) => {
      if (event.type === 'response' && event.response.status >= 200) responses.push(event.response);
    });
    const build = (cseq: number, headers: ReadonlyArray<readonly [string, string]>) =>
      createRequest({
        method: 'REGISTER',
        requestUri: `sip:${DOMAIN}`,
        from: `<sip:${user}@${DOMAIN}>`,
        to: `<sip:${user}@${DOMAIN}>`,
        callId: 'e2e-1',
        cseq,
        contact: `<sip:${user}@10.0.0.1:5060>`,
        headers: [['Expires', '600'], ...headers],
      });
    const settle = async (count: number) => {
      for (let i = 0; i < 5000 && responses.length < count; i++) {
        driver.advance(10);
        await Promise.all(pending.splice(0));
      }
    };
    ua.run(driver.now, (s) => s.sendRequest(build(1, []), pbx, driver.now));
    await settle(1);
    assert.equal(responses[0]?.status, 401);
    const client = new DigestClientSession({ credentials: { username: user, password: 'pw' } });
    const answer = client.respond(
      { statusCode: 401, challenges: responses[0]?.getHeaders('WWW-Authenticate') ?? [] },
      { method: 'REGISTER', uri: `sip:${DOMAIN}`, authorization: [] },
    );
    assert.ok(answer.ok);
    const auth = answer.headers.map((h) => [h.name, h.value] as const);
    ua.run(driver.now, (s) => s.sendRequest(build(2, auth), pbx, driver.now));
    await settle(2);
    const ok = responses[1];
    assert.equal(ok?.status, 200);
    assert.deepEqual(ok?.getHeaders('Contact'), [`<sip:${user}@10.0.0.1:5060>;expires=600;q=1`]);
    const [binding] = await locations.lookup(`sip:${user}@${DOMAIN}`, T0 + driver.now);
    assert.deepEqual(binding?.received, { transport: 'UDP', address: '10.0.0.1', port: 5060 });
    // A later re-REGISTER reuses the nonce (nc=2): one round trip.
    const [again] = client.authorize({ method: 'REGISTER', uri: `sip:${DOMAIN}` });
    assert.ok(again !== undefined);
    ua.run(driver.now, (s) => s.sendRequest(build(3, [[again.name, again.value]]), pbx, driver.now));
    await settle(3);
    assert.equal(responses[2]?.status, 200);
  });

  it('leaves other methods to the caller: serveRegister resolves false and sends nothing', async () => {
    const { registrar } = await makeRegistrar();
    const options = createRequest({
      method: 'OPTIONS',
      requestUri: `sip:${DOMAIN}`,
      from: '<sip:a@b>',
      to: '<sip:c@d>',
    });
    let sent = 0;
    const handled = await serveRegister(
      registrar,
      { type: 'request', transactionId: 't1', request: options, source: phone },
      T0,
      () => sent++,
    );
    assert.equal(handled, false);
    assert.equal(sent, 0);
  });
});
