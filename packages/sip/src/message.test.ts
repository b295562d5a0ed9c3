import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SipParseError } from './errors.js';
import { H as HeaderId, headerIdOf } from './header-names.js';
import { parseMessage } from './parse.js';

const crlf = (lines: string[], body = '') => `${lines.join('\r\n')}\r\n\r\n${body}`;

const INVITE = crlf(
  [
    'INVITE sip:bob@biloxi.com;transport=tcp SIP/2.0',
    'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1, SIP/2.0/TCP 10.0.0.1:5070;branch=z9hG4bKx;rport=5070',
    'v: SIP/2.0/TLS last.example.com;branch=z9hG4bK-last',
    'Max-Forwards: 70',
    'To: Bob <sip:bob@biloxi.com>',
    'From: "Alice, A." <sip:alice@atlanta.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710@pc33.atlanta.com',
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@pc33.atlanta.com>;q=0.7, "Other, Name" <sip:o@x.com;lr>;expires=30',
    'Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>',
    'Record-Route: <sip:rr.example.com;lr>',
    'k: replaces, timer',
    'Require: 100rel',
    'Allow: INVITE, ACK,BYE',
    'Expires: 120',
    'Proxy-Authorization: Digest username="alice", realm="atlanta.com", nonce="xyz", uri="sip:bob@biloxi.com", response="abc"',
    'X-Custom: a, b',
    'X-Custom: c',
    'c: application/sdp',
    'l: 4',
  ],
  'v=0\r\n',
);

describe('typed views', () => {
  const m = parseMessage(INVITE);

  it('start line', () => {
    assert.equal(m.isRequest, true);
    assert.equal(m.method, 'INVITE');
    assert.equal(m.requestUri, 'sip:bob@biloxi.com;transport=tcp');
    assert.equal(m.status, 0);
    const u = m.parsedRequestUri;
    assert.ok(u?.kind === 'sip');
    assert.equal(u.params.get('transport'), 'tcp');
  });

  it('via: every element of every Via line, in order (RFC 3261 §20.42)', () => {
    assert.deepEqual(
      m.via.map((v) => [v.transport, v.host, v.port, v.branch, v.received, v.rport]),
      [
        ['UDP', 'pc33.atlanta.com', undefined, 'z9hG4bK776asdhds', '192.0.2.1', undefined],
        ['TCP', '10.0.0.1', 5070, 'z9hG4bKx', undefined, 5070],
        ['TLS', 'last.example.com', undefined, 'z9hG4bK-last', undefined, undefined],
      ],
    );
  });

  it('from/to/callId/cseq/maxForwards/expires', () => {
    assert.equal(m.from?.displayName, 'Alice, A.');
    assert.equal(m.from?.tag, '1928301774');
    assert.equal(m.to?.displayName, 'Bob');
    assert.equal(m.to?.tag, undefined);
    assert.equal(m.callId, 'a84b4c76e66710@pc33.atlanta.com');
    assert.deepEqual(m.cseq, { seq: 314159, method: 'INVITE' });
    assert.equal(m.maxForwards, 70);
    assert.equal(m.expires, 120);
  });

  it('contact, route, record-route lists', () => {
    const c = m.contact;
    assert.equal(c.length, 2);
    assert.ok(c[0] !== '*' && c[1] !== '*');
    assert.equal(c[0].params.get('q'), '0.7');
    assert.equal(c[1].displayName, 'Other, Name');
    assert.equal(c[1].params.get('expires'), '30');
    assert.deepEqual(
      m.route.map((r) => r.uri.kind === 'sip' && r.uri.host),
      ['p1.example.com', 'p2.example.com'],
    );
    assert.equal(m.recordRoute.length, 1);
  });

  it('option tags, Allow, Content-Type, Content-Length, body', () => {
    assert.deepEqual(m.supported, ['replaces', 'timer']);
    assert.deepEqual(m.require, ['100rel']);
    assert.deepEqual(m.allow, ['INVITE', 'ACK', 'BYE']);
    assert.equal(m.contentType?.mediaType, 'application/sdp');
    assert.equal(m.contentLength, 4);
    assert.equal(Buffer.from(m.body).toString(), 'v=0\r');
  });

  it('authorization credentials (RFC 3261 §20.28)', () => {
    assert.equal(m.proxyAuthorization.length, 1);
    assert.equal(m.proxyAuthorization[0].params.get('username'), 'alice');
    assert.equal(m.authorization.length, 0);
  });

  it('views are cached: the same object comes back', () => {
    assert.equal(m.via, m.via);
    assert.equal(m.from, m.from);
  });

  it('Contact: * (RFC 3261 §10.2.2)', () => {
    const r = parseMessage(
      crlf([
        'REGISTER sip:r.com SIP/2.0',
        'Via: SIP/2.0/UDP h;branch=z9hG4bK1',
        'Contact: *',
        'Expires: 0',
        'CSeq: 2 REGISTER',
        'Content-Length: 0',
      ]),
    );
    assert.deepEqual(r.contact, ['*']);
  });

  it('responses: status, reason, method from CSeq', () => {
    const r = parseMessage(
      crlf([
        'SIP/2.0 486 Busy Here',
        'Via: SIP/2.0/UDP h;branch=z9hG4bK1',
        'CSeq: 7 INVITE',
        'WWW-Authenticate: Digest realm="r", nonce="n"',
        'Content-Length: 0',
      ]),
    );
    assert.equal(r.isRequest, false);
    assert.equal(r.status, 486);
    assert.equal(r.reason, 'Busy Here');
    assert.equal(r.method, 'INVITE');
    assert.equal(r.requestUri, '');
    assert.equal(r.wwwAuthenticate[0].params.get('realm'), 'r');
  });
});

describe('header access', () => {
  const m = parseMessage(INVITE);

  it('names in any case and compact forms (RFC 3261 §7.3.3)', () => {
    assert.equal(m.getHeader('v'), m.getHeader('VIA'));
    assert.equal(
      m.getHeader('via'),
      'SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1',
    );
    assert.equal(m.getHeader('content-type'), 'application/sdp');
    assert.equal(m.getHeader('C'), 'application/sdp');
    assert.equal(m.getHeader('L'), '4');
    assert.equal(m.getHeader('supported'), 'replaces');
    assert.equal(m.getHeader('x-CUSTOM'), 'a, b');
    assert.equal(m.getHeader('nope'), undefined);
    assert.equal(m.hasHeader('K'), true);
  });

  it('countHeader counts lines by id, compact forms and added lines included', () => {
    const c = parseMessage(INVITE);
    for (const name of ['Via', 'Contact', 'From', 'Content-Type', 'Subject']) {
      // A line per value for a non-list header; at most the element count for a list header.
      const lines = c.headerEntries().filter((e) => headerIdOf(e.name) === headerIdOf(name)).length;
      assert.equal(c.countHeader(headerIdOf(name)), lines, name);
    }
    assert.equal(c.countHeader(HeaderId.from), 1);
    c.addHeader('f', '<sip:x@y>;tag=2');
    assert.equal(c.countHeader(HeaderId.from), 2);
  });

  it('getHeaders splits list headers per element, around quotes and <> (RFC 3261 §7.3.1)', () => {
    assert.equal(m.getHeaders('Via').length, 3);
    assert.deepEqual(m.getHeaders('contact'), [
      '<sip:alice@pc33.atlanta.com>;q=0.7',
      '"Other, Name" <sip:o@x.com;lr>;expires=30',
    ]);
    assert.deepEqual(m.getHeaders('allow'), ['INVITE', 'ACK', 'BYE']);
    // Unknown headers are not split: their grammar is unknown.
    assert.deepEqual(m.getHeaders('X-Custom'), ['a, b', 'c']);
    assert.deepEqual(m.getHeaders('From'), ['"Alice, A." <sip:alice@atlanta.com>;tag=1928301774']);
  });

  it('line folding is unfolded in values (RFC 3261 §7.3.1)', () => {
    const f = parseMessage(
      'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n ;branch=z9hG4bK1\r\nSubject: one\r\n\ttwo\r\n  three\r\nContent-Length: 0\r\n\r\n',
    );
    assert.equal(f.getHeader('subject'), 'one\ttwo  three');
    assert.equal(f.via[0].branch, 'z9hG4bK1');
  });

  it('headerEntries lists every line with names as written', () => {
    const e = m.headerEntries();
    assert.equal(e.length, m.headerCount);
    assert.deepEqual(e[1], { name: 'v', value: 'SIP/2.0/TLS last.example.com;branch=z9hG4bK-last' });
  });
});

describe('datagram and structure rules', () => {
  const base = ['OPTIONS sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'CSeq: 1 OPTIONS'];

  it('without Content-Length the body runs to the end of the datagram (RFC 3261 §18.3)', () => {
    const m = parseMessage(crlf(base, 'hello'));
    assert.equal(Buffer.from(m.body).toString(), 'hello');
    assert.equal(m.contentLength, 5);
  });

  it('on a stream a missing Content-Length is an error (RFC 3261 §18.3)', () => {
    assert.throws(
      () => parseMessage(crlf(base, ''), { stream: true }),
      (e: unknown) => e instanceof SipParseError && e.kind === 'framing',
    );
  });

  it('a body shorter than Content-Length is an error', () => {
    assert.throws(() => parseMessage(crlf([...base, 'Content-Length: 10'], 'abc')), SipParseError);
  });

  it('leading CRLFs are skipped (RFC 3261 §7.5)', () => {
    assert.equal(parseMessage(`\r\n\r\n${crlf(base)}`).method, 'OPTIONS');
  });

  it('rejects bare LF / bare CR / header without colon / folded first line, with offsets', () => {
    const cases: [string, number][] = [
      ['OPTIONS sip:a@b SIP/2.0\r\nVia: x\nCSeq: 1 OPTIONS\r\n\r\n', 31],
      ['OPTIONS sip:a@b SIP/2.0\r\nVia: x\rCSeq: 1 OPTIONS\r\n\r\n', 31],
      ['OPTIONS sip:a@b SIP/2.0\r\nVia x\r\n\r\n', 29],
      ['OPTIONS sip:a@b SIP/2.0\r\n folded: x\r\n\r\n', 25],
      ['OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n', 33],
      ['OPTIONS  SIP/2.0\r\n\r\n', 16],
      ['SIP/2.0 20 OK\r\n\r\n', 8],
      ['SIP/2.0 1000 OK\r\n\r\n', 8],
      ['SIP/3.0 200 OK\r\n\r\n', 0],
    ];
    for (const [text, offset] of cases) {
      assert.throws(
        () => parseMessage(text, { validate: false }),
        (e: unknown) => e instanceof SipParseError && e.offset === offset,
        JSON.stringify(text),
      );
    }
  });

  it('validate: false defers header checks to the views', () => {
    const text = crlf([
      'OPTIONS sip:a@b SIP/2.0',
      'Via: SIP/2.0/UDP h;;',
      'CSeq: 1 OPTIONS',
      'Content-Length: 0',
    ]);
    assert.throws(() => parseMessage(text), SipParseError);
    const m = parseMessage(text, { validate: false });
    assert.throws(
      () => m.via,
      (e: unknown) => e instanceof SipParseError && e.reason.startsWith('Via:') && e.offset > 24,
    );
  });
});

describe('non-ASCII (UTF-8) messages', () => {
  const text = crlf([
    'MESSAGE sip:bob@b.example.com SIP/2.0',
    'Via: SIP/2.0/UDP h;branch=z9hG4bK1',
    'From: "Jöhn Dœ 日本" <sip:john@a.example.com>;tag=x1',
    'To: <sip:bob@b.example.com>',
    'Call-ID: c1',
    'CSeq: 1 MESSAGE',
    'Subject: héllo wörld',
    'Content-Length: 0',
  ]);

  it('decodes values and display names as UTF-8 (RFC 3261 §25.1 UTF8-NONASCII)', () => {
    const m = parseMessage(Buffer.from(text, 'utf8'));
    assert.equal(m.from?.displayName, 'Jöhn Dœ 日本');
    assert.equal(m.from?.tag, 'x1');
    assert.equal(m.getHeader('subject'), 'héllo wörld');
    assert.equal(m.via[0].branch, 'z9hG4bK1');
  });

  it('parses from a string the same as from its UTF-8 bytes', () => {
    const a = parseMessage(text);
    const b = parseMessage(Buffer.from(text, 'utf8'));
    assert.deepEqual(a.headerEntries(), b.headerEntries());
  });
});
