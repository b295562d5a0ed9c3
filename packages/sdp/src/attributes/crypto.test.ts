import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { getCryptos } from '../accessors.js';
import { SdpParseError } from '../errors.js';
import { parseSdp } from '../parse.js';
import { base64Of, plain, token } from '../test/arbitraries.js';
import {
  type CryptoAttribute,
  type CryptoKeyParam,
  decodeKeySalt,
  encodeKeySalt,
  formatCrypto,
  parseCrypto,
} from './crypto.js';

describe('a=crypto (RFC 4568 §9.1 grammar)', () => {
  it('parses the RFC 4568 example with lifetime 2^20 and MKI 1:32', () => {
    const value = '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32';
    const c = parseCrypto(value);
    assert.deepEqual(c, {
      tag: 1,
      suite: 'AES_CM_128_HMAC_SHA1_80',
      keyParams: [
        {
          method: 'inline',
          keySalt: 'PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR',
          lifetime: 1048576,
          lifetimeIsPowerOfTwo: true,
          mki: { value: 1, length: 32 },
        },
      ],
      sessionParams: [],
    });
    assert.equal(formatCrypto(c), value);
    // RFC 4568 §6.2.1: AES_CM_128 master key 16 bytes + master salt 14 bytes.
    assert.equal(decodeKeySalt(c.keyParams[0]).length, 30);
  });

  it('parses the RFC 4568 example with a session parameter', () => {
    const value =
      '1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4 FEC_ORDER=FEC_SRTP';
    const c = parseCrypto(value);
    assert.deepEqual(c.sessionParams, ['FEC_ORDER=FEC_SRTP']);
    assert.deepEqual(c.keyParams[0].mki, { value: 1, length: 4 });
    assert.equal(formatCrypto(c), value);
  });

  it('parses a decimal lifetime, several key params and no MKI', () => {
    const c = parseCrypto(
      '2 AES_CM_128_HMAC_SHA1_32 inline:YUJDZGVmZ2hpSktMbW9QUXJzVHVWd3l6MTIzNDU2|1066;inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR UNENCRYPTED_SRTCP',
    );
    assert.equal(c.keyParams.length, 2);
    assert.equal(c.keyParams[0].lifetime, 1066);
    assert.equal(c.keyParams[0].lifetimeIsPowerOfTwo, undefined);
    assert.equal(c.keyParams[1].lifetime, undefined);
    assert.deepEqual(c.sessionParams, ['UNENCRYPTED_SRTCP']);
  });

  it('rejects malformed values', () => {
    for (const bad of [
      '1 AES_CM_128_HMAC_SHA1_80',
      'x AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR',
      '1234567890 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR',
      '1 AES_CM_128_HMAC_SHA1_80 inline:not*base64',
      '1 AES_CM_128_HMAC_SHA1_80 PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR',
      '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:0',
      '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4|2^20',
    ]) {
      assert.throws(() => parseCrypto(bad), SdpParseError, bad);
    }
  });

  it('is read from a media description with its line number on error', () => {
    const sd = parseSdp(
      'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\na=crypto:2 X\r\n',
    );
    assert.throws(
      () => getCryptos(sd.media[0]),
      (e: unknown) => e instanceof SdpParseError && e.line === 7,
    );
  });

  it('property: parse(format(x)) = x', () => {
    const keyParam: fc.Arbitrary<CryptoKeyParam> = fc
      .tuple(
        base64Of(30),
        fc.option(
          fc.oneof(
            fc.nat(),
            fc.integer({ min: 0, max: 53 }).map((e) => -e - 1),
          ),
        ),
        fc.option(fc.record({ value: fc.nat(), length: fc.integer({ min: 1, max: 128 }) })),
      )
      .map(([keySalt, life, mki]) => {
        const k: CryptoKeyParam = { method: 'inline', keySalt };
        if (life !== null) {
          if (life < 0) {
            k.lifetime = 2 ** (-life - 1);
            k.lifetimeIsPowerOfTwo = true;
          } else {
            k.lifetime = life;
          }
        }
        if (mki !== null) k.mki = mki;
        return k;
      });
    const arb: fc.Arbitrary<CryptoAttribute> = fc.record({
      tag: fc.integer({ min: 1, max: 999_999_999 }),
      suite: token(24),
      keyParams: fc.array(keyParam, { minLength: 1, maxLength: 3 }),
      sessionParams: fc.array(token(), { maxLength: 3 }),
    });
    fc.assert(fc.property(arb, (x) => assert.deepEqual(parseCrypto(formatCrypto(x)), plain(x))));
  });

  it('property: key||salt bytes survive base64', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 30, maxLength: 46 }), (b) => {
        assert.deepEqual(decodeKeySalt({ method: 'inline', keySalt: encodeKeySalt(b) }), b);
      }),
    );
  });
});
