// Limits against hostile input: every one is enforced with a SipParseError (never a crash or a
// hang), defaults are documented in options.ts and overridable per call.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SipParseError } from './errors.js';
import { DEFAULT_PARSE_OPTIONS } from './options.js';
import { parseMessage } from './parse.js';

const start = 'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCSeq: 1 OPTIONS\r\n';
const msg = (headers: string, body = '') => `${start}${headers}Content-Length: ${body.length}\r\n\r\n${body}`;
const isLimit = (e: unknown) => e instanceof SipParseError && e.kind === 'limit';
const isParseError = (e: unknown) => e instanceof SipParseError;

describe('limits', () => {
  it('skips leading CRLFs (RFC 3261 §7.5) and counts them against the message size limit', () => {
    const m = parseMessage(`${'\r\n'.repeat(1000)}${msg('')}`);
    assert.equal(m.method, 'OPTIONS');
    assert.throws(() => parseMessage(`${'\r\n'.repeat(40000)}${msg('')}`), isLimit);
  });

  it('defaults: 64 KiB message, 256 headers, 8 KiB header line', () => {
    assert.equal(DEFAULT_PARSE_OPTIONS.maxMessageSize, 65536);
    assert.equal(DEFAULT_PARSE_OPTIONS.maxHeaders, 256);
    assert.equal(DEFAULT_PARSE_OPTIONS.maxHeaderLineLength, 8192);
  });

  it('message size (RFC 3261 §18.1.1 513 Message Too Large)', () => {
    const big = msg('', 'x'.repeat(70000));
    assert.throws(
      () => parseMessage(big),
      (e: unknown) => isLimit(e) && (e as SipParseError).status === 513,
    );
    assert.equal(parseMessage(big, { maxMessageSize: 80000 }).body.length, 70000);
  });

  it('header count', () => {
    const many = 'X-A: 1\r\n'.repeat(300);
    assert.throws(() => parseMessage(msg(many)), isLimit);
    assert.equal(parseMessage(msg(many), { maxHeaders: 400 }).getHeaders('x-a').length, 300);
  });

  it('header line length, folding included', () => {
    const long = `Subject: ${'a'.repeat(5000)}\r\n ${'b'.repeat(5000)}\r\n`;
    assert.throws(() => parseMessage(msg(long)), isLimit);
    assert.equal(parseMessage(msg(long), { maxHeaderLineLength: 20000 }).getHeader('subject')?.length, 10001);
  });

  it('a huge header name fails on the line limit before its colon is found', () => {
    const name = `X${'%0'.repeat(20000)}`;
    assert.throws(
      () => parseMessage(msg(`${name}: 1\r\n`), { maxMessageSize: 1 << 20 }),
      (e: unknown) => isLimit(e) && (e as SipParseError).offset === start.length,
    );
  });

  it('parameter count in Via, URIs and name-addrs', () => {
    const p = ';p'.repeat(100);
    assert.throws(() => parseMessage(msg(`Contact: <sip:a@b>${p}\r\n`)), isLimit);
    assert.throws(() => parseMessage(msg(`Contact: <sip:a@b${p}>\r\n`)), isLimit);
    assert.throws(
      () => parseMessage(`OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h${p}\r\nContent-Length: 0\r\n\r\n`),
      isLimit,
    );
    assert.equal(parseMessage(msg(`Contact: <sip:a@b>${p}\r\n`), { maxParams: 200 }).contact.length, 1);
  });

  it('list elements per line', () => {
    const list = Array.from({ length: 200 }, (_, i) => `<sip:u${i}@h>`).join(',');
    assert.throws(() => parseMessage(msg(`Contact: ${list}\r\n`)), isLimit);
    assert.equal(parseMessage(msg(`Contact: ${list}\r\n`), { maxListElements: 500 }).contact.length, 200);
  });

  it('hostile shapes are rejected, not crashed on (nesting, unbalanced quotes, separators)', () => {
    const n = 20000;
    const hostile = [
      `Contact: ${'<'.repeat(n)}sip:a@b${'>'.repeat(n)}\r\n`,
      `Contact: ${'"'.repeat(n + 1)}\r\n`,
      `Contact: "${'\\'.repeat(n + 1)}\r\n`,
      `Contact: ${';'.repeat(n)}\r\n`,
      `Contact: ${','.repeat(n)}<\r\n`,
      `To: ${'"a" '.repeat(n)}<sip:a@b>\r\n`,
      `Via: ${'SIP/2.0/UDP h,'.repeat(1000)}\r\n`,
    ];
    for (const h of hostile) {
      assert.throws(
        () => parseMessage(msg(h), { maxHeaderLineLength: 1 << 20, maxMessageSize: 1 << 20 }),
        isParseError,
        h.slice(0, 20),
      );
    }
  });

  it('huge numbers do not overflow into valid values', () => {
    assert.throws(() => parseMessage(msg('Max-Forwards: 99999999999999999999\r\n')), isParseError);
    assert.throws(() => parseMessage(`${start}Content-Length: 99999999999999999999\r\n\r\n`), isParseError);
    const e = parseMessage(msg('Expires: 99999999999999999999999\r\n'));
    assert.equal(e.expires, 0xffffffff);
  });
});
