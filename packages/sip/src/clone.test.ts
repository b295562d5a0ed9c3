// cloneMessage: an unmodified copy serializes byte for byte, copy and original are independent,
// and a copy edited is indistinguishable from a fresh parse edited the same way (property test
// over the RFC 4475 / RFC 5118 torture corpus).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cloneMessage } from './clone.js';
import type { SipMessage } from './message.js';
import { parseMessage } from './parse.js';
import { serializeMessage } from './serialize.js';

const INVITE = [
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>',
  'To: Bob <sip:bob@biloxi.example.com>',
  'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@pc33.atlanta.example.com>',
  'Content-Type: application/sdp',
  'Content-Length: 4',
  '',
  'v=0\n',
].join('\r\n');

const text = (m: SipMessage): string => Buffer.from(serializeMessage(m)).toString('latin1');

/** Everything observable about a message; a view that fails to parse is recorded as its error. */
function snapshot(m: SipMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const read = (k: string, f: () => unknown): void => {
    try {
      out[k] = f();
    } catch (e) {
      out[k] = `error: ${(e as Error).message}`;
    }
  };
  read('wire', () => text(m));
  read('entries', () => m.headerEntries());
  read('requestUri', () => m.requestUri);
  read('parsedRequestUri', () => m.parsedRequestUri);
  read('status', () => `${m.status} ${m.reason}`);
  read('method', () => m.method);
  read('via', () => m.via);
  read('from', () => m.from);
  read('to', () => m.to);
  read('callId', () => m.callId);
  read('cseq', () => m.cseq);
  read('contact', () => m.contact);
  read('route', () => m.route);
  read('recordRoute', () => m.recordRoute);
  read('maxForwards', () => m.maxForwards);
  read('contentLength', () => m.contentLength);
  read('body', () => Buffer.from(m.body).toString('latin1'));
  return out;
}

describe('cloneMessage', () => {
  it('serializes an unmodified copy byte for byte', () => {
    const m = parseMessage(INVITE);
    const c = cloneMessage(m);
    assert.equal(text(c), INVITE);
    assert.notEqual(c, m);
  });

  it('keeps the original intact when the copy is edited as a proxy edits it (RFC 3261 §16.6)', () => {
    const m = parseMessage(INVITE);
    // Views parsed before the copy: the copy starts from them, but must drop what it changes.
    assert.equal(m.via.length, 1);
    assert.equal(m.maxForwards, 70);
    assert.equal(m.route.length, 2);
    assert.equal(m.parsedRequestUri?.kind, 'sip');
    const c = cloneMessage(m);
    assert.equal(c.removeFirstHeader('Route'), '<sip:p1.example.com;lr>');
    c.setRequestUri('sip:bob@192.0.2.4:5070');
    c.setHeader('Max-Forwards', String((c.maxForwards ?? 70) - 1));
    c.addHeader('Record-Route', '<sip:p1.example.com;lr>', { position: 'first' });
    c.addHeader('Via', 'SIP/2.0/UDP p1.example.com;branch=z9hG4bKnew', { position: 'first' });

    assert.equal(text(m), INVITE);
    assert.equal(m.via.length, 1);
    assert.equal(m.maxForwards, 70);
    assert.equal(m.route.length, 2);
    assert.equal(m.recordRoute.length, 0);
    assert.equal(m.requestUri, 'sip:bob@biloxi.example.com');
    assert.equal(m.parsedRequestUri?.kind === 'sip' && m.parsedRequestUri.host, 'biloxi.example.com');

    assert.deepEqual(
      c.via.map((v) => v.host),
      ['p1.example.com', 'pc33.atlanta.example.com'],
    );
    assert.equal(c.maxForwards, 69);
    assert.deepEqual(
      c.route.map((r) => r.uri.kind === 'sip' && r.uri.host),
      ['p2.example.com'],
    );
    assert.equal(c.recordRoute.length, 1);
    assert.equal(c.parsedRequestUri?.kind === 'sip' && c.parsedRequestUri.port, 5070);
    const wire = text(c);
    assert.ok(wire.startsWith('INVITE sip:bob@192.0.2.4:5070 SIP/2.0\r\nRecord-Route: <sip:p1.'));
    assert.ok(wire.includes('\r\nVia: SIP/2.0/UDP p1.example.com;branch=z9hG4bKnew\r\nVia: '));
    assert.ok(wire.includes('\r\nMax-Forwards: 69\r\nRoute: <sip:p2.example.com;lr>\r\nTo: '));
    // Untouched lines keep their original bytes.
    assert.ok(wire.includes('\r\nFrom: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n'));
    assert.ok(wire.endsWith('\r\n\r\nv=0\n'));
  });

  it('keeps the copy intact when the original is edited afterwards', () => {
    const m = parseMessage(INVITE);
    const c = cloneMessage(m);
    m.addHeader('Via', 'SIP/2.0/TCP x.example.com;branch=z9hG4bKx', { position: 'first' });
    m.removeHeader('Route');
    m.setBody('other', 'text/plain');
    assert.equal(text(c), INVITE);
    assert.equal(c.via.length, 1);
    assert.equal(c.route.length, 2);
  });

  it('copies an edited message, non-ASCII added text and a replaced body included', () => {
    const m = parseMessage(INVITE);
    m.setHeader('Subject', 'caf\u00e9 \u2615');
    m.setBody('v=1\n');
    const c = cloneMessage(m);
    assert.equal(text(c), text(m));
    c.setHeader('Subject', 'plain');
    assert.ok(text(m).includes('Subject: caf'));
    assert.ok(text(c).includes('\r\nSubject: plain\r\n'));
    assert.equal(Buffer.from(c.body).toString(), 'v=1\n');
  });

  it('copies responses', () => {
    const r = parseMessage(
      'SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n',
    );
    const c = cloneMessage(r);
    c.removeFirstHeader('Via');
    c.setStatus(183, 'Session Progress');
    assert.equal(r.via.length, 2);
    assert.equal(r.status, 180);
    assert.equal(c.via.length, 1);
    assert.equal(c.method, 'INVITE');
    assert.ok(text(c).startsWith('SIP/2.0 183 Session Progress\r\nVia: SIP/2.0/UDP b.example.com;'));
  });
});

// ---- property: copy + edits ≡ fresh parse + the same edits, over the torture corpus ----------

const dir = new URL('./fixtures/', import.meta.url);
const manifest: Array<{ file: string; rfc: number }> = JSON.parse(
  readFileSync(new URL('torture-manifest.json', dir), 'utf8'),
);

/** RFC 5118's archive has bare LF line endings (see torture.test.ts): CRLF form. */
function crlfForm(raw: Buffer): Buffer {
  let s = raw.toString('latin1').replace(/\r?\n/g, '\r\n');
  if (s.indexOf('\r\n\r\n') < 0) s += '\r\n';
  const h = s.indexOf('\r\n\r\n');
  const body = s.slice(h + 4);
  const head = s
    .slice(0, h + 4)
    .replace(/^(Content-Length|l)([ \t]*:[ \t]*)\d+/im, (_m, n, sep) => `${n}${sep}${body.length}`);
  return Buffer.from(head + body, 'latin1');
}

const corpus: Buffer[] = [];
for (const e of manifest) {
  const raw = readFileSync(new URL(e.file, dir));
  const bytes = e.rfc === 5118 ? crlfForm(raw) : raw;
  try {
    parseMessage(bytes);
    corpus.push(bytes);
  } catch {
    // Rejected messages have nothing to copy.
  }
}

type Edit = (m: SipMessage) => void;

/** Applies an edit; what it threw, if anything. */
function apply(e: Edit, m: SipMessage): string {
  try {
    e(m);
    return 'ok';
  } catch (x) {
    return String(x);
  }
}
const names = fc.constantFrom(
  'Via',
  'v',
  'Max-Forwards',
  'Route',
  'Record-Route',
  'Contact',
  'X-Extra',
  'To',
);
const values = fc.constantFrom(
  'SIP/2.0/UDP p.example.com;branch=z9hG4bKp',
  '<sip:p.example.com;lr>',
  '42',
  'caf\u00e9',
  '<sip:a@b>, <sip:c@d>',
);
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.tuple(names, values, fc.constantFrom('first' as const, 'last' as const, 'top' as const)).map(
    ([n, v, position]): Edit =>
      (m) =>
        m.addHeader(n, v, { position }),
  ),
  fc.tuple(names, values).map(
    ([n, v]): Edit =>
      (m) =>
        m.setHeader(n, v),
  ),
  names.map(
    (n): Edit =>
      (m) =>
        void m.removeHeader(n),
  ),
  names.map(
    (n): Edit =>
      (m) =>
        void m.removeFirstHeader(n),
  ),
  fc.constantFrom('sip:x@192.0.2.1:5080', 'sips:y@example.net').map(
    (u): Edit =>
      (m) => {
        if (m.isRequest) m.setRequestUri(u);
      },
  ),
  fc.constant<Edit>((m) => m.setBody('body\r\n', 'text/plain')),
  // Reading views fills the cache the copy inherits.
  fc.constant<Edit>((m) => snapshot(m)),
);

describe('cloneMessage over the torture corpus', () => {
  it('has messages to work on', () => assert.ok(corpus.length > 30, `${corpus.length} parsed`));

  it('copy + edits equals fresh parse + edits, and the original is untouched', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: corpus.length - 1 }),
        fc.array(edit, { maxLength: 4 }),
        fc.array(edit, { maxLength: 4 }),
        (i, before, after) => {
          const bytes = corpus[i];
          const original = parseMessage(bytes);
          const fresh = parseMessage(bytes);
          for (const e of before) assert.equal(apply(e, original), apply(e, fresh));
          const expected = snapshot(original);
          const copy = cloneMessage(original);
          assert.deepStrictEqual(snapshot(copy), expected);
          for (const e of after) assert.equal(apply(e, copy), apply(e, fresh));
          assert.deepStrictEqual(snapshot(copy), snapshot(fresh));
          assert.deepStrictEqual(snapshot(original), expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
