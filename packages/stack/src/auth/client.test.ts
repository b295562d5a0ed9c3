import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDigestChallenge } from './challenge.js';
import {
  chooseQop,
  createDigestAuthorization,
  parseDigestChallenges,
  selectDigestChallenge,
} from './client.js';
import { DigestClientSession } from './client-session.js';
import { parseDigestCredentials } from './credentials.js';
import { computeHa1 } from './digest.js';

const ch = (params: string) => `Digest realm="r", nonce="n", ${params}`;

describe('challenge selection (RFC 8760 §2.4)', () => {
  it('picks the strongest supported algorithm whatever the header order', () => {
    const { challenges } = parseDigestChallenges([
      ch('algorithm=MD5, qop="auth"'),
      ch('algorithm=SHA-512-256, qop="auth"'),
      ch('algorithm=SHA-256, qop="auth"'),
    ]);
    assert.equal(selectDigestChallenge(challenges)?.algorithm, 'SHA-512-256');
  });

  it('skips unknown algorithms, other schemes and unparsable values', () => {
    const parsed = parseDigestChallenges([
      'Basic realm="r"',
      'Bearer abc.def',
      ch('algorithm=SHA-1024, qop="auth"'),
      'Digest realm="r", nonce=',
      ch('algorithm=MD5, qop="auth"'),
    ]);
    assert.equal(parsed.challenges.length, 2);
    assert.equal(parsed.errors.length, 1);
    assert.equal(selectDigestChallenge(parsed.challenges)?.algorithm, 'MD5');
  });

  it('honours what the client can answer (e.g. only an MD5 HA1 is stored)', () => {
    const { challenges } = parseDigestChallenges([
      ch('algorithm=SHA-256, qop="auth"'),
      ch('algorithm=MD5, qop="auth"'),
    ]);
    assert.equal(selectDigestChallenge(challenges, (c) => c.algorithm === 'MD5')?.algorithm, 'MD5');
    assert.equal(
      selectDigestChallenge(challenges, () => false),
      undefined,
    );
  });

  it('keeps the topmost of equally strong challenges', () => {
    const { challenges } = parseDigestChallenges([
      'Digest realm="r", nonce="first", algorithm=SHA-256-sess, qop="auth"',
      'Digest realm="r", nonce="second", algorithm=SHA-256, qop="auth"',
    ]);
    assert.equal(selectDigestChallenge(challenges)?.nonce, 'first');
  });
});

describe('qop choice (RFC 3261 §22.4, RFC 7616 §3.3)', () => {
  const q = (v: string) => chooseQop(parseDigestChallenge(ch(v))!);
  it('prefers auth, uses auth-int when it is the only one, none without qop', () => {
    assert.equal(q('qop="auth-int,auth"'), 'auth');
    assert.equal(q('qop="auth-int"'), 'auth-int');
    assert.equal(q('algorithm=MD5'), undefined);
  });
  it('cannot answer unknown qop values, nor -sess without qop (no cnonce to send)', () => {
    assert.equal(q('qop="auth-conf"'), null);
    assert.equal(q('algorithm=MD5-sess'), null);
  });
});

describe('createDigestAuthorization', () => {
  it('uses a precomputed HA1 exactly like the password', () => {
    const challenge = parseDigestChallenge(ch('algorithm=SHA-256, qop="auth", opaque="o"'))!;
    const base = { challenge, method: 'REGISTER', uri: 'sip:r', nc: 7, cnonce: 'cn' };
    const withPassword = createDigestAuthorization({ ...base, secret: { username: 'u', password: 'p' } });
    const withHa1 = createDigestAuthorization({
      ...base,
      secret: { username: 'u', ha1: { 'SHA-256': computeHa1('u', 'r', 'p', 'SHA-256') } },
    });
    assert.equal(withHa1, withPassword);
    assert.equal(parseDigestCredentials(withHa1)?.ncText, '00000007');
    assert.throws(
      () => createDigestAuthorization({ ...base, secret: { username: 'u', ha1: { MD5: 'x' } } }),
      RangeError,
    );
  });

  it('hashes a -sess HA1 from the base HA1 of the same family', () => {
    const challenge = parseDigestChallenge(ch('algorithm=MD5-sess, qop="auth"'))!;
    const base = { challenge, method: 'REGISTER', uri: 'sip:r', nc: 1, cnonce: 'cn' };
    assert.equal(
      createDigestAuthorization({
        ...base,
        secret: { username: 'u', ha1: { MD5: computeHa1('u', 'r', 'p', 'MD5') } },
      }),
      createDigestAuthorization({ ...base, secret: { username: 'u', password: 'p' } }),
    );
  });
});

describe('DigestClientSession error paths', () => {
  const request = { method: 'REGISTER', uri: 'sip:r', authorization: [] };
  it('unsupported-challenge when no Digest challenge can be answered', () => {
    const s = new DigestClientSession({
      credentials: { username: 'u', password: 'p' },
      algorithms: ['SHA-256'],
    });
    const r = s.respond(
      { statusCode: 401, challenges: ['Basic realm="r"', ch('algorithm=MD5, qop="auth"')] },
      request,
    );
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.code, 'unsupported-challenge');
      assert.equal(r.error.statusCode, 401);
    }
  });

  it('missing-credentials when the realm is unknown to the credentials provider', () => {
    const s = new DigestClientSession({
      credentials: (realm) => (realm === 'mine' ? { username: 'u', password: 'p' } : undefined),
    });
    const r = s.respond({ statusCode: 407, challenges: [ch('qop="auth"')] }, request);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.code, 'missing-credentials');
      assert.equal(r.error.realm, 'r');
      assert.equal(r.error.statusCode, 407);
    }
  });

  it('answers a 407 with Proxy-Authorization and a fresh random cnonce each time', () => {
    let i = 0;
    const s = new DigestClientSession({
      credentials: { username: 'u', password: 'p' },
      randomBytes: (n) => new Uint8Array(n).fill(++i),
    });
    const r = s.respond({ statusCode: 407, challenges: [ch('qop="auth"')] }, request);
    assert.ok(r.ok);
    assert.equal(r.headers[0].name, 'Proxy-Authorization');
    const first = parseDigestCredentials(r.headers[0].value)!;
    const second = parseDigestCredentials(s.authorize({ method: 'INVITE', uri: 'sip:x@r' })[0].value)!;
    assert.equal(first.cnonce, '01'.repeat(16));
    assert.equal(second.cnonce, '02'.repeat(16));
    assert.equal(second.nc, 2);
    assert.equal(second.uri, 'sip:x@r');
  });
});
