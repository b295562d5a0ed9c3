import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIGEST_ALGORITHMS, type DigestAlgorithm } from './algorithm.js';
import { formatDigestChallenge, parseDigestChallenge } from './challenge.js';
import { type DigestClientRequest, DigestClientSession } from './client-session.js';
import { parseDigestCredentials } from './credentials.js';
import { computeHa1 } from './digest.js';
import type { DigestClientError } from './errors.js';
import { createHa1Lookup } from './ha1-lookup.js';
import { DigestServer, type DigestServerOptions, type DigestVerifyResult } from './server.js';

const realm = 'sip.example.com';
const users = [{ username: 'alice', password: 'wonderland' }];
const lookup = createHa1Lookup(realm, users);
const register: DigestClientRequest = { method: 'REGISTER', uri: 'sip:sip.example.com' };

function seeded(seed: number): (n: number) => Uint8Array {
  let i = seed;
  return (n) => new Uint8Array(n).fill(++i & 0xff);
}

function newServer(options: Partial<DigestServerOptions> = {}): DigestServer {
  return new DigestServer({
    realm,
    secret: new Uint8Array(32).fill(9),
    randomBytes: seeded(100),
    ...options,
  });
}

function newClient(password = 'wonderland', algorithms?: readonly DigestAlgorithm[]): DigestClientSession {
  return new DigestClientSession({
    credentials: { username: 'alice', password },
    randomBytes: seeded(0),
    algorithms,
  });
}

interface Exchange {
  /** Server outcome of every attempt, in order. */
  readonly reasons: string[];
  /** The last server result. */
  readonly last: DigestVerifyResult;
  /** Authorization values of the last request sent. */
  readonly authorization: string[];
  /** Set when the client gave up. */
  readonly clientError?: DigestClientError;
}

/** Sends a request (with remembered credentials) and follows challenges like a UAC would. */
function exchange(
  client: DigestClientSession,
  server: DigestServer,
  request: DigestClientRequest,
  now: number,
): Exchange {
  let authorization = client.authorize(request).map((h) => h.value);
  const reasons: string[] = [];
  for (let round = 0; round < 6; round++) {
    const last = server.verify({ ...request, authorization }, now, lookup);
    reasons.push(last.ok ? 'ok' : last.reason);
    if (last.ok) return { reasons, last, authorization };
    const answer = client.respond(
      { statusCode: last.statusCode, challenges: last.challenges },
      { ...request, authorization },
    );
    if (!answer.ok) return { reasons, last, authorization, clientError: answer.error };
    authorization = answer.headers.map((h) => h.value);
  }
  throw new Error(`no outcome after 6 rounds: ${reasons.join(',')}`);
}

describe('client answers server challenges (RFC 3261 §22.2)', () => {
  for (const algorithm of DIGEST_ALGORITHMS) {
    it(`${algorithm}: challenge, answer, ok`, () => {
      const server = newServer({ algorithms: [algorithm] });
      const x = exchange(newClient(), server, register, 1_000);
      assert.deepEqual(x.reasons, ['missing', 'ok']);
      assert.ok(x.last.ok && x.last.algorithm === algorithm && x.last.username === 'alice');
    });
  }

  it('picks the strongest of several challenges, or the one the client allows', () => {
    const server = newServer({ algorithms: ['MD5', 'SHA-256', 'SHA-512-256'] });
    const strongest = exchange(newClient(), server, register, 0);
    assert.ok(strongest.last.ok && strongest.last.algorithm === 'SHA-512-256');
    const md5Only = exchange(newClient('wonderland', ['MD5']), server, register, 0);
    assert.ok(md5Only.last.ok && md5Only.last.algorithm === 'MD5');
  });

  it('auth-int covers the body: ok with the body signed, bad-response if the body changes', () => {
    const server = newServer({ qop: ['auth-int'] });
    const client = newClient();
    const invite = { method: 'INVITE', uri: 'sip:bob@sip.example.com', body: 'v=0\r\ns=-\r\n' };
    const x = exchange(client, server, invite, 0);
    assert.deepEqual(x.reasons, ['missing', 'ok']);
    assert.ok(x.last.ok && x.last.qop === 'auth-int');
    const resigned = client.authorize(invite).map((h) => h.value);
    const tampered = server.verify(
      { ...invite, body: 'v=0\r\ns=evil\r\n', authorization: resigned },
      0,
      lookup,
    );
    assert.equal(tampered.ok ? 'ok' : tampered.reason, 'bad-response');
  });

  it('wrong password: bad-response, then the client gives up with a typed error (no loop)', () => {
    const x = exchange(newClient('guess'), newServer(), register, 0);
    assert.deepEqual(x.reasons, ['missing', 'bad-response']);
    assert.equal(x.clientError?.code, 'rejected');
    assert.equal(x.clientError?.realm, realm);
    assert.equal(x.clientError?.statusCode, 401);
  });

  it('a replayed request (same nonce and nc) is rejected as replay', () => {
    const server = newServer();
    const x = exchange(newClient(), server, register, 0);
    const replayed = server.verify({ ...register, authorization: x.authorization }, 1, lookup);
    assert.equal(replayed.ok ? 'ok' : replayed.reason, 'replay');
  });

  it('later requests reuse the nonce with nc incremented, in one round trip', () => {
    const server = newServer();
    const client = newClient();
    exchange(client, server, register, 0);
    for (const expectedNc of [2, 3, 4]) {
      const x = exchange(client, server, register, expectedNc * 1_000);
      assert.deepEqual(x.reasons, ['ok']);
      assert.ok(x.last.ok && x.last.nc === expectedNc);
    }
  });

  it('expired nonce: stale=true, the client retries by itself with the new nonce, ok', () => {
    const server = newServer({ nonceLifetimeMs: 60_000 });
    const client = newClient();
    exchange(client, server, register, 0);
    const x = exchange(client, server, register, 60_001);
    assert.deepEqual(x.reasons, ['stale', 'ok']);
    // and the first use of a nonce that expired on the way is retried too
    const late = newServer({ nonceLifetimeMs: 10 });
    const c2 = newClient();
    const first = late.verify({ ...register, authorization: [] }, 0, lookup);
    assert.ok(!first.ok);
    const answer = c2.respond(
      { statusCode: 401, challenges: first.challenges },
      { ...register, authorization: [] },
    );
    assert.ok(answer.ok);
    const staleResult = late.verify(
      { ...register, authorization: answer.headers.map((h) => h.value) },
      20,
      lookup,
    );
    assert.ok(!staleResult.ok && staleResult.reason === 'stale');
    const retry = c2.respond(
      { statusCode: 401, challenges: staleResult.challenges },
      { ...register, authorization: answer.headers.map((h) => h.value) },
    );
    assert.ok(retry.ok);
    const ok = late.verify({ ...register, authorization: retry.headers.map((h) => h.value) }, 21, lookup);
    assert.ok(ok.ok);
  });

  it('a server that answers stale=true forever makes the client give up (stale-loop)', () => {
    const alwaysStale = newServer({ nonceLifetimeMs: 0 }); // every nonce is expired once time moves on
    const client = newClient();
    let authorization: string[] = [];
    let error: DigestClientError | undefined;
    for (let t = 1; t < 10 && error === undefined; t++) {
      const r = alwaysStale.verify({ ...register, authorization }, t, lookup);
      assert.ok(!r.ok);
      const a = client.respond({ statusCode: 401, challenges: r.challenges }, { ...register, authorization });
      if (a.ok) authorization = a.headers.map((h) => h.value);
      else error = a.error;
    }
    assert.equal(error?.code, 'stale-loop');
  });

  it('a reused nonce the server silently dropped (new challenge without stale) is answered, not fatal', () => {
    const server = newServer();
    const client = newClient();
    exchange(client, server, register, 0);
    // A restarted server with a new secret that, like many deployed servers, just sends a fresh
    // challenge (no stale=true) for a nonce it does not know.
    const other = newServer({ secret: new Uint8Array(32).fill(1) });
    const reused = client.authorize(register).map((h) => h.value);
    assert.equal(parseDigestCredentials(reused[0])?.nc, 2);
    const fresh = other.challenge(5);
    assert.equal(parseDigestChallenge(fresh[0])?.stale, false);
    const answer = client.respond(
      { statusCode: 401, challenges: fresh },
      { ...register, authorization: reused },
    );
    assert.ok(answer.ok);
    assert.ok(other.verify({ ...register, authorization: answer.headers.map((h) => h.value) }, 6, lookup).ok);
  });

  it('without qop, single-use nonces: a reuse is answered stale and retried automatically', () => {
    const server = newServer({ qop: [], algorithms: ['MD5'] });
    const client = newClient();
    assert.deepEqual(exchange(client, server, register, 0).reasons, ['missing', 'ok']);
    assert.deepEqual(exchange(client, server, register, 1).reasons, ['replay', 'ok']);
  });

  it('userhash: the client hashes its name, the server resolves it to the user', () => {
    const server = newServer({ userhash: true, algorithms: ['SHA-512-256'] });
    const x = exchange(newClient(), server, register, 0);
    assert.ok(x.last.ok && x.last.username === 'alice');
    const sent = parseDigestCredentials(x.authorization[0])!;
    assert.equal(sent.userhash, true);
    assert.notEqual(sent.username, 'alice');
  });

  it('a client holding only HA1 values (no password) authenticates', () => {
    const client = new DigestClientSession({
      credentials: {
        username: 'alice',
        ha1: { 'SHA-256': computeHa1('alice', realm, 'wonderland', 'SHA-256') },
      },
      randomBytes: seeded(0),
    });
    const x = exchange(client, newServer({ algorithms: ['SHA-512-256', 'SHA-256'] }), register, 0);
    assert.ok(x.last.ok && x.last.algorithm === 'SHA-256'); // the strongest it can answer
  });

  it('proxy 407 then registrar 401: the retried request carries both credentials', () => {
    const proxy = new DigestServer({
      realm: 'proxy.example.com',
      secret: new Uint8Array(32).fill(3),
      proxy: true,
      randomBytes: seeded(50),
    });
    const registrar = newServer();
    const proxyLookup = createHa1Lookup('proxy.example.com', users);
    const client = new DigestClientSession({ credentials: { username: 'alice', password: 'wonderland' } });
    let headers: { name: string; value: string }[] = [];
    const values = (name: string) => headers.filter((h) => h.name === name).map((h) => h.value);
    // The proxy reads Proxy-Authorization, the registrar Authorization (RFC 3261 §22.3).
    const send = (now: number) => {
      const p = proxy.verify({ ...register, authorization: values('Proxy-Authorization') }, now, proxyLookup);
      if (!p.ok) return p;
      return registrar.verify({ ...register, authorization: values('Authorization') }, now, lookup);
    };
    const seen: string[] = [];
    for (let round = 0; round < 4; round++) {
      const r = send(round);
      seen.push(r.ok ? 'ok' : `${r.statusCode}:${r.reason}`);
      if (r.ok) break;
      const a = client.respond(
        { statusCode: r.statusCode, challenges: r.challenges },
        { ...register, authorization: headers.map((h) => h.value) },
      );
      assert.ok(a.ok);
      headers = [...a.headers];
    }
    assert.deepEqual(seen, ['407:missing', '401:missing', 'ok']);
    assert.deepEqual(headers.map((h) => h.name).sort(), ['Authorization', 'Proxy-Authorization']);
  });

  it('challenges written by hand parse back to what the server means', () => {
    const v = formatDigestChallenge({
      realm,
      nonce: 'n',
      algorithm: 'SHA-256',
      qop: ['auth', 'auth-int'],
      stale: true,
    });
    assert.equal(
      v,
      'Digest realm="sip.example.com", nonce="n", stale=true, algorithm=SHA-256, qop="auth,auth-int"',
    );
    assert.equal(parseDigestChallenge(v)?.stale, true);
  });
});
