import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseNameAddr, type SipMessage } from '@tsvoip/sip';
import type { LocationStore } from '../store/location-store.js';
import { MemoryLocationStore } from '../store/memory-location-store.js';
import { MemoryUserStore } from '../store/memory-user-store.js';
import { openDatabase } from '../store/open-database.js';
import type { UserStore } from '../store/user-store.js';
import { freshPGliteOptions } from '../test/pglite-template.js';
import {
  contactsOf,
  DOMAIN,
  makeRegistrar,
  newUser,
  type RegisterSpec,
  register,
  registerWithDigest,
  T0,
  UDP_SOURCE,
  uniqueUser,
} from './fixtures.test-helper.js';
import type { Registrar } from './registrar.js';

interface Stores {
  readonly locations: LocationStore;
  readonly users: UserStore;
  close(): Promise<void>;
}

const backends: ReadonlyArray<readonly [string, () => Promise<Stores>]> = [
  [
    'memory stores',
    async () => ({
      locations: new MemoryLocationStore(),
      users: new MemoryUserStore(),
      close: async () => {},
    }),
  ],
  [
    'PGlite memory://',
    async () => {
      const db = await openDatabase('memory://', await freshPGliteOptions());
      return { locations: db.locations, users: db.users, close: () => db.close() };
    },
  ],
];

/** expires parameter of each Contact of a 200, keyed by contact URI. */
function expiresByContact(res: SipMessage): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of contactsOf(res)) {
    const c = parseNameAddr(v);
    out.set(
      c.uri.kind === 'sip' ? `${c.uri.user}@${c.uri.host}:${c.uri.port}` : '?',
      Number(c.params.get('expires')),
    );
  }
  return out;
}

for (const [name, open] of backends) {
  describe(`Registrar on ${name}`, () => {
    let stores: Stores | undefined;
    before(async () => {
      stores = await open();
    });
    after(() => stores?.close());
    const s = (): Stores => {
      if (stores === undefined) throw new Error('stores not open');
      return stores;
    };
    /** A registrar without authentication, for the Contact rules. */
    const open1 = async (extra: Parameters<typeof makeRegistrar>[0] = {}): Promise<Registrar> =>
      (await makeRegistrar({ authenticate: false, locations: s().locations, users: s().users, ...extra }))
        .registrar;
    const send = (r: Registrar, spec: RegisterSpec, now = T0) =>
      r.handleRegister(register(spec), UDP_SOURCE, now);

    describe('authentication (RFC 3261 §10.3 steps 3-4, §22)', () => {
      it('§10.3 step 3: challenges with 401 and Digest, then accepts the right credentials with 200', async () => {
        const { registrar } = await makeRegistrar({ locations: s().locations, users: s().users });
        const user = await newUser(s().users, 'pa55');
        const { challenge, final } = await registrarWithDigestFor(registrar, user, 'pa55');
        assert.equal(challenge.status, 401);
        const challenges = challenge.getHeaders('WWW-Authenticate');
        assert.equal(challenges.length, 2); // SHA-256 and MD5, RFC 8760 §2.3
        assert.match(challenges[0] ?? '', /^Digest .*algorithm=SHA-256/);
        assert.match(challenges[0] ?? '', new RegExp(`realm="${DOMAIN}"`));
        assert.equal(final.status, 200);
        const bound = await s().locations.lookup(`sip:${user}@${DOMAIN}`, T0);
        assert.deepEqual(
          bound.map((b) => b.contact),
          [`sip:${user}@192.0.2.10:5060`],
        );
        assert.equal(await s().locations.count({ aor: `sip:${user}@${DOMAIN}` }), 1);
      });

      it('§22.4: a wrong password gets 403 after the challenge round, and nothing is bound', async () => {
        const { registrar } = await makeRegistrar({ locations: s().locations, users: s().users });
        const user = await newUser(s().users, 'right');
        const { challenge, final } = await registrarWithDigestFor(registrar, user, 'wrong');
        assert.equal(challenge.status, 401);
        assert.equal(final.status, 403);
        assert.equal(final.getHeaders('WWW-Authenticate').length, 0);
        assert.equal(await s().locations.count({ aor: `sip:${user}@${DOMAIN}` }), 0);
      });

      it('§22.4: an unknown user is answered like a wrong password (403), so names cannot be probed', async () => {
        const { registrar } = await makeRegistrar({ locations: s().locations, users: s().users });
        const { final } = await registrarWithDigestFor(registrar, uniqueUser(), 'whatever');
        assert.equal(final.status, 403);
      });

      it("§10.3 step 4: registering someone else's AoR gets 403", async () => {
        const { registrar } = await makeRegistrar({ locations: s().locations, users: s().users });
        const alice = await newUser(s().users, 'a');
        const bob = await newUser(s().users, 'b');
        // Alice authenticates correctly but the To is Bob's AoR.
        const { final } = await registerWithDigest(
          registrar,
          { user: bob, callId: `${alice}-steal` },
          'a',
          T0,
          UDP_SOURCE,
          alice,
        );
        assert.equal(final.status, 403);
        assert.equal(await s().locations.count({ aor: `sip:${bob}@${DOMAIN}` }), 0);
      });

      it('§10.3 step 4: an authorize hook can let a user register another AoR', async () => {
        const boss = await newUser(s().users, 'boss');
        const { registrar } = await makeRegistrar({
          locations: s().locations,
          users: s().users,
          authorize: (username, aor) => username === boss && aor.startsWith('sip:desk-'),
        });
        const desk = `desk-${uniqueUser()}`;
        const { final } = await registerWithDigest(registrar, { user: desk }, 'boss', T0, UDP_SOURCE, boss);
        assert.equal(final.status, 200);
        assert.equal(await s().locations.count({ aor: `sip:${desk}@${DOMAIN}` }), 1);
      });

      it('throttle: repeated failures from one source ban it (403 even with the right password), then it ends', async () => {
        const { registrar } = await makeRegistrar({
          locations: s().locations,
          users: s().users,
          throttle: { maxFailures: 3, windowMs: 60_000, banMs: 600_000 },
        });
        const user = await newUser(s().users, 'good');
        const attacker = { transport: 'UDP', address: '203.0.113.66', port: 5060 } as const;
        for (let i = 0; i < 3; i++) {
          const { final } = await registerWithDigest(
            registrar,
            { user, cseq: 10 * i + 1 },
            'bad',
            T0 + i,
            attacker,
          );
          assert.equal(final.status, 403);
        }
        // Banned: no challenge is issued, and even the right credentials (answering a challenge
        // fetched from another source) are refused.
        assert.equal((await send(registrar, { user, cseq: 90 }, T0 + 1000)).status, 401);
        const noChallenge = await registrar.handleRegister(register({ user, cseq: 99 }), attacker, T0 + 1000);
        assert.equal(noChallenge.status, 403);
        const during = await registerWithDigest(
          registrar,
          { user, cseq: 100 },
          'good',
          T0 + 1000,
          attacker,
          user,
          UDP_SOURCE,
        );
        assert.equal(during.challenge.status, 401);
        assert.equal(during.final.status, 403);
        assert.equal(await s().locations.count({ aor: `sip:${user}@${DOMAIN}` }), 0);
        // Another source is not affected.
        const other = await registerWithDigest(registrar, { user, cseq: 200 }, 'good', T0 + 1000);
        assert.equal(other.final.status, 200);
        // After the ban the source may try again.
        const later = await registerWithDigest(
          registrar,
          { user, cseq: 300 },
          'good',
          T0 + 601_000,
          attacker,
        );
        assert.equal(later.final.status, 200);
      });
    });

    describe('domain, Require and AoR (RFC 3261 §10.3 steps 1, 2, 5)', () => {
      it('§10.3 step 1: a Request-URI domain that is not ours gets 404', async () => {
        const r = await open1();
        const res = await send(r, { user: uniqueUser(), requestUri: 'sip:elsewhere.example' });
        assert.equal(res.status, 404);
      });

      it('§10.3 step 1: a domain that is not ours gets 404 before any challenge', async () => {
        const { registrar } = await makeRegistrar({ locations: s().locations, users: s().users });
        const res = await send(registrar, { user: uniqueUser(), requestUri: 'sip:elsewhere.example' });
        assert.equal(res.status, 404);
        assert.equal(res.getHeaders('WWW-Authenticate').length, 0);
      });

      it('§10.3 step 5: a To AoR in another domain gets 404', async () => {
        const r = await open1();
        const res = await send(r, { toUri: `sip:${uniqueUser()}@other.example` });
        assert.equal(res.status, 404);
      });

      it('§10.3 step 2 / §8.2.2.3: an unsupported Require gets 420 with Unsupported; path is supported', async () => {
        const r = await open1();
        const bad = await send(r, { user: uniqueUser(), headers: [['Require', 'path, foo']] });
        assert.equal(bad.status, 420);
        assert.deepEqual(bad.getHeaders('Unsupported'), ['foo']);
        const ok = await send(r, { user: uniqueUser(), headers: [['Require', 'path']] });
        assert.equal(ok.status, 200);
      });

      it('§10.3 step 5: the AoR is the To URI in canonical form (escapes decoded, host lower-cased, no params)', async () => {
        const r = await open1();
        const user = uniqueUser();
        const escaped = `%${user.charCodeAt(0).toString(16)}${user.slice(1)}`;
        const res = await send(r, { toUri: `sip:${escaped}@PBX.Example;user=phone` });
        assert.equal(res.status, 200);
        assert.equal(await s().locations.count({ aor: `sip:${user}@${DOMAIN}` }), 1);
      });

      it('§8.2.6.2: responses carry a To tag', async () => {
        const r = await open1();
        const res = await send(r, { user: uniqueUser() });
        assert.ok(res.to?.tag !== undefined && res.to.tag.length > 0);
      });
    });

    describe('Contact processing (RFC 3261 §10.3 steps 6-8)', () => {
      it('§10.3 step 7: several Contacts make several bindings, all listed in the 200', async () => {
        const r = await open1();
        const user = uniqueUser();
        const res = await send(r, {
          user,
          contacts: [`<sip:${user}@192.0.2.10:5060>`, `<sip:${user}@192.0.2.11:5062>;q=0.5`],
        });
        assert.equal(res.status, 200);
        const bound = await s().locations.lookup(`sip:${user}@${DOMAIN}`, T0);
        assert.deepEqual(
          bound.map((b) => [b.contact, b.q]),
          [
            [`sip:${user}@192.0.2.10:5060`, 1],
            [`sip:${user}@192.0.2.11:5062`, 0.5],
          ],
        );
        assert.equal(contactsOf(res).length, 2);
        assert.match(contactsOf(res)[1] ?? '', /;q=0\.5/);
      });

      it('§10.3 step 7: the Contact expires parameter wins over the Expires header, which wins over the default', async () => {
        const r = await open1();
        const user = uniqueUser();
        const res = await send(r, {
          user,
          contacts: [`<sip:${user}@192.0.2.10:5060>;expires=120`, `<sip:${user}@192.0.2.11:5060>`],
          expires: 300,
        });
        assert.equal(res.status, 200);
        const e = expiresByContact(res);
        assert.equal(e.get(`${user}@192.0.2.10:5060`), 120);
        assert.equal(e.get(`${user}@192.0.2.11:5060`), 300);
        const user2 = uniqueUser();
        const dflt = await send(r, { user: user2 });
        assert.equal(expiresByContact(dflt).get(`${user2}@192.0.2.10:5060`), 3600);
        const b = await s().locations.lookup(`sip:${user2}@${DOMAIN}`, T0);
        assert.equal(b[0]?.expiresAt, T0 + 3600_000);
      });

      it('§10.3 step 7 / §20.23: an expiry below the minimum gets 423 with Min-Expires, nothing bound', async () => {
        const r = await open1({ minExpires: 60 });
        const user = uniqueUser();
        const res = await send(r, {
          user,
          contacts: [`<sip:${user}@192.0.2.10:5060>;expires=30`, `<sip:${user}@192.0.2.11:5060>;expires=600`],
        });
        assert.equal(res.status, 423);
        assert.equal(res.reason, 'Interval Too Brief');
        assert.equal(res.getHeader('Min-Expires'), '60');
        assert.equal(await s().locations.count({ aor: `sip:${user}@${DOMAIN}` }), 0);
      });

      it('§10.3 step 7: an expiry above the maximum is lowered to it', async () => {
        const r = await open1({ maxExpires: 7200 });
        const user = uniqueUser();
        const res = await send(r, { user, expires: 100_000 });
        assert.equal(res.status, 200);
        assert.equal(expiresByContact(res).get(`${user}@192.0.2.10:5060`), 7200);
        const b = await s().locations.lookup(`sip:${user}@${DOMAIN}`, T0);
        assert.equal(b[0]?.expiresAt, T0 + 7200_000);
      });

      it('§10.3 step 6: Contact: * with Expires: 0 removes every binding of the AoR', async () => {
        const r = await open1();
        const user = uniqueUser();
        await send(r, {
          user,
          callId: 'a',
          contacts: [`<sip:${user}@192.0.2.10>`, `<sip:${user}@192.0.2.11>`],
        });
        await send(r, { user, callId: 'b', contacts: [`<sip:${user}@192.0.2.12>`] });
        assert.equal(await s().locations.count({ aor: `sip:${user}@${DOMAIN}` }), 3);
        const res = await send(r, { user, callId: 'c', contacts: ['*'], expires: 0 });
        assert.equal(res.status, 200);
        assert.equal(contactsOf(res).length, 0);
        assert.equal(await s().locations.count({ aor: `sip:${user}@${DOMAIN}` }), 0);
      });

      it('§10.3 step 6: Contact: * with Expires other than 0, without Expires, or with other Contacts gets 400', async () => {
        const r = await open1();
        const user = uniqueUser();
        await send(r, { user, callId: 'a' });
        for (const spec of [
          { contacts: ['*'], expires: 10 },
          { contacts: ['*'] },
          { contacts: ['*', `<sip:${user}@192.0.2.10>`], expires: 0 },
        ]) {
          const res = await send(r, { user, callId: 'z', ...spec });
          assert.equal(res.status, 400, JSON.stringify(spec));
        }
        assert.equal(await s().locations.count({ aor: `sip:${user}@${DOMAIN}` }), 1);
      });

      it('§10.3 step 7: expires=0 removes that binding only', async () => {
        const r = await open1();
        const user = uniqueUser();
        await send(r, {
          user,
          callId: 'a',
          contacts: [`<sip:${user}@192.0.2.10>`, `<sip:${user}@192.0.2.11>`],
        });
        const res = await send(r, { user, callId: 'b', contacts: [`<sip:${user}@192.0.2.10>;expires=0`] });
        assert.equal(res.status, 200);
        const left = await s().locations.lookup(`sip:${user}@${DOMAIN}`, T0);
        assert.deepEqual(
          left.map((b) => b.contact),
          [`sip:${user}@192.0.2.11`],
        );
        assert.deepEqual(contactsOf(res), [`<sip:${user}@192.0.2.11>;expires=3600;q=1`]);
      });

      it('§10.3 step 7: same Call-ID with a CSeq not higher gets 500 and changes nothing; a new Call-ID may', async () => {
        const r = await open1();
        const user = uniqueUser();
        const aor = `sip:${user}@${DOMAIN}`;
        assert.equal((await send(r, { user, callId: 'x', cseq: 5, expires: 600 })).status, 200);
        const lower = await send(r, { user, callId: 'x', cseq: 4, expires: 1200 }, T0 + 1000);
        assert.equal(lower.status, 500);
        const same = await send(r, { user, callId: 'x', cseq: 5, expires: 1200 }, T0 + 1000);
        assert.equal(same.status, 500);
        // An out-of-order removal is refused too.
        const removal = await send(r, { user, callId: 'x', cseq: 3, expires: 0 }, T0 + 1000);
        assert.equal(removal.status, 500);
        const star = await send(r, { user, callId: 'x', cseq: 2, contacts: ['*'], expires: 0 }, T0 + 1000);
        assert.equal(star.status, 500);
        const b = await s().locations.lookup(aor, T0);
        assert.equal(b[0]?.expiresAt, T0 + 600_000);
        const other = await send(r, { user, callId: 'y', cseq: 1, expires: 1200 }, T0 + 1000);
        assert.equal(other.status, 200);
        assert.equal((await s().locations.lookup(aor, T0))[0]?.expiresAt, T0 + 1000 + 1200_000);
      });

      it('§10.3 step 8: the 200 lists every binding of the AoR with its remaining expires, plus Date', async () => {
        const r = await open1();
        const user = uniqueUser();
        await send(r, { user, callId: 'a', contacts: [`<sip:${user}@192.0.2.10:5060>`], expires: 3600 });
        const res = await send(
          r,
          { user, callId: 'b', contacts: [`<sip:${user}@192.0.2.11:5060>`], expires: 1800 },
          T0 + 1_000_000,
        );
        assert.equal(res.status, 200);
        const e = expiresByContact(res);
        assert.equal(e.get(`${user}@192.0.2.10:5060`), 2600);
        assert.equal(e.get(`${user}@192.0.2.11:5060`), 1800);
        // T0 + 1000 s = 2023-11-14T22:30:00Z
        assert.equal(res.getHeader('Date'), 'Tue, 14 Nov 2023 22:30:00 GMT');
      });

      it('§10.2.3: a REGISTER without Contact is a query answered with the current bindings', async () => {
        const r = await open1();
        const user = uniqueUser();
        await send(r, { user, callId: 'a', contacts: [`<sip:${user}@192.0.2.10:5060>`] });
        const res = await send(r, { user, callId: 'b', contacts: [] }, T0 + 60_000);
        assert.equal(res.status, 200);
        assert.deepEqual(contactsOf(res), [`<sip:${user}@192.0.2.10:5060>;expires=3540;q=1`]);
      });

      it('§20.10: a malformed q-value or expires parameter gets 400', async () => {
        const r = await open1();
        const user = uniqueUser();
        for (const c of [';q=1.5', ';q=abc', ';expires=soon', ';expires']) {
          const res = await send(r, { user, contacts: [`<sip:${user}@192.0.2.10>${c}`] });
          assert.equal(res.status, 400, c);
        }
        assert.equal((await send(r, { user, expires: 'x' as unknown as number })).status, 400);
        assert.equal(await s().locations.count({ aor: `sip:${user}@${DOMAIN}` }), 0);
      });

      it('NAT: the source of the REGISTER is stored beside a Contact that names another address', async () => {
        const r = await open1();
        const user = uniqueUser();
        const res = await send(r, { user, contacts: [`<sip:${user}@10.0.0.5:5060>`] });
        assert.equal(res.status, 200);
        const [b] = await s().locations.lookup(`sip:${user}@${DOMAIN}`, T0);
        assert.equal(b?.contact, `sip:${user}@10.0.0.5:5060`);
        assert.deepEqual(b?.received, UDP_SOURCE);
      });
    });

    describe('Path (RFC 3327) and outbound (RFC 5626)', () => {
      const edge = '<sip:edge.example;lr;ob>';
      const core = '<sip:core.example;lr>';

      it('RFC 3327 §5.3: Path is stored and echoed when the UA supports path', async () => {
        const r = await open1();
        const user = uniqueUser();
        const res = await send(r, {
          user,
          vias: 3,
          headers: [
            ['Supported', 'path'],
            ['Path', core],
            ['Path', edge],
          ],
        });
        assert.equal(res.status, 200);
        assert.deepEqual(res.getHeaders('Path'), [core, edge]);
        const [b] = await s().locations.lookup(`sip:${user}@${DOMAIN}`, T0);
        assert.deepEqual(b?.path, [core, edge]);
      });

      it('RFC 3327 §5.3: Path is neither stored nor echoed when the UA does not support path', async () => {
        const r = await open1();
        const user = uniqueUser();
        const res = await send(r, { user, vias: 2, headers: [['Path', edge]] });
        assert.equal(res.status, 200);
        assert.deepEqual(res.getHeaders('Path'), []);
        const [b] = await s().locations.lookup(`sip:${user}@${DOMAIN}`, T0);
        assert.deepEqual(b?.path, []);
      });

      it('RFC 5626 §6: +sip.instance and reg-id key the binding; a new flow replaces it, with Require: outbound', async () => {
        const r = await open1({ flowTimer: 120 });
        const user = uniqueUser();
        const aor = `sip:${user}@${DOMAIN}`;
        const instance = '"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"';
        const flow1 = {
          transport: 'TCP',
          address: '198.51.100.7',
          port: 40312,
          connectionId: 'c-1',
        } as const;
        const flow2 = {
          transport: 'TCP',
          address: '198.51.100.7',
          port: 40999,
          connectionId: 'c-2',
        } as const;
        const req = (contact: string, callId: string) =>
          register({
            user,
            callId,
            contacts: [`<${contact}>;+sip.instance=${instance};reg-id=1`],
            headers: [['Supported', 'outbound, path']],
          });
        const first = await r.handleRegister(req(`sip:${user}@10.0.0.5:5060;transport=tcp`, 'a'), flow1, T0);
        assert.equal(first.status, 200);
        assert.deepEqual(first.getHeaders('Require'), ['outbound']);
        assert.deepEqual(first.getHeaders('Supported'), ['outbound']);
        assert.equal(first.getHeader('Flow-Timer'), '120');
        // The UA reconnects: a new contact address on a new connection, same instance and reg-id.
        const second = await r.handleRegister(
          req(`sip:${user}@10.0.0.5:6000;transport=tcp`, 'b'),
          flow2,
          T0 + 5000,
        );
        assert.equal(second.status, 200);
        const bound = await s().locations.lookup(aor, T0 + 5000);
        assert.equal(bound.length, 1);
        assert.equal(bound[0]?.contact, `sip:${user}@10.0.0.5:6000;transport=tcp`);
        assert.equal(bound[0]?.instanceId, '<urn:uuid:00000000-0000-1000-8000-000A95A0E128>');
        assert.equal(bound[0]?.regId, 1);
        assert.deepEqual(bound[0]?.received, flow2);
        assert.match(contactsOf(second)[0] ?? '', /;\+sip\.instance="<urn:uuid:[^>]+>";reg-id=1$/);
        // A second reg-id of the same instance is a second flow: two bindings.
        const third = await r.handleRegister(
          register({
            user,
            callId: 'c',
            contacts: [`<sip:${user}@10.0.0.5:7000;transport=tcp>;+sip.instance=${instance};reg-id=2`],
            headers: [['Supported', 'outbound']],
          }),
          flow1,
          T0 + 6000,
        );
        assert.equal(third.status, 200);
        assert.equal(await s().locations.count({ aor }), 2);
      });

      it('RFC 5626 §6: without Supported: outbound the reg-id is ignored (contact-keyed, no Require)', async () => {
        const r = await open1();
        const user = uniqueUser();
        const res = await send(r, {
          user,
          contacts: [`<sip:${user}@10.0.0.5>;+sip.instance="<urn:uuid:1>";reg-id=1`],
        });
        assert.equal(res.status, 200);
        assert.deepEqual(res.getHeaders('Require'), []);
        const [b] = await s().locations.lookup(`sip:${user}@${DOMAIN}`, T0);
        assert.equal(b?.regId, undefined);
        assert.equal(b?.instanceId, '<urn:uuid:1>');
      });

      it('RFC 5626 §6: a first hop without outbound support gets 439; an edge Path with ob is accepted', async () => {
        const r = await open1();
        const user = uniqueUser();
        const contacts = [`<sip:${user}@10.0.0.5>;+sip.instance="<urn:uuid:2>";reg-id=1`];
        const viaProxy = await send(r, { user, vias: 2, contacts, headers: [['Supported', 'outbound']] });
        assert.equal(viaProxy.status, 439);
        const pathNoOb = await send(r, {
          user,
          vias: 2,
          contacts,
          headers: [
            ['Supported', 'outbound, path'],
            ['Path', '<sip:edge.example;lr>'],
          ],
        });
        assert.equal(pathNoOb.status, 439);
        const withOb = await send(r, {
          user,
          vias: 2,
          contacts,
          headers: [
            ['Supported', 'outbound, path'],
            ['Path', edge],
          ],
        });
        assert.equal(withOb.status, 200);
        assert.deepEqual(withOb.getHeaders('Require'), ['outbound']);
      });

      it('RFC 5626 §6: reg-id without +sip.instance, or two Contacts with reg-id, get 400', async () => {
        const r = await open1();
        const user = uniqueUser();
        const lone = await send(r, {
          user,
          contacts: [`<sip:${user}@10.0.0.5>;reg-id=1`],
          headers: [['Supported', 'outbound']],
        });
        assert.equal(lone.status, 400);
        const two = await send(r, {
          user,
          contacts: [
            `<sip:${user}@10.0.0.5>;+sip.instance="<urn:uuid:3>";reg-id=1`,
            `<sip:${user}@10.0.0.6>;+sip.instance="<urn:uuid:3>";reg-id=2`,
          ],
          headers: [['Supported', 'outbound']],
        });
        assert.equal(two.status, 400);
      });
    });
  });

  /** Challenge round for `user` registering its own AoR with `password`. */
  function registrarWithDigestFor(registrar: Registrar, user: string, password: string) {
    return registerWithDigest(registrar, { user, callId: `${user}-call` }, password, T0);
  }
}
