import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RouteContext, RouteResponse, RouteResult, Target } from '@tsvoip/proxy';
import { AuthThrottle, MemoryLocationStore, MemoryUserStore, sipUriMatches } from '@tsvoip/registrar';
import { parseMessage } from '@tsvoip/sip';
import { DigestClientSession, DigestServer, silentLogger } from '@tsvoip/stack';
import fc from 'fast-check';
import { trunkSchema } from '../config/schema.js';
import { TrustedSources } from './cidr.js';
import { createPbxRouter, trunkForNumber, trunkUri } from './router.js';

const NOW = 1_800_000_000_000;
const REALM = 'tsvoip';
const trunk = trunkSchema.parse({
  name: 'carrier',
  address: '192.0.2.50:5060',
  prefixes: ['0', '00'],
  domains: ['carrier.example'],
  strip: 1,
  callerId: '4930123',
});

async function setup(trusted: string[] = []) {
  const users = new MemoryUserStore();
  await users.add({ username: '1000', realm: REALM, password: 'pw0' }, NOW);
  await users.add({ username: '1001', realm: REALM, password: 'pw1', displayName: 'Alice' }, NOW);
  const locations = new MemoryLocationStore();
  await locations.upsert({
    aor: 'sip:1001@pbx.test',
    contact: 'sip:1001@10.0.0.7:5062',
    expiresAt: NOW + 3600_000,
    q: 1,
    callId: 'reg-1',
    cseq: 1,
    received: { transport: 'UDP', address: '198.51.100.9', port: 40000 },
    path: [],
    updatedAt: NOW,
  });
  const throttle = new AuthThrottle({ maxFailures: 2, windowMs: 60_000, banMs: 60_000 });
  const router = createPbxRouter({
    domains: ['pbx.test'],
    users,
    locations,
    digest: new DigestServer({
      realm: REALM,
      secret: new Uint8Array(32).fill(7),
      proxy: true,
      uriMatches: sipUriMatches,
    }),
    throttle,
    trusted: new TrustedSources(trusted),
    trunks: [trunk],
    clock: () => NOW,
    logger: silentLogger,
  });
  return { router, throttle };
}

function invite(
  uri: string,
  from: string,
  authorization: readonly string[] = [],
): ReturnType<typeof parseMessage> {
  return parseMessage(
    `INVITE ${uri} SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK1\r\nMax-Forwards: 70\r\n` +
      `From: <sip:${from}@pbx.test>;tag=a\r\nTo: <${uri}>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\n` +
      authorization.map((a) => `Proxy-Authorization: ${a}\r\n`).join('') +
      'Content-Length: 0\r\n\r\n',
  );
}

function context(source: string, ours: boolean): RouteContext {
  const s = { transport: 'UDP' as const, host: source, port: 5060 };
  return {
    id: 1,
    arrival: { source: s, local: { transport: 'UDP', host: '192.0.2.1', port: 5060 } },
    flow: s,
    requestUriIsOurs: ours,
    now: 0,
  };
}

function isResponse(r: RouteResult): r is RouteResponse {
  return r !== undefined && !Array.isArray(r);
}

/** Routes `uri` as `user` with the right (or given) password: challenge, then answer it. */
async function routeAs(
  router: ReturnType<typeof createPbxRouter>,
  uri: string,
  user: string,
  password: string,
  opts: { source?: string; ours?: boolean; from?: string } = {},
): Promise<RouteResult> {
  const ctx = context(opts.source ?? '203.0.113.5', opts.ours ?? true);
  const first = await router(invite(uri, opts.from ?? user), ctx);
  assert.ok(isResponse(first) && first.status === 407, 'challenged first');
  const client = new DigestClientSession({ credentials: { username: user, password } });
  const answer = client.respond(
    { statusCode: 407, challenges: (first.headers ?? []).map(([, v]) => v) },
    { method: 'INVITE', uri, authorization: [] },
  );
  assert.ok(answer.ok);
  return router(
    invite(
      uri,
      opts.from ?? user,
      answer.headers.map((h) => h.value),
    ),
    ctx,
  );
}

describe('PBX routing', () => {
  it('RFC 3261 §22.3: challenges an unauthenticated INVITE with 407, one Proxy-Authenticate per algorithm', async () => {
    const { router } = await setup();
    const r = await router(invite('sip:1001@pbx.test', '1000'), context('203.0.113.5', true));
    assert.ok(isResponse(r));
    assert.equal(r.status, 407);
    assert.deepEqual(
      (r.headers ?? []).map(([n, v]) => [n, /algorithm=([\w-]+)/.exec(v)?.[1]]),
      [
        ['Proxy-Authenticate', 'SHA-256'],
        ['Proxy-Authenticate', 'MD5'],
      ],
    );
  });

  it('routes an authenticated call to the callee binding over its registered flow (RFC 5626 §5.3)', async () => {
    const { router } = await setup();
    const r = await routeAs(router, 'sip:1001@pbx.test', '1000', 'pw0');
    assert.deepEqual(r, [
      { uri: 'sip:1001@10.0.0.7:5062', q: 1, flow: { transport: 'UDP', host: '198.51.100.9', port: 40000 } },
    ] satisfies Target[]);
  });

  it('dials by display name, case-insensitively', async () => {
    const { router } = await setup();
    const r = await routeAs(router, 'sip:alice@pbx.test', '1000', 'pw0');
    assert.ok(Array.isArray(r));
    assert.equal(r[0]?.uri, 'sip:1001@10.0.0.7:5062');
  });

  it('unregistered user 480, unknown user 404, foreign domain 403 (no open relay)', async () => {
    const { router } = await setup();
    const away = await routeAs(router, 'sip:1000@pbx.test', '1001', 'pw1');
    assert.ok(isResponse(away) && away.status === 480);
    const unknown = await routeAs(router, 'sip:7777@pbx.test', '1000', 'pw0');
    assert.ok(isResponse(unknown) && unknown.status === 404);
    const relay = await routeAs(router, 'sip:bob@elsewhere.example', '1000', 'pw0', { ours: false });
    assert.ok(isResponse(relay) && relay.status === 403);
  });

  it('trunks: a number prefix (strip 1) and a trunk domain, with P-Asserted-Identity (RFC 3325)', async () => {
    const { router } = await setup();
    const byPrefix = await routeAs(router, 'sip:004930555@pbx.test', '1000', 'pw0');
    assert.deepEqual(byPrefix, [
      { uri: 'sip:04930555@192.0.2.50:5060', headers: [['P-Asserted-Identity', '<sip:4930123@192.0.2.50>']] },
    ]);
    const byDomain = await routeAs(router, 'sip:0301234@carrier.example', '1000', 'pw0', { ours: false });
    assert.ok(Array.isArray(byDomain));
    assert.equal(byDomain[0]?.uri, 'sip:301234@192.0.2.50:5060');
  });

  it('wrong password: 403, and the source is banned after maxFailures (403 even with the right one)', async () => {
    const { router, throttle } = await setup();
    const bad = await routeAs(router, 'sip:1001@pbx.test', '1000', 'nope');
    assert.ok(isResponse(bad) && bad.status === 403);
    assert.equal(throttle.isBanned('203.0.113.5', NOW), false);
    await routeAs(router, 'sip:1001@pbx.test', '1000', 'nope');
    assert.equal(throttle.isBanned('203.0.113.5', NOW), true);
    const r = await router(invite('sip:1001@pbx.test', '1000'), context('203.0.113.5', true));
    assert.ok(isResponse(r) && r.status === 403);
    // Another source still gets its challenge.
    const other = await router(invite('sip:1001@pbx.test', '1000'), context('203.0.113.6', true));
    assert.ok(isResponse(other) && other.status === 407);
  });

  it('an authenticated user may not claim another From (403)', async () => {
    const { router } = await setup();
    const r = await routeAs(router, 'sip:1001@pbx.test', '1000', 'pw0', { from: '1001' });
    assert.ok(isResponse(r) && r.status === 403);
  });

  it('a trusted source is not challenged', async () => {
    const { router } = await setup(['10.1.0.0/16']);
    const r = await router(invite('sip:1001@pbx.test', 'anyone'), context('10.1.2.3', true));
    assert.ok(Array.isArray(r) && r.length === 1);
  });

  it('trunkForNumber takes the longest prefix; trunkUri strips then prepends (property)', () => {
    const other = trunkSchema.parse({
      name: 'b',
      address: '192.0.2.60:5070',
      prefixes: ['0049'],
      transport: 'tcp',
    });
    assert.equal(trunkForNumber([trunk, other], '0049301')?.name, 'b');
    assert.equal(trunkForNumber([trunk, other], '0033')?.name, 'carrier');
    assert.equal(trunkForNumber([trunk, other], '1001'), undefined);
    assert.equal(trunkUri(other, '0049301'), 'sip:0049301@192.0.2.60:5070;transport=tcp');
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{0,12}$/),
        fc.nat(4),
        fc.stringMatching(/^[0-9+]{0,3}$/),
        (number, strip, prepend) => {
          const t = trunkSchema.parse({ name: 'p', address: '192.0.2.1:5060', strip, prepend });
          const uri = trunkUri(t, number);
          const user = `${prepend}${number.slice(strip)}`;
          assert.equal(uri, user === '' ? 'sip:192.0.2.1:5060' : `sip:${user}@192.0.2.1:5060`);
        },
      ),
    );
  });
});
