import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { parseDigestChallenge } from './challenge.js';
import { createDigestAuthorization } from './client.js';
import { formatDigestCredentials } from './credentials.js';
import { DigestConfigError } from './errors.js';
import { createHa1Lookup } from './ha1-lookup.js';
import { DigestServer, type DigestServerOptions, type DigestVerifyResult } from './server.js';

const secret = new Uint8Array(32).fill(42);
const realm = 'sip.example.com';
const lookup = createHa1Lookup(realm, [{ username: 'alice', password: 'wonderland' }]);
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

function counter(): (n: number) => Uint8Array {
  let i = 0;
  return (n) => new Uint8Array(n).fill(++i);
}

function server(options: Partial<DigestServerOptions> = {}): DigestServer {
  return new DigestServer({ realm, secret, randomBytes: counter(), ...options });
}

/** Answers the first challenge of `srv` the way a correct client would. */
function answer(
  srv: DigestServer,
  now: number,
  over: { password?: string; uri?: string; nc?: number; method?: string; index?: number } = {},
): string {
  const challenge = parseDigestChallenge(srv.challenge(now)[over.index ?? 0])!;
  return createDigestAuthorization({
    challenge,
    secret: { username: 'alice', password: over.password ?? 'wonderland' },
    method: over.method ?? 'REGISTER',
    uri: over.uri ?? 'sip:sip.example.com',
    nc: over.nc ?? 1,
    cnonce: 'c0ffee',
  });
}

function verify(
  srv: DigestServer,
  authorization: string[],
  now: number,
  method = 'REGISTER',
): DigestVerifyResult {
  return srv.verify({ method, uri: 'sip:sip.example.com', authorization }, now, lookup);
}

function reason(r: DigestVerifyResult): string {
  return r.ok ? 'ok' : r.reason;
}

describe('DigestServer challenges (RFC 7616 §3.3, RFC 8760 §2.3)', () => {
  it('issues one challenge per algorithm, strongest first, sharing a nonce', () => {
    const values = server({ algorithms: ['MD5', 'SHA-512-256', 'SHA-256'], opaque: 'op' }).challenge(0);
    const parsed = values.map((v) => parseDigestChallenge(v)!);
    assert.deepEqual(
      parsed.map((c) => c.algorithm),
      ['SHA-512-256', 'SHA-256', 'MD5'],
    );
    assert.equal(new Set(parsed.map((c) => c.nonce)).size, 1);
    for (const c of parsed) {
      assert.equal(c.realm, realm);
      assert.deepEqual(c.qop, ['auth']);
      assert.equal(c.opaque, 'op');
      assert.equal(c.stale, false);
    }
  });

  it('uses 401/WWW-Authenticate, or 407/Proxy-Authenticate for a proxy (RFC 3261 §22.3)', () => {
    const r = verify(server(), [], 0);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.statusCode, 401);
    assert.equal(r.challengeHeader, 'WWW-Authenticate');
    const p = server({ proxy: true });
    assert.equal(p.statusCode, 407);
    assert.equal(p.challengeHeader, 'Proxy-Authenticate');
    assert.equal(p.credentialsHeader, 'Proxy-Authorization');
  });

  it('rejects bad configuration with DigestConfigError', () => {
    assert.throws(() => new DigestServer({ realm, secret: new Uint8Array(8) }), DigestConfigError);
    assert.throws(() => new DigestServer({ realm, secret, algorithms: [] }), DigestConfigError);
    assert.throws(
      () => new DigestServer({ realm, secret, qop: [], algorithms: ['MD5-sess'] }),
      DigestConfigError,
    );
  });
});

describe('DigestServer.verify outcomes', () => {
  it('ok for a correct answer, with the username and algorithm', () => {
    const srv = server();
    const r = verify(srv, [answer(srv, 1_000)], 2_000);
    assert.deepEqual(r, { ok: true, username: 'alice', realm, algorithm: 'SHA-256', qop: 'auth', nc: 1 });
  });

  it('missing: no Digest credentials at all (a Basic header is ignored)', () => {
    assert.equal(reason(verify(server(), ['Basic YWxpY2U6d29uZGVybGFuZA=='], 0)), 'missing');
  });

  it('bad-realm: credentials only for another realm', () => {
    const other = new DigestServer({ realm: 'other.example.com', secret, randomBytes: counter() });
    const srv = server();
    assert.equal(reason(verify(srv, [answer(other, 0)], 0)), 'bad-realm');
  });

  it('picks the credentials of its own realm among several (RFC 3261 §22.3)', () => {
    const other = new DigestServer({ realm: 'other.example.com', secret, randomBytes: counter() });
    const srv = server();
    assert.equal(reason(verify(srv, [answer(other, 0), answer(srv, 0)], 0)), 'ok');
  });

  it('malformed: unparsable value, unknown algorithm, qop not offered, missing nc or cnonce, missing qop', () => {
    const srv = server();
    assert.equal(reason(verify(srv, ['Digest username="alice", realm'], 0)), 'malformed');
    const good = answer(srv, 0);
    const cases = [
      good.replace('algorithm=SHA-256', 'algorithm=SHA-1'),
      good.replace('algorithm=SHA-256', 'algorithm=MD5'), // not offered by this server
      good.replace('qop=auth', 'qop=auth-int'),
      good.replace(', nc=00000001', ''),
      good.replace('nc=00000001', 'nc=1'),
      good.replace(/, cnonce="[^"]*"/, ''),
      good.replace(/, qop=auth, nc=00000001/, ''),
      good.replace(/response="[0-9a-f]+"/, 'response="abc"'),
    ];
    for (const v of cases) assert.equal(reason(verify(srv, [v], 0)), 'malformed', v);
  });

  it('malformed when a configured opaque is not echoed', () => {
    const srv = server({ opaque: 'xyz' });
    const good = answer(srv, 0);
    assert.equal(reason(verify(srv, [good], 0)), 'ok');
    assert.equal(reason(verify(srv, [good.replace('opaque="xyz"', 'opaque="abc"')], 0)), 'malformed');
  });

  it('bad-uri: the digest-uri is not the request-URI (RFC 7616 §3.4.6)', () => {
    const srv = server();
    assert.equal(reason(verify(srv, [answer(srv, 0, { uri: 'sip:evil.example.com' })], 0)), 'bad-uri');
  });

  it('unknown-user and bad-response', () => {
    const srv = server();
    assert.equal(reason(verify(srv, [answer(srv, 0).replace('"alice"', '"mallory"')], 0)), 'unknown-user');
    assert.equal(reason(verify(srv, [answer(srv, 0, { password: 'guess' })], 0)), 'bad-response');
    // The method is part of A2: an answer computed for INVITE does not authorize a REGISTER.
    assert.equal(reason(verify(srv, [answer(srv, 0, { method: 'INVITE' })], 0)), 'bad-response');
  });

  it('stale with stale=true for an expired nonce whose digest is right (RFC 7616 §3.3)', () => {
    const srv = server({ nonceLifetimeMs: 10_000 });
    const r = verify(srv, [answer(srv, 0)], 10_001);
    assert.equal(reason(r), 'stale');
    if (r.ok) return;
    assert.ok(r.challenges.every((c) => parseDigestChallenge(c)!.stale));
  });

  it('stale for a correct digest over a nonce of another secret (e.g. after a restart)', () => {
    const before = new DigestServer({ realm, secret: new Uint8Array(32).fill(1), randomBytes: counter() });
    assert.equal(reason(verify(server(), [answer(before, 0)], 0)), 'stale');
  });

  it('an expired nonce with a wrong digest is bad-response, without stale', () => {
    const srv = server({ nonceLifetimeMs: 10 });
    const r = verify(srv, [answer(srv, 0, { password: 'guess' })], 100);
    assert.equal(reason(r), 'bad-response');
    if (r.ok) return;
    assert.ok(r.challenges.every((c) => !parseDigestChallenge(c)!.stale));
  });

  it('replay: the same or a lower nc on one nonce (RFC 7616 §5.5)', () => {
    const srv = server();
    const challenge = parseDigestChallenge(srv.challenge(0)[0])!;
    const at = (nc: number) =>
      createDigestAuthorization({
        challenge,
        secret: { username: 'alice', password: 'wonderland' },
        method: 'REGISTER',
        uri: 'sip:sip.example.com',
        nc,
        cnonce: `c${nc}`,
      });
    assert.equal(reason(verify(srv, [at(1)], 1)), 'ok');
    assert.equal(reason(verify(srv, [at(1)], 2)), 'replay');
    assert.equal(reason(verify(srv, [at(3)], 3)), 'ok');
    assert.equal(reason(verify(srv, [at(2)], 4)), 'replay');
  });

  it('without qop: RFC 2069 response accepted once, then replay (single-use by default)', () => {
    const srv = server({ qop: [], algorithms: ['MD5'] });
    const ch = parseDigestChallenge(srv.challenge(0)[0])!;
    assert.deepEqual(ch.qop, []);
    const uri = 'sip:sip.example.com';
    // RFC 2069: response = H(H(A1):nonce:H(A2)), computed here independently.
    const response = md5(`${md5(`alice:${realm}:wonderland`)}:${ch.nonce}:${md5(`REGISTER:${uri}`)}`);
    const v = formatDigestCredentials({
      username: 'alice',
      realm,
      nonce: ch.nonce,
      uri,
      response,
      algorithm: 'MD5',
    });
    assert.equal(reason(verify(srv, [v], 1)), 'ok');
    assert.equal(reason(verify(srv, [v], 2)), 'replay');
    const reusable = server({ qop: [], algorithms: ['MD5'], singleUseNonceWithoutQop: false });
    const ch2 = parseDigestChallenge(reusable.challenge(0)[0])!;
    const response2 = md5(`${md5(`alice:${realm}:wonderland`)}:${ch2.nonce}:${md5(`REGISTER:${uri}`)}`);
    const v2 = formatDigestCredentials({
      username: 'alice',
      realm,
      nonce: ch2.nonce,
      uri,
      response: response2,
      algorithm: 'MD5',
    });
    assert.equal(reason(verify(reusable, [v2], 1)), 'ok');
    assert.equal(reason(verify(reusable, [v2], 2)), 'ok');
  });

  it('a missing qop is accepted only with acceptMissingQop', () => {
    const uri = 'sip:sip.example.com';
    for (const [acceptMissingQop, expected] of [
      [false, 'malformed'],
      [true, 'ok'],
    ] as const) {
      const srv = server({ algorithms: ['MD5'], acceptMissingQop });
      const ch = parseDigestChallenge(srv.challenge(0)[0])!;
      const response = md5(`${md5(`alice:${realm}:wonderland`)}:${ch.nonce}:${md5(`REGISTER:${uri}`)}`);
      const v = formatDigestCredentials({
        username: 'alice',
        realm,
        nonce: ch.nonce,
        uri,
        response,
        algorithm: 'MD5',
      });
      assert.equal(reason(verify(srv, [v], 1)), expected);
    }
  });

  it('a custom uriMatches decides the uri check', () => {
    // The digest covers the uri the client wrote, so only the comparison with the request-URI changes.
    const strict = server();
    assert.equal(reason(verify(strict, [answer(strict, 0, { uri: 'sip:SIP.example.com' })], 0)), 'bad-uri');
    const lenient = server({ uriMatches: (a, b) => a.toLowerCase() === b.toLowerCase() });
    assert.equal(reason(verify(lenient, [answer(lenient, 0, { uri: 'sip:SIP.example.com' })], 0)), 'ok');
    assert.equal(
      reason(verify(lenient, [answer(lenient, 0, { uri: 'sip:other.example.com' })], 0)),
      'bad-uri',
    );
  });
});
