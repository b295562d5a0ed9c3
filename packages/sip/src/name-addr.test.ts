import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SipParseError } from './errors.js';
import { parseAuthValue, parseCSeq, parseMediaType } from './headers.js';
import { formatNameAddr, parseNameAddr } from './name-addr.js';
import { quote, splitList, unquote } from './scan.js';
import { formatUri } from './uri.js';
import { formatVia, parseVia } from './via.js';

describe('parseNameAddr (RFC 3261 §20.10, §25.1)', () => {
  it('reads a quoted display name with quoted-pairs', () => {
    const x = parseNameAddr('"Alice \\"A\\" \\\\ B" <sip:alice@atlanta.com>;tag=88sja8x');
    assert.equal(x.displayName, 'Alice "A" \\ B');
    assert.equal(formatUri(x.uri), 'sip:alice@atlanta.com');
    assert.equal(x.tag, '88sja8x');
  });

  it('reads token display names, and no display name', () => {
    assert.equal(parseNameAddr('Bob Smith <sip:bob@b.com>').displayName, 'Bob Smith');
    assert.equal(parseNameAddr('caller<sip:caller@example.com>').displayName, 'caller');
    assert.equal(parseNameAddr('<sip:bob@b.com>').displayName, undefined);
  });

  it('addr-spec form: parameters belong to the header, not the URI (RFC 3261 §20.10)', () => {
    const x = parseNameAddr('sip:+19725552222@gw1.example.net;unknownparam');
    assert.ok(x.uri.kind === 'sip');
    assert.equal(x.uri.params.size, 0);
    assert.equal(x.params.has('unknownparam'), true);
    const y = parseNameAddr('<sip:+19725552222@gw1.example.net;unknownparam>');
    assert.ok(y.uri.kind === 'sip');
    assert.equal(y.uri.params.has('unknownparam'), true);
    assert.equal(y.params.size, 0);
  });

  it('rejects "?" in an addr-spec, an unterminated quote, an unbalanced <', () => {
    for (const bad of [
      'sip:a@b?Route=x',
      '"Mr. J. User <sip:j@example.com>',
      '<sip:a@b',
      'Bell, Alexander <sip:a@b>',
    ]) {
      assert.throws(() => parseNameAddr(bad), SipParseError, bad);
    }
  });

  it('keeps quoted parameter values raw', () => {
    const x = parseNameAddr('<sip:a@b>;+sip.instance="<urn:uuid:1234>";expires=60');
    assert.equal(x.params.get('+sip.instance'), '"<urn:uuid:1234>"');
    assert.equal(unquote(x.params.get('+sip.instance') ?? ''), '<urn:uuid:1234>');
    assert.equal(x.params.get('expires'), '60');
  });

  it('formatNameAddr output re-parses to the same value (fast-check)', () => {
    const display = fc.option(
      fc.string({ maxLength: 12 }).filter((s) => !/[\r\n]/.test(s)),
      { nil: undefined },
    );
    const tag = fc.option(fc.stringMatching(/^[a-zA-Z0-9.\-!%*_+`'~]{1,12}$/), { nil: undefined });
    fc.assert(
      fc.property(display, tag, fc.stringMatching(/^[a-z0-9]{1,8}$/), (d, t, user) => {
        const text = `${d === undefined ? '' : `${quote(d)} `}<sip:${user}@example.com>${t === undefined ? '' : `;tag=${t}`}`;
        const x = parseNameAddr(text);
        assert.equal(x.displayName, d);
        assert.equal(x.tag, t);
        assert.equal(formatNameAddr(x), text);
        assert.deepEqual(parseNameAddr(formatNameAddr(x)).tag, t);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseVia (RFC 3261 §20.42)', () => {
  it('reads protocol, transport, sent-by and branch/received/rport', () => {
    const v = parseVia(
      'SIP/2.0/UDP pc33.atlanta.com:5066;branch=z9hG4bK776asdhds;received=192.0.2.1;rport=5060',
    );
    assert.equal(v.protocol, 'SIP/2.0');
    assert.equal(v.transport, 'UDP');
    assert.equal(v.host, 'pc33.atlanta.com');
    assert.equal(v.port, 5066);
    assert.equal(v.branch, 'z9hG4bK776asdhds');
    assert.equal(v.received, '192.0.2.1');
    assert.equal(v.rport, 5060);
    assert.equal(parseVia('SIP/2.0/tcp h;rport').rport, true);
    assert.equal(parseVia('SIP/2.0/tcp h;rport').transport, 'TCP');
  });

  it('tolerates LWS around / ; = (RFC 4475 §3.1.1.1)', () => {
    const v = parseVia('SIP  /   2.0 /UDP    192.0.2.2 ;  branch =  390skdjuw');
    assert.equal(v.transport, 'UDP');
    assert.equal(v.branch, '390skdjuw');
  });

  it('reads IPv6 sent-by and received (RFC 5118 §4.5)', () => {
    const v = parseVia('SIP/2.0/UDP [2001:db8::9:1]:5060;received=[2001:db8::9:255];branch=z9hG4bKas3');
    assert.equal(v.host, '[2001:db8::9:1]');
    assert.equal(v.received, '[2001:db8::9:255]');
  });

  it('rejects empty params, missing transport, bad port', () => {
    for (const bad of ['SIP/2.0/UDP 192.0.2.15;;', 'SIP/2.0 host', 'SIP/2.0/UDP host:99999', 'SIP/2.0/UDP']) {
      assert.throws(() => parseVia(bad), SipParseError, bad);
    }
  });

  it('formatVia output re-parses equal (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('UDP', 'TCP', 'TLS', 'WS', 'WSS'),
        fc.stringMatching(/^[a-z][a-z0-9-]{0,10}(\.[a-z0-9]{1,5}){0,2}$/),
        fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
        fc.stringMatching(/^[a-zA-Z0-9]{1,16}$/),
        (transport, h, port, b) => {
          const text = `SIP/2.0/${transport} ${h}${port === undefined ? '' : `:${port}`};branch=z9hG4bK${b}`;
          const v = parseVia(text);
          assert.equal(formatVia(v), text);
          assert.deepEqual({ ...parseVia(formatVia(v)), params: null }, { ...v, params: null });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('other header values', () => {
  it('CSeq: number below 2**31 and method (RFC 3261 §8.1.1.5)', () => {
    assert.deepEqual(parseCSeq('4711 INVITE'), { seq: 4711, method: 'INVITE' });
    assert.deepEqual(parseCSeq(' 2147483647   BYE '), { seq: 2147483647, method: 'BYE' });
    assert.throws(() => parseCSeq('2147483648 INVITE'), SipParseError);
    assert.throws(() => parseCSeq('1INVITE'), SipParseError);
    assert.throws(() => parseCSeq('-1 INVITE'), SipParseError);
  });

  it('media types with parameters', () => {
    const m = parseMediaType('Multipart/Mixed; boundary="xyz" ;charset=utf-8');
    assert.equal(m.mediaType, 'multipart/mixed');
    assert.equal(m.params.get('boundary'), '"xyz"');
    assert.equal(m.params.get('charset'), 'utf-8');
    assert.throws(() => parseMediaType('application'), SipParseError);
  });

  it('Digest challenges and credentials (RFC 3261 §22.4, §25.1)', () => {
    const c = parseAuthValue(
      'Digest realm="atlanta.com", domain="sip:ss1.carrier.com", qop="auth,auth-int", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5',
    );
    assert.equal(c.scheme, 'Digest');
    assert.equal(c.params.get('realm'), 'atlanta.com');
    assert.equal(c.params.get('qop'), 'auth,auth-int');
    assert.equal(c.params.get('opaque'), '');
    assert.equal(c.params.get('stale'), 'FALSE');
    const t = parseAuthValue('Bearer abc.def-ghi==');
    assert.equal(t.token68, 'abc.def-ghi==');
    assert.throws(() => parseAuthValue('Digest realm="x" nonce="y"'), SipParseError);
    assert.throws(() => parseAuthValue('Digest realm="x'), SipParseError);
  });

  it('splitList splits at top-level commas only (RFC 3261 §7.3.1)', () => {
    assert.deepEqual(splitList('"A, B" <sip:a@x;p=1>, <sip:b@y?h=1,2>;q=0.5 , sip:c@z'), [
      '"A, B" <sip:a@x;p=1>',
      '<sip:b@y?h=1,2>;q=0.5',
      'sip:c@z',
    ]);
    assert.deepEqual(splitList('a,,b, '), ['a', 'b']);
    assert.deepEqual(splitList('"x\\", y", z'), ['"x\\", y"', 'z']);
    assert.throws(() => splitList('"open, x'), SipParseError);
  });

  it('quote/unquote round-trip any text without CR/LF (fast-check)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        assert.equal(unquote(quote(s)), s);
      }),
    );
  });
});
