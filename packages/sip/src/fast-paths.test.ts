/**
 * The caches and shortcuts of the hot paths keep the exact behaviour of the general code: header
 * ids by hashed name, the Via and URI prefixes, the reused parse options, the response
 * builder's caches and the serializer's shared output slab.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createResponse } from './builders.js';
import { CANONICAL_NAMES, H, headerIdAt, headerIdOf } from './header-names.js';
import type { ParseOptions } from './options.js';
import { parseMessage } from './parse.js';
import { serializeMessage } from './serialize.js';
import { parseUri } from './uri.js';
import { parseVia } from './via.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');
const text = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

const INVITE = [
  'INVITE sip:bob@biloxi.com SIP/2.0',
  'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@biloxi.com>',
  'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.atlanta.com',
  'CSeq: 314159 INVITE',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

describe('header ids of names in message bytes', () => {
  it('finds every known name in any case and its compact form', () => {
    for (let id = 1; id < CANONICAL_NAMES.length; id++) {
      const name = CANONICAL_NAMES[id];
      for (const spelling of [name, name.toLowerCase(), name.toUpperCase()]) {
        const b = bytes(`x${spelling}:`);
        assert.equal(headerIdAt(b, 1, 1 + spelling.length), id, spelling);
      }
    }
    assert.equal(headerIdAt(bytes('v'), 0, 1), H.via);
    assert.equal(headerIdAt(bytes('I'), 0, 1), H.callId);
  });

  it('gives 0 for unknown names, near misses included', () => {
    for (const name of ['Vib', 'Viaa', 'Call-IE', 'X-Via', 'CSeqq', 'q', 'From-', 'Contact_']) {
      assert.equal(headerIdAt(bytes(name), 0, name.length), 0, name);
      assert.equal(headerIdOf(name), 0, name);
    }
  });

  it('indexes headers written in any case', () => {
    const m = parseMessage(INVITE.replace('Call-ID', 'cALL-id').replace('CSeq', 'CSEQ'));
    assert.equal(m.callId, 'a84b4c76e66710@pc33.atlanta.com');
    assert.equal(m.cseq?.seq, 314159);
  });
});

describe('Via and URI prefixes', () => {
  it('reads SIP/2.0/ in any case, and with LWS through the general path', () => {
    assert.equal(parseVia('sip/2.0/udp h').protocol, 'SIP/2.0');
    assert.equal(parseVia('sip/2.0/udp h').transport, 'UDP');
    assert.equal(parseVia('SIP / 2.0 / tcp h').transport, 'TCP');
    assert.equal(parseVia('SIP/2.0/ tcp h').transport, 'TCP');
    assert.equal(parseVia('SIP/2.01/UDP h').protocol, 'SIP/2.01');
    assert.equal(parseVia('SIP/2.0/Tls h').transport, 'TLS');
    assert.equal(parseVia('SIP/2.0/UDPX h').transport, 'UDPX');
  });

  it('reads sip: and sips: in any case as the general scheme scan does', () => {
    const u = parseUri('SIPS:alice@atlanta.com');
    assert.equal(u.kind === 'sip' && u.scheme, 'sips');
    assert.equal(parseUri('Sip:h').kind, 'sip');
    assert.equal(parseUri('sipx:opaque').kind, 'absolute');
    assert.throws(() => parseUri('sip:'));
    assert.throws(() => parseUri('sips:'));
  });
});

describe('parse options reused between calls', () => {
  it('sees a change to the same options object', () => {
    const opts: { -readonly [K in keyof ParseOptions]: ParseOptions[K] } = { maxHeaders: 100 };
    assert.equal(parseMessage(INVITE, opts).headerCount, 7);
    opts.maxHeaders = 3;
    assert.throws(() => parseMessage(INVITE, opts), /more than 3 headers/);
    opts.maxHeaders = 100;
    assert.equal(parseMessage(INVITE, opts).headerCount, 7);
  });
});

describe('createResponse caches', () => {
  it('still rejects a bad To tag after a good one, and CR/LF in a given reason', () => {
    const req = parseMessage(INVITE);
    assert.equal(createResponse(req, 200, undefined, { toTag: 'good' }).to?.tag, 'good');
    assert.throws(() => createResponse(req, 200, undefined, { toTag: 'bad tag' }), /bad To tag/);
    assert.throws(() => createResponse(req, 200, 'OK\r\nX: y'), /CR\/LF/);
  });

  it('writes the default and the given reason phrases', () => {
    const req = parseMessage(INVITE);
    assert.ok(text(serializeMessage(createResponse(req, 180))).startsWith('SIP/2.0 180 Ringing\r\n'));
    assert.ok(
      text(serializeMessage(createResponse(req, 180, 'Ringing Now'))).startsWith(
        'SIP/2.0 180 Ringing Now\r\n',
      ),
    );
    assert.ok(text(serializeMessage(createResponse(req, 180))).startsWith('SIP/2.0 180 Ringing\r\n'));
    assert.ok(text(serializeMessage(createResponse(req, 299))).startsWith('SIP/2.0 299 OK\r\n'));
  });
});

describe('serializer output slab', () => {
  it('hands out plain, non-overlapping views that keep their bytes', () => {
    const kept: Array<[Uint8Array, string]> = [];
    for (let i = 0; i < 400; i++) {
      const m = parseMessage(INVITE.replace('Max-Forwards: 70', `Max-Forwards: ${i}`));
      if (i % 3 === 0) m.setHeader('Subject', `n${i}`);
      const out = serializeMessage(m);
      assert.equal(Object.getPrototypeOf(out), Uint8Array.prototype);
      kept.push([out, text(out)]);
    }
    for (const [out, was] of kept) assert.equal(text(out), was);
  });

  it('gives large messages memory of their own', () => {
    const body = 'x'.repeat(20000);
    const m = parseMessage(`${INVITE.replace('Content-Length: 0', `Content-Length: ${body.length}`)}${body}`);
    m.setHeader('Subject', 'big');
    const out = serializeMessage(m);
    assert.equal(out.byteOffset, 0);
    assert.equal(out.byteLength, out.buffer.byteLength);
    assert.ok(text(out).endsWith(body));
  });
});
