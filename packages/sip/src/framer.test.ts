import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SipParseError } from './errors.js';
import { type FramerEvent, SipStreamFramer } from './framer.js';
import { serializeMessage } from './serialize.js';

const A =
  'INVITE sip:bob@b.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nCSeq: 1 INVITE\r\nContent-Length: 9\r\n\r\nv=0\r\n\r\n\r\n';
const B = 'SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nCSeq: 1 INVITE\r\nl: 0\r\n\r\n';
const STREAM = Buffer.from(`${A}\r\n\r\n${B}\r\n`, 'latin1');

/** Compact description of events: message start lines, ping, pong. */
function describeEvents(events: FramerEvent[]): string[] {
  return events.map((e) => {
    if (e.type === 'message') return Buffer.from(serializeMessage(e.message)).toString('latin1');
    if (e.type === 'invalid') return `invalid:${e.error.reason}`;
    return e.type;
  });
}

const EXPECTED = [A, 'ping', B, 'pong'];

describe('SipStreamFramer', () => {
  it('frames messages by Content-Length and reports keep-alives (RFC 3261 §18.3, RFC 5626 §4.4.1)', () => {
    const f = new SipStreamFramer();
    assert.deepEqual(describeEvents(f.push(STREAM)), EXPECTED);
    assert.equal(f.buffered, 0);
  });

  it('gives the same result when the stream is split at any byte offset', () => {
    for (let cut = 1; cut < STREAM.length; cut++) {
      const f = new SipStreamFramer();
      const ev = [...f.push(STREAM.subarray(0, cut)), ...f.push(STREAM.subarray(cut))];
      // A split inside the ping's 4 octets can only be seen as two pongs once the first CRLF is alone.
      const got = describeEvents(ev);
      const pingAt = A.length;
      if (cut === pingAt + 2) assert.deepEqual(got, [A, 'pong', 'pong', B, 'pong'], `cut ${cut}`);
      else assert.deepEqual(got, EXPECTED, `cut ${cut}`);
    }
  });

  it('handles one byte at a time', () => {
    const f = new SipStreamFramer();
    const ev: FramerEvent[] = [];
    for (let i = 0; i < STREAM.length; i++) ev.push(...f.push(STREAM.subarray(i, i + 1)));
    const got = describeEvents(ev);
    // A lone CRLF at the end of the data is reported as a pong at once (a client waiting for its
    // pong must not be delayed), so a ping split after its first CRLF reads as two pongs.
    assert.deepEqual(got, [A, 'pong', 'pong', B, 'pong']);
  });

  it('random chunkings of many messages give the same messages (fast-check)', () => {
    const many = Buffer.concat(Array.from({ length: 5 }, () => Buffer.from(A + B, 'latin1')));
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: many.length - 1 }), { maxLength: 20 }), (cuts) => {
        const f = new SipStreamFramer();
        const points = [0, ...cuts.sort((x, y) => x - y), many.length];
        const ev: FramerEvent[] = [];
        for (let i = 0; i + 1 < points.length; i++)
          ev.push(...f.push(many.subarray(points[i], points[i + 1])));
        assert.deepEqual(
          describeEvents(ev),
          Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? A : B)),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('messages stay intact after later pushes (emitted bytes are never overwritten)', () => {
    const f = new SipStreamFramer();
    const first = f.push(Buffer.from(A.slice(0, 40), 'latin1'));
    assert.equal(first.length, 0);
    const ev = f.push(Buffer.from(A.slice(40) + B.slice(0, 10), 'latin1'));
    const msg = ev[0];
    assert.ok(msg.type === 'message');
    f.push(Buffer.from(B.slice(10) + 'X'.repeat(5000), 'latin1'));
    assert.equal(Buffer.from(serializeMessage(msg.message)).toString('latin1'), A);
  });

  it('a missing Content-Length is a framing error (RFC 3261 §18.3)', () => {
    const f = new SipStreamFramer();
    assert.throws(
      () => f.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n')),
      (e: unknown) => e instanceof SipParseError && e.kind === 'framing',
    );
  });

  it('conflicting or negative Content-Length is a framing error (RFC 4475 §3.3.9, §3.1.2.3)', () => {
    for (const cl of ['Content-Length: 3\r\nl: 4', 'Content-Length: -999', 'Content-Length: x']) {
      const f = new SipStreamFramer();
      assert.throws(
        () => f.push(Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\n${cl}\r\n\r\nabcd`)),
        SipParseError,
        cl,
      );
    }
  });

  it('a well-framed but invalid message is reported and the stream stays in sync', () => {
    const bad =
      'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;;\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';
    const f = new SipStreamFramer();
    const ev = f.push(Buffer.from(bad + B));
    assert.equal(ev.length, 2);
    assert.equal(ev[0].type, 'invalid');
    assert.ok(ev[0].type === 'invalid' && ev[0].error.reason.startsWith('Via'));
    assert.equal(ev[1].type, 'message');
  });

  it('rejects an oversized header section or body (configurable limits)', () => {
    const f = new SipStreamFramer({ maxMessageSize: 200 });
    assert.throws(
      () => f.push(Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nX: ${'a'.repeat(300)}`)),
      (e: unknown) => e instanceof SipParseError && e.kind === 'limit',
    );
    const g = new SipStreamFramer({ maxMessageSize: 200 });
    assert.throws(
      () => g.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 5000\r\n\r\n')),
      (e: unknown) => e instanceof SipParseError && e.kind === 'limit',
    );
  });

  it('a bare CR between messages is a framing error; reset() drops buffered bytes', () => {
    const f = new SipStreamFramer();
    assert.throws(() => f.push(Buffer.from('\rX')), SipParseError);
    const g = new SipStreamFramer();
    g.push(Buffer.from(A.slice(0, 20)));
    assert.equal(g.buffered, 20);
    g.reset();
    assert.equal(g.buffered, 0);
    assert.deepEqual(describeEvents(g.push(Buffer.from(B))), [B]);
  });
});
