import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { freshPGliteOptions } from '../test/pglite-template.js';
import { computeHa1, computeHa1Set, digestAlgorithmOf } from './ha1.js';

// RFC 7616 §3.4.1/§3.4.2 with qop=auth: response = H(HA1:nonce:nc:cnonce:qop:H(method:uri)).
function digestResponse(hash: string, ha1: string, nonce: string, cnonce: string, uri: string): string {
  const h = (s: string) => createHash(hash).update(s, 'utf8').digest('hex');
  return h(`${ha1}:${nonce}:00000001:${cnonce}:auth:${h(`GET:${uri}`)}`);
}

describe('computeHa1', () => {
  const nonce = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
  const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';

  it('RFC 7616 §3.9.1: the MD5 HA1 of Mufasa gives the published response', () => {
    const ha1 = computeHa1('MD5', 'Mufasa', 'http-auth@example.org', 'Circle of Life');
    assert.equal(
      digestResponse('md5', ha1, nonce, cnonce, '/dir/index.html'),
      '8ca523f5e9506fed4657c9700eebdbec',
    );
  });

  it('RFC 7616 §3.9.1: the SHA-256 HA1 of Mufasa gives the published response', () => {
    const ha1 = computeHa1('SHA-256', 'Mufasa', 'http-auth@example.org', 'Circle of Life');
    assert.equal(
      digestResponse('sha256', ha1, nonce, cnonce, '/dir/index.html'),
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  it('SHA-512-256 is SHA-512/256 of FIPS 180-4 (NIST "abc" vector), not a truncated SHA-512', () => {
    const nist = '53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23';
    assert.equal(createHash('sha512-256').update('abc').digest('hex'), nist);
    const truncated = createHash('sha512').update('abc').digest('hex').slice(0, 64);
    assert.notEqual(truncated, nist);
    assert.equal(
      computeHa1('SHA-512-256', 'u', 'r', 'p'),
      createHash('sha512-256').update('u:r:p').digest('hex'),
    );
  });

  it('computeHa1Set holds one lowercase hex HA1 per algorithm, of the right length', () => {
    const set = computeHa1Set('1001', 'pbx.example', 'pw');
    assert.match(set.MD5, /^[0-9a-f]{32}$/);
    assert.match(set['SHA-256'], /^[0-9a-f]{64}$/);
    assert.match(set['SHA-512-256'], /^[0-9a-f]{64}$/);
    assert.notEqual(set['SHA-256'], set['SHA-512-256']);
  });

  describe('against PostgreSQL md5() and sha256() (an independent implementation)', () => {
    let pg: PGlite;
    before(async () => {
      pg = await PGlite.create('memory://', (await freshPGliteOptions()).pglite);
    });
    after(() => pg.close());

    it('agrees on UTF-8 credentials (property)', async () => {
      const part = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes('\u0000'));
      await fc.assert(
        fc.asyncProperty(part, part, part, async (u, r, p) => {
          const { rows } = await pg.query<{ md5: string; sha256: string }>(
            `SELECT md5(convert_to($1, 'UTF8')) AS md5, encode(sha256(convert_to($1, 'UTF8')), 'hex') AS sha256`,
            [`${u}:${r}:${p}`],
          );
          assert.equal(computeHa1('MD5', u, r, p), rows[0].md5);
          assert.equal(computeHa1('SHA-256', u, r, p), rows[0].sha256);
        }),
        { numRuns: 60 },
      );
    });
  });
});

describe('digestAlgorithmOf', () => {
  it('RFC 7616 §3.3: maps algorithm parameters (and -sess variants) to the stored HA1 algorithm', () => {
    assert.equal(digestAlgorithmOf(undefined), 'MD5');
    assert.equal(digestAlgorithmOf('md5'), 'MD5');
    assert.equal(digestAlgorithmOf('MD5-sess'), 'MD5');
    assert.equal(digestAlgorithmOf('SHA-256'), 'SHA-256');
    assert.equal(digestAlgorithmOf('sha-512-256-SESS'), 'SHA-512-256');
    assert.equal(digestAlgorithmOf('SHA-512'), undefined);
    assert.equal(digestAlgorithmOf('AKAv1-MD5'), undefined);
  });
});
