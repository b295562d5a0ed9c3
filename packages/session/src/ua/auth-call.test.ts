import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { SipMessage } from '@tsvoip/sip';
import { createHa1Lookup, DigestServer } from '@tsvoip/stack';
import { CallFailedError } from './errors.js';
import type { IncomingCall } from './incoming-call.js';
import { created, makeUa, uriOf } from './ua.test-helper.js';
import type { UserAgent } from './user-agent.js';

const REALM = '127.0.0.1';

/** Bounds a promise so a hung call fails the test instead of hanging it. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no outcome within ${ms} ms`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

let bob: UserAgent;
/** INVITEs bob saw, with whether their Proxy-Authorization verified. */
const seen: Array<{ from: string; cseq: number; authorized: boolean }> = [];

before(async () => {
  bob = await makeUa('bob', 45600);
  // bob plays a proxy that challenges INVITE (RFC 3261 §22.3): 407 with Proxy-Authenticate.
  const digest = new DigestServer({ realm: REALM, secret: randomBytes(32), proxy: true });
  const lookup = createHa1Lookup(REALM, [{ username: 'alice', password: 'wonderland' }]);
  bob.on('incoming', (call: IncomingCall) => {
    const req: SipMessage = call.invite.request;
    const r = digest.verify(
      { method: 'INVITE', uri: req.requestUri, authorization: req.getHeaders('Proxy-Authorization') },
      performance.now(),
      lookup,
    );
    seen.push({
      from: req.from?.uri.kind === 'sip' ? (req.from.uri.user ?? '') : '',
      cseq: req.cseq?.seq ?? 0,
      authorized: r.ok,
    });
    if (r.ok) void call.accept();
    else
      call.invite.reject(r.statusCode, { headers: r.challenges.map((c) => [r.challengeHeader, c] as const) });
  });
});

after(async () => {
  await Promise.all(created.map((ua) => ua.close({ timeoutMs: 500 })));
});

describe('INVITE digest challenges over real UDP (RFC 3261 §22.2)', () => {
  it('a caller with credentials answers the 407 with Proxy-Authorization and the call is answered', async () => {
    const alice = await makeUa('alice', 45700, { auth: { username: 'alice', password: 'wonderland' } });
    const call = await within(alice.call(uriOf(bob)), 5000);
    assert.equal(call.state, 'active');
    await call.hangup();
    const mine = seen.filter((s) => s.from === 'alice');
    // Challenged once without credentials, then verified with CSeq + 1.
    assert.deepEqual(
      mine.map((s) => s.authorized),
      [false, true],
    );
    assert.equal(mine[1].cseq, mine[0].cseq + 1);
  });

  it('without credentials the call fails with CallFailedError 407', async () => {
    const carol = await makeUa('carol', 45800);
    await assert.rejects(within(carol.call(uriOf(bob)), 5000), (e: unknown) => {
      assert.ok(e instanceof CallFailedError, String(e));
      assert.equal(e.status, 407);
      return true;
    });
    assert.equal(seen.filter((s) => s.from === 'carol').length, 1);
    assert.equal(carol.calls.size, 0);
  });

  it('a wrong password fails with CallFailedError 407 after one retry', async () => {
    const dave = await makeUa('alice', 45900, { auth: { username: 'alice', password: 'not-it' } });
    const before = seen.filter((s) => s.from === 'alice').length;
    await assert.rejects(within(dave.call(uriOf(bob)), 5000), (e: unknown) => {
      assert.ok(e instanceof CallFailedError, String(e));
      assert.equal(e.status, 407);
      return true;
    });
    const mine = seen.filter((s) => s.from === 'alice').slice(before);
    assert.deepEqual(
      mine.map((s) => s.authorized),
      [false, false],
    );
  });
});
