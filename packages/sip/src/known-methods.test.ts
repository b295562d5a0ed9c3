import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { knownMethod } from './known-methods.js';
import { parseMessage } from './parse.js';

const bytes = (s: string) => new TextEncoder().encode(`${s} sip:a@b SIP/2.0`);
const request = (method: string) =>
  `${method} sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nMax-Forwards: 70\r\n` +
  `From: <sip:a@b>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: c\r\nCSeq: 1 ${method}\r\nContent-Length: 0\r\n\r\n`;

describe('knownMethod', () => {
  it('names the RFC methods octet for octet, and nothing else', () => {
    for (const m of ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY'])
      assert.equal(knownMethod(bytes(m), m.length), m);
    for (const m of ['PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE'])
      assert.equal(knownMethod(bytes(m), m.length), m);
    // RFC 3261 §7.1: methods are case-sensitive; a prefix or an extension is not a known method.
    for (const m of ['invite', 'Invite', 'INVITEX', 'INVIT', 'BYF', 'FOO', 'X'])
      assert.equal(knownMethod(bytes(m), m.length), undefined, m);
  });

  it('a parsed request has the method it was sent with, known or not', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom('INVITE', 'ACK', 'BYE', 'REGISTER', 'invite', 'BYEE'),
          fc.stringMatching(/^[A-Za-z][A-Za-z0-9.!%*_+`'~-]{0,15}$/),
        ),
        (method) => {
          assert.equal(parseMessage(request(method), { validate: false }).method, method);
        },
      ),
    );
  });
});
