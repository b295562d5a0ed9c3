import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeHa1Set } from '../store/ha1.js';
import { MemoryUserStore } from '../store/memory-user-store.js';
import {
  capturingLogger,
  DOMAIN,
  makeRegistrar,
  newUser,
  register,
  registerWithDigest,
  T0,
} from './fixtures.test-helper.js';

describe('logging', () => {
  it('never logs a password, an HA1 or a digest response, through success, failure and ban', async () => {
    const logger = capturingLogger();
    const users = new MemoryUserStore();
    const { registrar } = await makeRegistrar({ users, logger, throttle: { maxFailures: 2 } });
    const user = await newUser(users, 'Sup3rSecret!');
    const ok = await registerWithDigest(registrar, { user, callId: 'ok' }, 'Sup3rSecret!', T0);
    assert.equal(ok.final.status, 200);
    const attacker = { transport: 'UDP', address: '203.0.113.9', port: 5060 } as const;
    for (let i = 0; i < 2; i++) {
      await registerWithDigest(registrar, { user, callId: `bad${i}`, cseq: 10 }, 'Wr0ngGuess', T0, attacker);
    }
    assert.equal((await registrar.handleRegister(register({ user, cseq: 20 }), attacker, T0)).status, 403);
    const secrets = [
      'Sup3rSecret!',
      'Wr0ngGuess',
      ...Object.values(computeHa1Set(user, DOMAIN, 'Sup3rSecret!')),
      ...Object.values(computeHa1Set(user, DOMAIN, 'Wr0ngGuess')),
    ];
    // Something was logged (accepted, failures, ban), and none of it holds a secret.
    assert.ok(logger.lines.some((l) => l.includes('REGISTER accepted')));
    assert.ok(logger.lines.some((l) => l.includes('authentication failed')));
    assert.ok(logger.lines.some((l) => l.includes('banned')));
    for (const line of logger.lines) {
      for (const s of secrets) assert.ok(!line.includes(s), `secret in log line: ${line}`);
      assert.ok(!line.includes('response='), `credentials in log line: ${line}`);
    }
  });
});
