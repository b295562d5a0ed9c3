import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SipParseError } from './errors.js';
import { formatUri, parseUri, percentDecode, type Uri, uriEquals } from './uri.js';

function norm(u: Uri): unknown {
  if (u.kind === 'sip') {
    return { ...u, params: [...u.params], headers: u.headers.map((h) => [...h]) };
  }
  if (u.kind === 'tel') return { ...u, params: [...u.params] };
  return { ...u };
}

describe('parseUri', () => {
  it('splits a SIP URI into user, password, host, port, params, headers (RFC 3261 §19.1.1)', () => {
    const u = parseUri(
      'sips:alice:secret@Atlanta.example.com:5061;transport=TCP;lr?subject=project%20x&priority=urgent',
    );
    assert.ok(u.kind === 'sip');
    assert.equal(u.scheme, 'sips');
    assert.equal(u.user, 'alice');
    assert.equal(u.password, 'secret');
    assert.equal(u.host, 'Atlanta.example.com');
    assert.equal(u.port, 5061);
    assert.deepEqual(
      [...u.params],
      [
        ['transport', 'TCP'],
        ['lr', null],
      ],
    );
    assert.deepEqual(u.headers, [
      ['subject', 'project%20x'],
      ['priority', 'urgent'],
    ]);
  });

  it('accepts IPv6 references and IPv4 hosts (RFC 5118 §4.1, §4.3)', () => {
    const a = parseUri('sip:[2001:db8::10]:5070');
    assert.ok(a.kind === 'sip');
    assert.equal(a.host, '[2001:db8::10]');
    assert.equal(a.port, 5070);
    const b = parseUri('sip:[2001:db8::10:5070]');
    assert.ok(b.kind === 'sip');
    assert.equal(b.port, undefined);
    const c = parseUri('sip:user@192.0.2.1');
    assert.ok(c.kind === 'sip' && c.host === '192.0.2.1');
  });

  it('rejects an IPv6 address without brackets (RFC 5118 §4.2)', () => {
    assert.throws(() => parseUri('sip:user@2001:db8::10'), SipParseError);
  });

  it('keeps tel: and other schemes (RFC 3966; RFC 3261 §19.1.6)', () => {
    const t = parseUri('tel:+1-201-555-0123;phone-context=example.com');
    assert.ok(t.kind === 'tel');
    assert.equal(t.number, '+1-201-555-0123');
    assert.equal(t.params.get('phone-context'), 'example.com');
    const o = parseUri('soap.beep://192.0.2.103:3002');
    assert.deepEqual(o, { kind: 'absolute', scheme: 'soap.beep', opaque: '//192.0.2.103:3002' });
    const m = parseUri('mailto:someone@example.com');
    assert.ok(m.kind === 'absolute' && m.opaque === 'someone@example.com');
  });

  it('rejects malformed URIs with an offset', () => {
    for (const [s, at] of [
      ['sip:', 4],
      ['sip:user@', 9],
      ['sip:host:99999', 9],
      ['sip:host;=x', 9],
      ['sip:us er@host', 6],
      ['sip:host%zz', 8],
      ['<sip:host>', 0],
      ['sip:host>', 8],
    ] as const) {
      assert.throws(
        () => parseUri(s),
        (e: unknown) => e instanceof SipParseError && e.offset === at,
        s,
      );
    }
  });

  it('enforces the parameter limit', () => {
    const many = `sip:h${';p'.repeat(70)}`;
    assert.throws(
      () => parseUri(many, 64),
      (e: unknown) => e instanceof SipParseError && e.kind === 'limit',
    );
    assert.equal((parseUri(many, 100) as { params: { size: number } }).params.size, 70);
  });
});

describe('uriEquals (RFC 3261 §19.1.4)', () => {
  // Every example pair of RFC 3261 §19.1.4.
  const equal: [string, string][] = [
    ['sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;security=on'],
    ['sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;security=on'],
    [
      'sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com',
      'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com',
    ],
    [
      'sip:alice@atlanta.com?subject=project%20x&priority=urgent',
      'sip:alice@atlanta.com?priority=urgent&subject=project%20x',
    ],
  ];
  const notEqual: [string, string][] = [
    ['SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting'],
    ['sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4'],
  ];
  for (const [a, b] of equal) {
    it(`${a} == ${b}`, () => {
      assert.equal(uriEquals(parseUri(a), parseUri(b)), true);
      assert.equal(uriEquals(parseUri(b), parseUri(a)), true);
    });
  }
  for (const [a, b] of notEqual) {
    it(`${a} != ${b}`, () => {
      assert.equal(uriEquals(parseUri(a), parseUri(b)), false);
      assert.equal(uriEquals(parseUri(b), parseUri(a)), false);
    });
  }
  it('sip and sips never match; a parameter present in both must match', () => {
    assert.equal(uriEquals(parseUri('sip:a@b'), parseUri('sips:a@b')), false);
    assert.equal(uriEquals(parseUri('sip:a@b;x=1'), parseUri('sip:a@b;x=2')), false);
  });
  it('tel URIs ignore visual separators (RFC 3966 §4)', () => {
    assert.equal(uriEquals(parseUri('tel:+1-201-555-0123'), parseUri('tel:+12015550123')), true);
    assert.equal(uriEquals(parseUri('tel:+1-201-555-0123'), parseUri('tel:+12015550124')), false);
  });
  it('percentDecode decodes escapes and leaves bad ones', () => {
    assert.equal(percentDecode('%61b%2'), 'ab%2');
    assert.equal(percentDecode('n%61me=v%61lue%25%34%31'), 'name=value%41');
  });
});

// ---- property tests --------------------------------------------------------------------------

const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const chars = (set: string, min = 1, max = 8) =>
  fc.array(fc.constantFrom(...set.split('')), { minLength: min, maxLength: max }).map((a) => a.join(''));
const escaped = fc
  .integer({ min: 0, max: 255 })
  .map((n) => `%${n.toString(16).padStart(2, '0').toUpperCase()}`);
const withEscapes = (set: string) =>
  fc.array(fc.oneof(chars(set, 1, 3), escaped), { minLength: 1, maxLength: 4 }).map((a) => a.join(''));

const label = chars(`${alnum}-`, 1, 10).filter((s) => !s.startsWith('-'));
const hostname = fc.array(label, { minLength: 1, maxLength: 3 }).map((a) => a.join('.'));
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));
const ipv6 = fc.ipV6().map((s) => `[${s}]`);
const host = fc.oneof(hostname, ipv4, ipv6);
const paramName = chars(`${alnum.slice(0, 26)}-`, 1, 8);
const paramValue = fc.option(withEscapes(`${alnum}-_.!~*'()[]/:&+$`), { nil: null });

export const sipUriText = fc
  .record({
    scheme: fc.constantFrom('sip', 'sips'),
    user: fc.option(withEscapes(`${alnum}-_.!~*'()&=+$,;?/`), { nil: undefined }),
    password: fc.option(withEscapes(`${alnum}-_.!~*'()&=+$,`), { nil: undefined }),
    host,
    port: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
    params: fc.uniqueArray(fc.tuple(paramName, paramValue), { maxLength: 4, selector: (p) => p[0] }),
    headers: fc.array(fc.tuple(withEscapes(`${alnum}-_.`), withEscapes(`${alnum}-_.[]/?:+$`)), {
      maxLength: 3,
    }),
  })
  .map((r) => {
    let s = `${r.scheme}:`;
    if (r.user !== undefined) s += `${r.user}${r.password !== undefined ? `:${r.password}` : ''}@`;
    s += r.host;
    if (r.port !== undefined) s += `:${r.port}`;
    for (const [k, v] of r.params) s += v === null ? `;${k}` : `;${k}=${v}`;
    r.headers.forEach(([k, v], i) => {
      s += `${i === 0 ? '?' : '&'}${k}=${v}`;
    });
    return s;
  });

describe('URI properties (fast-check)', () => {
  it('formatUri(parseUri(s)) === s and re-parses equal', () => {
    fc.assert(
      fc.property(sipUriText, (s) => {
        const u = parseUri(s);
        const f = formatUri(u);
        assert.equal(f, s);
        assert.deepEqual(norm(parseUri(f)), norm(u));
      }),
      { numRuns: 400 },
    );
  });

  it('uriEquals is reflexive, and symmetric on random pairs', () => {
    fc.assert(
      fc.property(sipUriText, sipUriText, (a, b) => {
        const ua = parseUri(a);
        const ub = parseUri(b);
        assert.equal(uriEquals(ua, ua), true);
        assert.equal(uriEquals(ua, parseUri(formatUri(ua))), true);
        assert.equal(uriEquals(ua, ub), uriEquals(ub, ua));
      }),
      { numRuns: 300 },
    );
  });

  it('uriEquals ignores host and parameter case, and escaping of unreserved characters', () => {
    fc.assert(
      fc.property(fc.constantFrom('sip', 'sips'), chars(alnum, 1, 6), hostname, (scheme, user, h) => {
        const escapedUser = user
          .split('')
          .map((c) => `%${c.charCodeAt(0).toString(16)}`)
          .join('');
        const a = parseUri(`${scheme}:${user}@${h};transport=tcp`);
        const b = parseUri(`${scheme}:${escapedUser}@${h.toUpperCase()};TRANSPORT=TCP`);
        assert.equal(uriEquals(a, b), true);
      }),
      { numRuns: 200 },
    );
  });
});
