import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type AuthHeaderValue,
  type AuthParam,
  authParamRecord,
  formatAuthHeaderValue,
  isToken,
  parseAuthHeaderValue,
  quoteString,
} from './auth-params.js';
import { AuthHeaderParseError, AuthParamFormatError } from './errors.js';

const TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~#$&^|";
const tokenArb = fc
  .array(fc.constantFrom(...TOKEN_ALPHABET), { minLength: 1, maxLength: 12 })
  .map((cs) => cs.join(''));
// Anything a quoted-string can carry: every character but CR and LF, including `"`, `\`, controls, UTF-8.
const quotableArb = fc.string({ unit: 'binary', maxLength: 24 }).map((s) => s.replace(/[\r\n]/g, ''));
const paramArb: fc.Arbitrary<AuthParam> = fc.oneof(
  fc.record({ name: tokenArb.map((t) => t.toLowerCase()), value: tokenArb, quoted: fc.constant(false) }),
  fc.record({ name: tokenArb.map((t) => t.toLowerCase()), value: quotableArb, quoted: fc.constant(true) }),
);
// fc.record builds null-prototype objects; copy them into plain ones so deepEqual compares values only.
const headerArb: fc.Arbitrary<AuthHeaderValue> = fc
  .record({ scheme: tokenArb, params: fc.uniqueArray(paramArb, { selector: (p) => p.name, maxLength: 8 }) })
  .map((v) => ({ scheme: v.scheme, params: v.params.map((p) => ({ ...p })) }));

describe('auth-param parser (RFC 3261 §25.1, RFC 7616 §3.3)', () => {
  it('parses the RFC 7616 §3.9.1 challenge, unquoting values and keeping order', () => {
    const v = parseAuthHeaderValue(
      'Digest\r\n    realm="http-auth@example.org",\r\n    qop="auth, auth-int",\r\n    algorithm=SHA-256,\r\n' +
        '    nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",\r\n' +
        '    opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
    assert.equal(v.scheme, 'Digest');
    assert.deepEqual(
      v.params.map((p) => [p.name, p.value, p.quoted]),
      [
        ['realm', 'http-auth@example.org', true],
        ['qop', 'auth, auth-int', true],
        ['algorithm', 'SHA-256', false],
        ['nonce', '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', true],
        ['opaque', 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS', true],
      ],
    );
  });

  it('lower-cases parameter names (RFC 7235 §2.1: case-insensitive)', () => {
    const v = parseAuthHeaderValue('digest REALM="a", Nonce=b');
    assert.deepEqual(authParamRecord(v.params), { realm: 'a', nonce: 'b' });
  });

  it('undoes quoted-pair escapes and tolerates SWS around = and ,', () => {
    const v = parseAuthHeaderValue('Digest realm = "a\\"b\\\\c" ,\tnonce="x\\yz"');
    assert.deepEqual(authParamRecord(v.params), { realm: 'a"b\\c', nonce: 'xyz' });
  });

  it('keeps UTF-8 inside quoted-strings', () => {
    assert.equal(parseAuthHeaderValue('Digest username="Jäsøn Doe"').params[0].value, 'Jäsøn Doe');
  });

  it('accepts a scheme with no parameters', () => {
    assert.deepEqual(parseAuthHeaderValue('  Digest  '), { scheme: 'Digest', params: [] });
  });

  const bad: [string, string][] = [
    ['several challenges in one value', 'Digest realm="a", nonce="b", Basic realm="c"'],
    ['token68 form', 'Basic dXNlcjpwYXNz'],
    ['duplicate parameter', 'Digest realm="a", REALM="b"'],
    ['unterminated quoted-string', 'Digest realm="abc'],
    ['CR inside a quoted-string', 'Digest realm="a\rb"'],
    ['empty list element', 'Digest realm="a",, nonce="b"'],
    ['trailing comma', 'Digest realm="a",'],
    ['missing value', 'Digest realm='],
    ['no whitespace after the scheme', 'Digest,realm="a"'],
    ['empty input', ''],
    ['backslash at the end', 'Digest realm="a\\'],
  ];
  for (const [what, input] of bad) {
    it(`rejects ${what} with an offset`, () => {
      assert.throws(
        () => parseAuthHeaderValue(input),
        (e: unknown) => e instanceof AuthHeaderParseError && e.input === input && e.offset >= 0,
      );
    });
  }

  it('names the multiple-challenge mistake in the error', () => {
    assert.throws(() => parseAuthHeaderValue('Digest realm="a", Basic realm="c"'), /several challenges/);
  });
});

describe('auth-param formatter', () => {
  it('writes tokens bare and quoted values with escapes', () => {
    const s = formatAuthHeaderValue({
      scheme: 'Digest',
      params: [
        { name: 'realm', value: 'a"b\\c', quoted: true },
        { name: 'algorithm', value: 'MD5', quoted: false },
      ],
    });
    assert.equal(s, 'Digest realm="a\\"b\\\\c", algorithm=MD5');
  });

  it('refuses CR/LF in a quoted value and a non-token bare value', () => {
    assert.throws(() => quoteString('a\r\nb', 'realm'), AuthParamFormatError);
    assert.throws(
      () =>
        formatAuthHeaderValue({ scheme: 'Digest', params: [{ name: 'nc', value: 'a b', quoted: false }] }),
      AuthParamFormatError,
    );
    assert.throws(() => formatAuthHeaderValue({ scheme: 'Di gest', params: [] }), AuthParamFormatError);
  });

  it('isToken accepts token characters only', () => {
    assert.equal(isToken('SHA-512-256-sess'), true);
    assert.equal(isToken(''), false);
    assert.equal(isToken('a"b'), false);
    assert.equal(isToken('ä'), false);
  });
});

describe('auth-param round trips (fast-check)', () => {
  it('parse(format(v)) = v for any scheme and parameters', () => {
    fc.assert(
      fc.property(headerArb, (v) => {
        assert.deepEqual(parseAuthHeaderValue(formatAuthHeaderValue(v)), v);
      }),
      { numRuns: 500 },
    );
  });

  it('any CR/LF-free string survives quoteString and parsing', () => {
    fc.assert(
      fc.property(quotableArb, (s) => {
        const v = parseAuthHeaderValue(`Digest realm=${quoteString(s)}`);
        assert.equal(v.params[0].value, s);
      }),
      { numRuns: 500 },
    );
  });

  it('format(parse(s)) = s for canonical header values', () => {
    fc.assert(
      fc.property(headerArb, (v) => {
        const s = formatAuthHeaderValue(v);
        assert.equal(formatAuthHeaderValue(parseAuthHeaderValue(s)), s);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws anything but AuthHeaderParseError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        try {
          parseAuthHeaderValue(s);
        } catch (e) {
          assert.ok(e instanceof AuthHeaderParseError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
