import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getMediaLine, getRtpmaps, parseSdp } from '@tsvoip/sdp';
import fc from 'fast-check';
import { SdpAnswerer } from './sdp-answerer.js';

const offer = (formats: string, maps: string) =>
  `v=0\r\no=x 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 5004 RTP/AVP ${formats}\r\n${maps}`;

describe('SdpAnswerer', () => {
  const answerer = () => new SdpAnswerer({ address: '192.0.2.9', port: 40000, sessionId: '7' });

  it('answers with the common codecs in the offerer order and payload types (RFC 3264 §6.1)', () => {
    const text = answerer().answer(
      offer(
        '8 0 101',
        'a=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n',
      ),
    );
    assert.ok(text);
    const m = parseSdp(text).media[0];
    assert.ok(m);
    assert.deepEqual(getMediaLine(m).formats, ['8', '0', '101']);
    assert.deepEqual(
      getRtpmaps(m).map((r) => r.encodingName),
      ['PCMA', 'PCMU', 'telephone-event'],
    );
    assert.equal(getMediaLine(m).port, 40000);
  });

  it('refuses an offer with no common audio codec, and unparsable SDP', () => {
    const a = answerer();
    assert.equal(a.answer(offer('18', 'a=rtpmap:18 G729/8000\r\n')), undefined);
    assert.equal(a.answer('not sdp'), undefined);
  });

  it('serves a repeated offer from its cache (same text back)', () => {
    const a = answerer();
    const o = offer('0', 'a=rtpmap:0 PCMU/8000\r\n');
    const first = a.answer(o);
    assert.equal(a.answer(o), first);
    assert.equal(a.cacheEntries, 1);
  });

  it('answerBytes: the same offer bytes give the same answer bytes; another offer a new answer', () => {
    const a = answerer();
    const o1 = Buffer.from(offer('0', 'a=rtpmap:0 PCMU/8000\r\n'));
    const o2 = Buffer.from(offer('8', 'a=rtpmap:8 PCMA/8000\r\n'));
    const first = a.answerBytes(o1);
    assert.ok(first);
    assert.equal(a.answerBytes(Buffer.from(o1)), first);
    const second = a.answerBytes(o2);
    assert.match(Buffer.from(second ?? []).toString(), /m=audio 40000 RTP\/AVP 8\r\n/);
    assert.equal(Buffer.from(a.answerBytes(o1) ?? []).toString(), Buffer.from(first).toString());
  });

  it('keeps the cache bounded', () => {
    const a = new SdpAnswerer({ address: '192.0.2.9', port: 40000, sessionId: '7', cacheSize: 4 });
    fc.assert(
      fc.property(fc.integer({ min: 1024, max: 65000 }), (port) => {
        a.answer(offer('0', 'a=rtpmap:0 PCMU/8000\r\n').replace('5004', String(port)));
        assert.ok(a.cacheEntries <= 4);
      }),
    );
  });

  it('offers PCMU, PCMA and telephone-event when the INVITE had no offer', () => {
    const m = parseSdp(answerer().offer()).media[0];
    assert.ok(m);
    assert.deepEqual(
      getRtpmaps(m).map((r) => r.encodingName),
      ['PCMU', 'PCMA', 'telephone-event'],
    );
  });
});
