import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthHeaderParseError, formatDigestCredentials, parseDigestCredentials } from '@tsvoip/stack';
import fc from 'fast-check';
import { scanCredentials } from './credentials-scan.js';

function fullParse(v: string) {
  try {
    return parseDigestCredentials(v);
  } catch (e) {
    if (e instanceof AuthHeaderParseError) return undefined;
    throw e;
  }
}

// Printable ASCII with quotes, backslashes, commas and '=' (a formatter refuses CR and LF).
const text = fc.stringMatching(/^[ -~]{0,12}$/);
const algorithm = fc.constantFrom(
  'MD5',
  'MD5-sess',
  'SHA-256',
  'SHA-256-sess',
  'SHA-512-256',
) as fc.Arbitrary<'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256'>;

describe('scanCredentials', () => {
  it('reads what the full parser reads from formatted credentials (RFC 7616 §3.4), or defers', () => {
    fc.assert(
      fc.property(text, text, algorithm, fc.boolean(), (username, realm, alg, userhash) => {
        const v = formatDigestCredentials({
          username,
          realm,
          nonce: 'n0nce',
          uri: 'sip:pbx.example',
          response: '0123456789abcdef0123456789abcdef',
          algorithm: alg,
          qop: 'auth',
          nc: 1,
          cnonce: 'c',
          userhash,
        });
        const full = fullParse(v);
        const quick = scanCredentials(v);
        if (quick === null) return;
        assert.ok(full !== undefined, v);
        assert.equal(full.userhash, false);
        assert.equal(quick.username, full.username);
        assert.equal(quick.realm, full.realm);
        assert.equal(quick.algorithmName ?? 'MD5', full.algorithmName);
      }),
    );
  });

  it('agrees with the full parser whenever both accept an arbitrary value', () => {
    const piece = fc.constantFrom(
      'Digest ',
      'digest ',
      'username=',
      'realm=',
      'algorithm=',
      '"',
      ',',
      ' ',
      'a',
      '\\',
      '*',
      '=',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (parts) => {
        const v = parts.join('');
        const quick = scanCredentials(v);
        const full = fullParse(v);
        if (quick === null || full === undefined) return;
        assert.equal(quick.username, full.username);
        assert.equal(quick.realm, full.realm);
      }),
    );
  });

  it('reads a plain value and defers on quoted-pairs, username* and userhash', () => {
    const plain =
      'Digest username="1001", realm="pbx.example", nonce="x", uri="sip:pbx.example", response="ab", algorithm=SHA-256';
    assert.deepEqual(scanCredentials(plain), {
      username: '1001',
      realm: 'pbx.example',
      algorithmName: 'SHA-256',
    });
    assert.equal(scanCredentials('Digest username="a\\"b", realm="r"'), null);
    assert.equal(scanCredentials('Digest username*=UTF-8\'\'a, realm="r"'), null);
    assert.equal(scanCredentials('Digest username="a", realm="r", userhash=true'), null);
    assert.equal(scanCredentials('Basic dXNlcjpwYXNz'), null);
    assert.equal(scanCredentials('Digest username="a'), null);
  });
});
