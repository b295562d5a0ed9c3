import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseDigestChallenge } from './challenge.js';
import { createDigestAuthorization } from './client.js';
import { parseDigestCredentials } from './credentials.js';
import {
  computeDigestResponse,
  computeHa1,
  computeUserhash,
  formatNonceCount,
  parseNonceCount,
} from './digest.js';

/** An independent hex hash, written out in the tests instead of reusing the code under test. */
function h(alg: string, s: string): string {
  return createHash(alg).update(s, 'utf8').digest('hex');
}

// RFC 7616 §3.9.1 (with erratum 4495: the password is "Circle of Life", lower-case "of").
const RFC7616_CHALLENGE = (algorithm: string) =>
  `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, ` +
  'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
const RFC7616_CNONCE = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';

describe('RFC 7616 §3.9.1 examples', () => {
  for (const [algorithm, expected] of [
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ] as const) {
    it(`answers the ${algorithm} challenge with the RFC's response`, () => {
      const challenge = parseDigestChallenge(RFC7616_CHALLENGE(algorithm))!;
      const value = createDigestAuthorization({
        challenge,
        secret: { username: 'Mufasa', password: 'Circle of Life' },
        method: 'GET',
        uri: '/dir/index.html',
        nc: 1,
        cnonce: RFC7616_CNONCE,
      });
      const c = parseDigestCredentials(value)!;
      assert.equal(c.response, expected);
      assert.equal(c.username, 'Mufasa');
      assert.equal(c.realm, 'http-auth@example.org');
      assert.equal(c.uri, '/dir/index.html');
      assert.equal(c.algorithmName, algorithm);
      assert.equal(c.qop, 'auth'); // RFC 3261 §22.4: auth preferred when auth and auth-int are offered
      assert.equal(c.ncText, '00000001');
      assert.equal(c.cnonce, RFC7616_CNONCE);
      assert.equal(c.opaque, 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS');
    });
  }
});

describe('RFC 7616 §3.9.2 example (SHA-512-256, userhash)', () => {
  const challenge =
    'Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, ' +
    'nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", ' +
    'charset=UTF-8, userhash=true';
  const user = 'J\u00e4s\u00f8n Doe';
  const cnonce = 'NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v';

  it('sends the hashed username and response of erratum 4897 (FIPS 180-4 SHA-512/256)', () => {
    const ch = parseDigestChallenge(challenge)!;
    assert.equal(ch.userhash, true);
    assert.equal(ch.charset, 'UTF-8');
    const c = parseDigestCredentials(
      createDigestAuthorization({
        challenge: ch,
        secret: { username: user, password: 'Secret, or not?' },
        method: 'GET',
        uri: '/doe.json',
        nc: 1,
        cnonce,
      }),
    )!;
    assert.equal(c.userhash, true);
    assert.equal(c.username, '793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b');
    assert.equal(c.response, '3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5');
    assert.equal(c.opaque, 'HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS');
  });

  it("the RFC's printed values are SHA-512 truncated to 256 bits, not SHA-512/256 (why erratum 4897 exists)", () => {
    const truncated = (s: string) => h('sha512', s).slice(0, 64);
    assert.equal(
      truncated(`${user}:api@example.org`),
      '488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62dcea254ec',
    );
    const ha1 = truncated(`${user}:api@example.org:Secret, or not?`);
    const ha2 = truncated('GET:/doe.json');
    assert.equal(
      truncated(`${ha1}:5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK:00000001:${cnonce}:auth:${ha2}`),
      'ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd',
    );
    // …and the real SHA-512/256 differs, as the erratum says.
    assert.notEqual(
      computeUserhash(user, 'api@example.org', 'SHA-512-256'),
      '488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62dcea254ec',
    );
  });
});

describe('RFC 2617 §3.5 and RFC 2069 examples', () => {
  it('RFC 2617 §3.5: qop=auth, MD5, "Circle Of Life"', () => {
    const ch = parseDigestChallenge(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
        'opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    )!;
    assert.equal(ch.algorithm, 'MD5'); // RFC 7616 §3.3: absent algorithm means MD5
    const c = parseDigestCredentials(
      createDigestAuthorization({
        challenge: ch,
        secret: { username: 'Mufasa', password: 'Circle Of Life' },
        method: 'GET',
        uri: '/dir/index.html',
        nc: 1,
        cnonce: '0a4f113b',
      }),
    )!;
    assert.equal(c.response, '6629fae49393a05397450978507c4ef1');
  });

  it('RFC 2069 §2.4: no qop gives H(HA1:nonce:HA2) and sends no nc/cnonce/qop', () => {
    const ch = parseDigestChallenge(
      'Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
        'opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    )!;
    const value = createDigestAuthorization({
      challenge: ch,
      secret: { username: 'Mufasa', password: 'CircleOfLife' },
      method: 'GET',
      uri: '/dir/index.html',
      nc: 1,
      cnonce: 'unused',
    });
    const c = parseDigestCredentials(value)!;
    assert.equal(c.response, '1949323746fe6a43ef61f9606e7febea');
    assert.equal(c.qop, undefined);
    assert.equal(c.ncText, undefined);
    assert.equal(c.cnonce, undefined);
  });
});

describe('SIP REGISTER known answers (RFC 3261 §22.4), computed step by step with createHash', () => {
  const realm = 'biloxi.com';
  const nonce = 'dcd98b7102dd2f0e8b11d0f600bfb0c093';
  const uri = 'sip:biloxi.com';
  const cnonce = '0a4f113b';
  for (const [algorithm, node] of [
    ['MD5', 'md5'],
    ['SHA-256', 'sha256'],
    ['SHA-512-256', 'sha512-256'],
  ] as const) {
    it(`${algorithm}, qop=auth, nc=00000002`, () => {
      const ha1 = h(node, 'bob:biloxi.com:zanzibar');
      const ha2 = h(node, 'REGISTER:sip:biloxi.com');
      const expected = h(node, `${ha1}:${nonce}:00000002:${cnonce}:auth:${ha2}`);
      assert.equal(computeHa1('bob', realm, 'zanzibar', algorithm), ha1);
      const got = computeDigestResponse({
        algorithm,
        ha1: computeHa1('bob', realm, 'zanzibar', algorithm),
        nonce,
        method: 'REGISTER',
        uri,
        qop: 'auth',
        nc: 2,
        cnonce,
      });
      assert.equal(got, expected);
    });
  }

  it('matches literal answers computed with the openssl CLI (MD5 and SHA-256)', () => {
    // printf '%s' … | openssl dgst -md5 / -sha256, outside this code base.
    const expected = {
      MD5: 'bef6c26ce562c084baeb1c500569a239',
      'SHA-256': '6d8910383082438752bfbbb8f3f9ace79e6ce9fd28cea260f74fafb41ae53931',
    } as const;
    for (const algorithm of ['MD5', 'SHA-256'] as const) {
      const ha1 = computeHa1('bob', realm, 'zanzibar', algorithm);
      const got = computeDigestResponse({
        algorithm,
        ha1,
        nonce,
        method: 'REGISTER',
        uri,
        qop: 'auth',
        nc: 2,
        cnonce,
      });
      assert.equal(got, expected[algorithm]);
    }
  });

  it('SHA-256-sess with auth-int hashes nonce/cnonce into HA1 and the body into A2', () => {
    const body = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n';
    const base = h('sha256', 'bob:biloxi.com:zanzibar');
    const ha1 = h('sha256', `${base}:${nonce}:${cnonce}`);
    const ha2 = h('sha256', `INVITE:sip:bob@biloxi.com:${h('sha256', body)}`);
    const expected = h('sha256', `${ha1}:${nonce}:00000001:${cnonce}:auth-int:${ha2}`);
    const got = computeDigestResponse({
      algorithm: 'SHA-256-sess',
      ha1: base,
      nonce,
      method: 'INVITE',
      uri: 'sip:bob@biloxi.com',
      qop: 'auth-int',
      nc: 1,
      cnonce,
      body: new TextEncoder().encode(body),
    });
    assert.equal(got, expected);
  });

  it('auth-int without a body hashes the empty string (RFC 3261 §22.4)', () => {
    const ha1 = h('md5', 'bob:biloxi.com:zanzibar');
    const ha2 = h('md5', `REGISTER:${uri}:${h('md5', '')}`);
    const got = computeDigestResponse({
      algorithm: 'MD5',
      ha1,
      nonce,
      method: 'REGISTER',
      uri,
      qop: 'auth-int',
      nc: 1,
      cnonce,
    });
    assert.equal(got, h('md5', `${ha1}:${nonce}:00000001:${cnonce}:auth-int:${ha2}`));
  });

  it('refuses -sess without cnonce and qop without nc', () => {
    assert.throws(
      () => computeDigestResponse({ algorithm: 'MD5-sess', ha1: 'x', nonce, method: 'A', uri }),
      RangeError,
    );
    assert.throws(
      () => computeDigestResponse({ algorithm: 'MD5', ha1: 'x', nonce, method: 'A', uri, qop: 'auth' }),
      RangeError,
    );
  });
});

describe('nonce count (RFC 7616 §3.4: nc is 8 hex digits)', () => {
  it('formats as 8 lower-case hex digits', () => {
    assert.equal(formatNonceCount(1), '00000001');
    assert.equal(formatNonceCount(0xabc), '00000abc');
    assert.equal(formatNonceCount(0xffffffff), 'ffffffff');
    assert.throws(() => formatNonceCount(0), RangeError);
    assert.throws(() => formatNonceCount(2 ** 32), RangeError);
  });

  it('parses strictly: 8 hex digits, not zero', () => {
    assert.equal(parseNonceCount('0000000A'), 10);
    for (const bad of ['1', '000000001', '0000000g', '00000000', ' 0000001']) {
      assert.equal(parseNonceCount(bad), undefined, bad);
    }
  });

  it('round-trips every count (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0xffffffff }), (n) => {
        assert.equal(parseNonceCount(formatNonceCount(n)), n);
      }),
    );
  });
});
