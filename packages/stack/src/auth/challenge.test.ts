import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DIGEST_ALGORITHMS } from './algorithm.js';
import { formatDigestChallenge, parseDigestChallenge } from './challenge.js';
import { formatDigestCredentials, parseDigestCredentials } from './credentials.js';
import { AuthHeaderParseError } from './errors.js';

const textArb = fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ''));
const nonEmptyArb = textArb.filter((s) => s.length > 0);

describe('Digest challenge values (RFC 7616 §3.3, RFC 3261 §25.1)', () => {
  it('parses the RFC 3261 §22.4 style challenge', () => {
    const c = parseDigestChallenge(
      'Digest realm="atlanta.com", domain="sip:ss1.carrier.com", qop="auth", ' +
        'nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5',
    )!;
    assert.equal(c.realm, 'atlanta.com');
    assert.equal(c.domain, 'sip:ss1.carrier.com');
    assert.deepEqual(c.qop, ['auth']);
    assert.equal(c.nonce, 'f84f1cec41e6cbe5aea9c8e88d359');
    assert.equal(c.opaque, '');
    assert.equal(c.stale, false);
    assert.equal(c.algorithm, 'MD5');
  });

  it('matches algorithm, stale and userhash case-insensitively; keeps unknown algorithms by name', () => {
    const c = parseDigestChallenge(
      'digest realm="r", nonce="n", algorithm=sha-256-SESS, stale=TRUE, userhash=True',
    )!;
    assert.equal(c.algorithm, 'SHA-256-sess');
    assert.equal(c.stale, true);
    assert.equal(c.userhash, true);
    const u = parseDigestChallenge('Digest realm="r", nonce="n", algorithm=SHA-1')!;
    assert.equal(u.algorithm, undefined);
    assert.equal(u.algorithmName, 'SHA-1');
  });

  it('returns undefined for another scheme and throws without realm or nonce', () => {
    assert.equal(parseDigestChallenge('Basic realm="r"'), undefined);
    assert.throws(() => parseDigestChallenge('Digest nonce="n"'), AuthHeaderParseError);
    assert.throws(() => parseDigestChallenge('Digest realm="r"'), AuthHeaderParseError);
    assert.throws(() => parseDigestChallenge('Digest realm="r", nonce=""'), AuthHeaderParseError);
  });

  it('round-trips through format and parse (fast-check)', () => {
    fc.assert(
      fc.property(
        textArb,
        nonEmptyArb,
        fc.constantFrom(...DIGEST_ALGORITHMS),
        fc.subarray(['auth', 'auth-int']),
        fc.option(textArb, { nil: undefined }),
        fc.boolean(),
        fc.boolean(),
        (realm, nonce, algorithm, qop, opaque, stale, userhash) => {
          const c = parseDigestChallenge(
            formatDigestChallenge({ realm, nonce, algorithm, qop, opaque, stale, userhash }),
          )!;
          assert.deepEqual(
            [c.realm, c.nonce, c.algorithm, c.qop, c.opaque, c.stale, c.userhash],
            [realm, nonce, algorithm, qop, opaque, stale, userhash],
          );
        },
      ),
    );
  });
});

describe('Digest credentials values (RFC 7616 §3.4, RFC 3261 §25.1)', () => {
  it('parses the RFC 3261 §22.4 style Authorization', () => {
    const c = parseDigestCredentials(
      'Digest username="bob", realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
        'uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b", ' +
        'response="6629FAE49393A05397450978507C4EF1", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    )!;
    assert.equal(c.username, 'bob');
    assert.equal(c.uri, 'sip:bob@biloxi.com');
    assert.equal(c.qop, 'auth');
    assert.equal(c.nc, 1);
    assert.equal(c.response, '6629fae49393a05397450978507c4ef1'); // hex compared lower-case
    assert.equal(c.algorithm, 'MD5');
  });

  it('decodes RFC 7616 §3.4 username* (RFC 8187 ext-value) and refuses it beside username', () => {
    const base = 'realm="r", nonce="n", uri="/", response="00"';
    const c = parseDigestCredentials(`Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, ${base}`)!;
    assert.equal(c.username, 'Jäsøn Doe');
    assert.throws(
      () => parseDigestCredentials(`Digest username="a", username*=UTF-8''b, ${base}`),
      AuthHeaderParseError,
    );
    assert.throws(() => parseDigestCredentials(`Digest username*=latin1''b, ${base}`), AuthHeaderParseError);
  });

  for (const missing of ['username', 'realm', 'nonce', 'uri', 'response']) {
    it(`throws without ${missing}`, () => {
      const all: Record<string, string> = { username: 'u', realm: 'r', nonce: 'n', uri: '/', response: '00' };
      delete all[missing];
      const v = `Digest ${Object.entries(all)
        .map(([k, x]) => `${k}="${x}"`)
        .join(', ')}`;
      assert.throws(() => parseDigestCredentials(v), AuthHeaderParseError);
    });
  }

  it('round-trips through format and parse (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.record({
          username: textArb,
          realm: textArb,
          nonce: nonEmptyArb,
          uri: textArb,
          response: fc.stringMatching(/^[0-9a-f]{32}$/),
          algorithm: fc.constantFrom(...DIGEST_ALGORITHMS),
          cnonce: textArb,
          opaque: fc.option(textArb, { nil: undefined }),
          qop: fc.constantFrom('auth', 'auth-int'),
          nc: fc.integer({ min: 1, max: 0xffffffff }),
          userhash: fc.boolean(),
        }),
        (f) => {
          const c = parseDigestCredentials(formatDigestCredentials(f))!;
          assert.deepEqual(
            [
              c.username,
              c.realm,
              c.nonce,
              c.uri,
              c.response,
              c.algorithm,
              c.cnonce,
              c.opaque,
              c.qop,
              c.nc,
              c.userhash,
            ],
            [
              f.username,
              f.realm,
              f.nonce,
              f.uri,
              f.response,
              f.algorithm,
              f.cnonce,
              f.opaque,
              f.qop,
              f.nc,
              f.userhash,
            ],
          );
        },
      ),
    );
  });
});
