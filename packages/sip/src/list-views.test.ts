import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SipParseError } from './errors.js';
import { parseNameAddr } from './name-addr.js';
import { parseMessage } from './parse.js';
import { serializeMessage } from './serialize.js';
import { parseVia } from './via.js';

const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;

const head = [
  'OPTIONS sip:h.example.com SIP/2.0',
  'From: <sip:a@a.example.com>;tag=1',
  'To: <sip:b@b.example.com>',
  'Call-ID: lists@x',
  'CSeq: 1 OPTIONS',
  'Max-Forwards: 70',
];

describe('list headers parsed in one pass (elements end at top-level commas)', () => {
  it('Via: commas inside a quoted parameter value do not split; parameters read on demand', () => {
    const m = parseMessage(
      crlf([
        ...head,
        'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1;x="p,q" , SIP/2.0/TCP b.example.com:5061;rport;BRANCH=z9hG4bK2',
      ]),
    );
    assert.equal(m.via.length, 2);
    const [v1, v2] = m.via;
    assert.equal(v1.branch, 'z9hG4bK1');
    assert.equal(v1.params.get('x'), '"p,q"');
    assert.equal(v1.params.size, 2);
    assert.deepEqual(
      [...v1.params],
      [
        ['branch', 'z9hG4bK1'],
        ['x', '"p,q"'],
      ],
    );
    assert.equal(v2.host, 'b.example.com');
    assert.equal(v2.port, 5061);
    // RFC 3581 §3: rport without a value.
    assert.equal(v2.rport, true);
    // Parameter names compare case-insensitively (lower-cased on read).
    assert.equal(v2.branch, 'z9hG4bK2');
    assert.equal(v2.params.has('branch'), true);
    assert.deepEqual(Object.fromEntries(v2.params), { rport: null, branch: 'z9hG4bK2' });
  });

  it('Contact: name-addr and addr-spec elements; an addr-spec ends at the comma', () => {
    const m = parseMessage(
      crlf([...head, 'Contact: "A, B" <sip:a@h1.example.com;lr>;q=0.5, sip:b@h2.example.com;expires=3']),
    );
    const [c1, c2] = m.contact;
    assert.ok(c1 !== '*' && c2 !== '*');
    assert.equal(c1.displayName, 'A, B');
    assert.ok(c1.uri.kind === 'sip' && c1.uri.host === 'h1.example.com');
    assert.ok(c1.uri.kind === 'sip' && c1.uri.params.has('lr') && c1.uri.params.get('lr') === null);
    assert.equal(c1.params.get('q'), '0.5');
    // RFC 3261 §20.10: in an addr-spec the parameters are header parameters.
    assert.ok(c2.uri.kind === 'sip' && c2.uri.host === 'h2.example.com' && c2.uri.params.size === 0);
    assert.equal(c2.params.get('expires'), '3');
    assert.equal(m.contact.length, 2);
  });

  it('an empty element or junk after an element is rejected with its offset', () => {
    const text = crlf([...head, 'Contact: <sip:a@h1.example.com>, , <sip:b@h2.example.com>']);
    assert.throws(
      () => parseMessage(text),
      (e: unknown) =>
        e instanceof SipParseError && /empty address/.test(e.reason) && e.offset === text.indexOf(', ,') + 2,
    );
    const junk = crlf([...head, 'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1 junk, SIP/2.0/UDP b']);
    assert.throws(
      () => parseMessage(junk),
      (e: unknown) => e instanceof SipParseError && e.offset === junk.indexOf('junk'),
    );
  });

  it('standalone parsers still require the whole string', () => {
    assert.throws(() => parseVia('SIP/2.0/UDP a.example.com, SIP/2.0/UDP b'), SipParseError);
    assert.throws(() => parseNameAddr('<sip:a@h>, <sip:b@h>'), SipParseError);
    assert.equal(parseNameAddr('<sip:a@h>;tag=x;foo').params.has('foo'), true);
  });

  it('rewriting the single Max-Forwards line in place changes only that line', () => {
    const text = crlf([...head, 'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1']);
    const m = parseMessage(text);
    m.setHeader('Max-Forwards', '69');
    assert.equal(
      Buffer.from(serializeMessage(m)).toString('latin1'),
      text.replace('Max-Forwards: 70', 'Max-Forwards: 69'),
    );
    assert.equal(m.maxForwards, 69);
    assert.equal(m.getHeaders('max-forwards').length, 1);
  });
});
