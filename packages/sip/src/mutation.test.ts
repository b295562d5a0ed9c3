import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SipParseError } from './errors.js';
import { parseMessage } from './parse.js';
import { serializeMessage } from './serialize.js';

const LINES = [
  'INVITE sip:bob@biloxi.com SIP/2.0',
  'Via:   SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'Route: <sip:p1.example.com;lr>,  <sip:p2.example.com;lr>',
  'Route: <sip:p3.example.com;lr>',
  'To:  Bob <sip:bob@biloxi.com>',
  'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
  'Call-ID:    a84b4c76e66710@pc33.atlanta.com   ',
  'CSeq: 314159 INVITE',
  'subject: folded',
  '  value',
  'Content-Type: application/sdp',
  'Content-Length: 4',
];
const TEXT = `${LINES.join('\r\n')}\r\n\r\nv=0\r`;

function lines(b: Uint8Array): string[] {
  const s = Buffer.from(b).toString('latin1');
  return s.slice(0, s.indexOf('\r\n\r\n')).split('\r\n');
}

describe('mutation API: only the touched lines change', () => {
  it('an unmodified message serializes byte for byte', () => {
    const data = Buffer.from(TEXT, 'latin1');
    assert.deepEqual(Buffer.from(serializeMessage(parseMessage(data))), data);
  });

  it('proxy: push Via, decrement Max-Forwards, pop Route (RFC 3261 §16.6, §16.4)', () => {
    const m = parseMessage(TEXT);
    m.addHeader('Via', 'SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1', { position: 'first' });
    m.setHeader('Max-Forwards', String((m.maxForwards ?? 70) - 1));
    const popped = m.removeFirstHeader('Route');
    assert.equal(popped, '<sip:p1.example.com;lr>');
    const out = serializeMessage(m);
    assert.deepEqual(lines(out), [
      LINES[0],
      'Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1',
      LINES[1],
      'Max-Forwards: 69',
      'Route: <sip:p2.example.com;lr>',
      ...LINES.slice(4),
    ]);
    // Body untouched, and the result parses to the same views.
    const again = parseMessage(out);
    assert.equal(Buffer.from(again.body).toString('latin1'), 'v=0\r');
    assert.equal(again.via.length, 2);
    assert.equal(again.via[0].branch, 'z9hG4bKp1');
    assert.equal(again.maxForwards, 69);
    assert.deepEqual(
      again.route.map((r) => r.uri.kind === 'sip' && r.uri.host),
      ['p2.example.com', 'p3.example.com'],
    );
  });

  it('views see mutations (caches are invalidated)', () => {
    const m = parseMessage(TEXT);
    assert.equal(m.via.length, 1);
    m.addHeader('v', 'SIP/2.0/TCP x.example.com;branch=z9hG4bKq', { prepend: true });
    assert.equal(m.via.length, 2);
    assert.equal(m.via[0].host, 'x.example.com');
    assert.equal(m.route.length, 3);
    m.removeFirstHeader('route');
    m.removeFirstHeader('route');
    assert.equal(m.route.length, 1);
    assert.equal(m.removeFirstHeader('Route'), '<sip:p3.example.com;lr>');
    assert.equal(m.removeFirstHeader('Route'), undefined);
    assert.equal(m.hasHeader('route'), false);
  });

  it('addHeader positions: first, last, top', () => {
    const m = parseMessage(TEXT);
    m.addHeader('Route', '<sip:last.example.com;lr>');
    m.addHeader('X-Top', '1', { position: 'top' });
    m.addHeader('X-New', '2');
    const l = lines(serializeMessage(m));
    assert.equal(l[1], 'X-Top: 1');
    assert.equal(l.indexOf('Route: <sip:last.example.com;lr>'), l.indexOf(LINES[4]) + 1);
    assert.equal(l[l.length - 1], 'X-New: 2');
  });

  it('setHeader replaces every line of that name where the first was; removeHeader counts', () => {
    const m = parseMessage(TEXT);
    m.setHeader('route', ['<sip:a.example.com;lr>', '<sip:b.example.com;lr>']);
    const l = lines(serializeMessage(m));
    assert.deepEqual(l.slice(3, 5), ['Route: <sip:a.example.com;lr>', 'Route: <sip:b.example.com;lr>']);
    assert.equal(l[5], LINES[5]);
    assert.equal(m.removeHeader('Route'), 2);
    assert.equal(m.removeHeader('Route'), 0);
  });

  it('setBody rewrites Content-Length (RFC 3261 §20.14) and setRequestUri the Request-Line', () => {
    const m = parseMessage(TEXT);
    m.setBody('v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\n', 'application/sdp');
    m.setRequestUri('sip:bob@192.0.2.4:5060');
    const out = serializeMessage(m);
    const again = parseMessage(out);
    assert.equal(again.requestUri, 'sip:bob@192.0.2.4:5060');
    assert.equal(again.contentLength, 29);
    assert.equal(Buffer.from(again.body).toString(), 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\n');
    assert.equal(m.contentLength, 29);
    const l = lines(out);
    assert.equal(l.filter((x) => x.startsWith('Content-Length')).length, 1);
    assert.ok(l.includes(LINES[7]), 'the odd Call-ID spacing is copied as received');
  });

  it('setStatus on a response; type errors on the wrong kind', () => {
    const r = parseMessage('SIP/2.0 180 Ringing\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n');
    r.setStatus(183, 'Session Progress');
    assert.equal(lines(serializeMessage(r))[0], 'SIP/2.0 183 Session Progress');
    assert.throws(() => r.setRequestUri('sip:a@b'), TypeError);
    assert.throws(() => parseMessage(TEXT).setStatus(200, 'OK'), TypeError);
  });

  it('refuses CR/LF in values and bad names (no header injection)', () => {
    const m = parseMessage(TEXT);
    assert.throws(() => m.addHeader('X-Evil', 'a\r\nVia: x'), SipParseError);
    assert.throws(() => m.addHeader('Bad Name', 'a'), SipParseError);
    assert.throws(() => m.setRequestUri('sip:a@b c'), SipParseError);
  });
});

describe('mutation with non-ASCII text', () => {
  it('added UTF-8 values are encoded as UTF-8; original bytes are kept', () => {
    const m = parseMessage(TEXT);
    m.addHeader('Subject', 'crème brûlée');
    const out = Buffer.from(serializeMessage(m));
    assert.ok(out.includes(Buffer.from('Subject: crème brûlée\r\n', 'utf8')));
    assert.equal(parseMessage(out).getHeaders('subject').at(-1), 'crème brûlée');
    for (const line of LINES.slice(1)) assert.ok(out.includes(Buffer.from(line, 'latin1')), line);
  });

  it('a long unchanged tail (headers and body) is copied as received, with or without a new body', () => {
    const body = `v=0\r\n${'a=x-long-attribute:0123456789abcdef\r\n'.repeat(20)}`;
    const text = [
      'INVITE sip:bob@biloxi.com SIP/2.0',
      'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds',
      'Max-Forwards: 70',
      'To: Bob <sip:bob@biloxi.com>',
      'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
      'Call-ID: a84b4c76e66710',
      'CSeq: 314159 INVITE',
      'Content-Type: application/sdp',
      `Content-Length: ${body.length}`,
      '',
      body,
    ].join('\r\n');
    const m = parseMessage(text);
    m.addHeader('Via', 'SIP/2.0/UDP p.example.com;branch=z9hG4bKp', { position: 'first' });
    m.setHeader('Max-Forwards', '69');
    const want = text
      .replace('Via:', 'Via: SIP/2.0/UDP p.example.com;branch=z9hG4bKp\r\nVia:')
      .replace('Max-Forwards: 70', 'Max-Forwards: 69');
    assert.equal(Buffer.from(serializeMessage(m)).toString('latin1'), want);
    m.setBody(new TextEncoder().encode('hello'));
    const out = Buffer.from(serializeMessage(m)).toString('latin1');
    assert.ok(out.endsWith('\r\n\r\nhello'));
    assert.equal(parseMessage(out).contentLength, 5);
    assert.equal(parseMessage(out).getHeader('call-id'), 'a84b4c76e66710');
  });
});
