import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getDirection, getMediaLine, getOrigin, getRtpmaps } from '../accessors.js';
import type { SessionDescription } from '../model.js';
import { parseSdp } from '../parse.js';
import { createAnswer } from './answer.js';
import type { LocalCapabilities } from './capabilities.js';
import { processAnswer } from './negotiate.js';
import { createOffer } from './offer.js';

const sdp = (lines: string[]): SessionDescription => parseSdp(`${lines.join('\r\n')}\r\n`);

/** Compact view of an answer: per m-line "media port proto fmts direction". */
function shape(sd: SessionDescription): string[] {
  return sd.media.map((m) => {
    const ml = getMediaLine(m);
    const base = `${ml.media} ${ml.port} ${ml.proto} ${ml.formats.join(',')}`;
    return ml.port === 0 ? base : `${base} ${getDirection(sd, m)}`;
  });
}

// RFC 3264 §10.1: Basic Exchange.
const ALICE_OFFER = sdp([
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 host.anywhere.com',
  's=',
  'c=IN IP4 host.anywhere.com',
  't=0 0',
  'm=audio 49170 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  'm=video 51372 RTP/AVP 31',
  'a=rtpmap:31 H261/90000',
  'm=video 53000 RTP/AVP 32',
  'a=rtpmap:32 MPV/90000',
]);

const BOB_ANSWER_TEXT = sdp([
  'v=0',
  'o=bob 2890844730 2890844730 IN IP4 host.example.com',
  's=',
  'c=IN IP4 host.example.com',
  't=0 0',
  'm=audio 49920 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  'm=video 0 RTP/AVP 31',
  'm=video 53000 RTP/AVP 32',
  'a=rtpmap:32 MPV/90000',
]);

const bobCaps: LocalCapabilities = {
  origin: { username: 'bob', sessionId: '2890844730', sessionVersion: '2890844730' },
  sessionName: '',
  address: 'host.example.com',
  media: [
    { media: 'audio', port: 49920, codecs: [{ name: 'PCMU', clockRate: 8000 }] },
    // Bob does not want H.261: only MPEG video.
    { media: 'video', port: 53000, codecs: [{ name: 'MPV', clockRate: 90000 }] },
  ],
};

const aliceCaps: LocalCapabilities = {
  origin: { username: 'alice', sessionId: '2890844526', sessionVersion: '2890844526' },
  sessionName: '',
  address: 'host.anywhere.com',
  media: [
    { media: 'audio', port: 49170, codecs: [{ name: 'PCMU', clockRate: 8000 }] },
    { media: 'video', port: 51372, codecs: [{ name: 'H261', clockRate: 90000 }] },
    { media: 'video', port: 53000, codecs: [{ name: 'MPV', clockRate: 90000 }] },
    {
      media: 'audio',
      port: 53122,
      codecs: [{ name: 'telephone-events', clockRate: 8000, payloadType: 110 }],
    },
  ],
};

describe('RFC 3264 §10.1 Basic Exchange', () => {
  it("Alice's offer from her capabilities has the example's m-lines", () => {
    const offer = createOffer({ ...aliceCaps, media: aliceCaps.media.slice(0, 3) });
    assert.deepEqual(shape(offer), [
      'audio 49170 RTP/AVP 0 sendrecv',
      'video 51372 RTP/AVP 31 sendrecv',
      'video 53000 RTP/AVP 32 sendrecv',
    ]);
    assert.equal(getOrigin(offer).sessionVersion, '2890844526');
  });

  it("Bob's answer rejects the H.261 stream with port 0 and keeps the m-line count and order (§6)", () => {
    const answer = createAnswer(ALICE_OFFER, bobCaps);
    assert.deepEqual(shape(answer), [
      'audio 49920 RTP/AVP 0 sendrecv',
      'video 0 RTP/AVP 31',
      'video 53000 RTP/AVP 32 sendrecv',
    ]);
    assert.deepEqual(shape(answer), shape(BOB_ANSWER_TEXT));
    assert.deepEqual(getOrigin(answer), getOrigin(BOB_ANSWER_TEXT));
  });

  it("Alice processing Bob's answer gets PCMU to host.example.com:49920 and MPV on the third stream", () => {
    const n = processAnswer(ALICE_OFFER, BOB_ANSWER_TEXT);
    assert.equal(n.media.length, 3);
    assert.deepEqual(
      n.media.map((m) => [m.accepted, m.codecs.map((c) => c.name), m.remoteAddress, m.remotePort]),
      [
        [true, ['PCMU'], 'host.example.com', 49920],
        [false, [], 'host.example.com', 0],
        [true, ['MPV'], 'host.example.com', 53000],
      ],
    );
    // RFC 3550 §11: RTCP on the next port when no a=rtcp / rtcp-mux.
    assert.equal(n.media[0].remoteRtcpPort, 49921);
  });

  it("Bob's re-offer (new audio port, added recvonly events stream) bumps the version by one (§8)", () => {
    const bobAnswer = createAnswer(ALICE_OFFER, bobCaps);
    const reoffer = createOffer(
      {
        ...bobCaps,
        media: [
          { media: 'audio', port: 65422, codecs: [{ name: 'PCMU', clockRate: 8000 }] },
          { media: 'video', port: 0, codecs: [{ name: 'H261', clockRate: 90000 }] },
          { media: 'video', port: 53000, codecs: [{ name: 'MPV', clockRate: 90000 }] },
          {
            media: 'audio',
            port: 51434,
            direction: 'recvonly',
            codecs: [{ name: 'telephone-events', clockRate: 8000, payloadType: 110 }],
          },
        ],
      },
      bobAnswer,
    );
    assert.deepEqual(getOrigin(reoffer), {
      username: 'bob',
      sessionId: '2890844730',
      sessionVersion: '2890844731',
      netType: 'IN',
      addrType: 'IP4',
      unicastAddress: 'host.example.com',
    });
    assert.deepEqual(shape(reoffer), [
      'audio 65422 RTP/AVP 0 sendrecv',
      'video 0 RTP/AVP 31',
      'video 53000 RTP/AVP 32 sendrecv',
      'audio 51434 RTP/AVP 110 recvonly',
    ]);
  });

  it("Alice's answer to the re-offer: the new stream is sendonly, version 2890844527", () => {
    const reoffer = sdp([
      'v=0',
      'o=bob 2890844730 2890844731 IN IP4 host.example.com',
      's=',
      'c=IN IP4 host.example.com',
      't=0 0',
      'm=audio 65422 RTP/AVP 0',
      'a=rtpmap:0 PCMU/8000',
      'm=video 0 RTP/AVP 31',
      'm=video 53000 RTP/AVP 32',
      'a=rtpmap:32 MPV/90000',
      'm=audio 51434 RTP/AVP 110',
      'a=rtpmap:110 telephone-events/8000',
      'a=recvonly',
    ]);
    const aliceOffer = createOffer({ ...aliceCaps, media: aliceCaps.media.slice(0, 3) });
    const answer = createAnswer(reoffer, aliceCaps, aliceOffer);
    assert.equal(getOrigin(answer).sessionVersion, '2890844527');
    assert.equal(getOrigin(answer).sessionId, '2890844526');
    assert.deepEqual(shape(answer), [
      'audio 49170 RTP/AVP 0 sendrecv',
      'video 0 RTP/AVP 31',
      'video 53000 RTP/AVP 32 sendrecv',
      'audio 53122 RTP/AVP 110 sendonly',
    ]);
    assert.deepEqual(getRtpmaps(answer.media[3]), [
      { payloadType: 110, encodingName: 'telephone-events', clockRate: 8000 },
    ]);
  });
});

describe('RFC 3264 §10.2 One of N Codec Selection', () => {
  const offer = sdp([
    'v=0',
    'o=alice 2890844526 2890844526 IN IP4 host.anywhere.com',
    's=',
    'c=IN IP4 host.anywhere.com',
    't=0 0',
    'm=audio 62986 RTP/AVP 0 4 18',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:4 G723/8000',
    'a=rtpmap:18 G729/8000',
    'a=inactive',
  ]);
  const bob: LocalCapabilities = {
    origin: { username: 'bob', sessionId: '2890844730', sessionVersion: '2890844731' },
    sessionName: '',
    address: 'host.example.com',
    media: [
      {
        media: 'audio',
        port: 54344,
        // Bob prefers G.723, but the answer keeps the offerer's order (§6.1).
        codecs: [
          { name: 'G723', clockRate: 8000 },
          { name: 'PCMU', clockRate: 8000 },
        ],
      },
    ],
  };

  it('answers an inactive offer with inactive and the common codecs in offer order', () => {
    const answer = createAnswer(offer, bob);
    assert.deepEqual(shape(answer), ['audio 54344 RTP/AVP 0,4 inactive']);
    assert.equal(getOrigin(answer).sessionVersion, '2890844731');
  });

  it('the lock-down re-offer and its answer each bump their own version by one', () => {
    const bobAnswer = createAnswer(offer, bob);
    const aliceFirst = createOffer({
      origin: { username: 'alice', sessionId: '2890844526', sessionVersion: '2890844526' },
      sessionName: '',
      address: 'host.anywhere.com',
      media: [
        {
          media: 'audio',
          port: 62986,
          direction: 'inactive',
          codecs: [
            { name: 'PCMU', clockRate: 8000 },
            { name: 'G723', clockRate: 8000 },
            { name: 'G729', clockRate: 8000 },
          ],
        },
      ],
    });
    assert.deepEqual(shape(aliceFirst), ['audio 62986 RTP/AVP 0,4,18 inactive']);
    const lock = createOffer(
      {
        origin: { username: 'alice', sessionId: '2890844526' },
        sessionName: '',
        address: 'host.anywhere.com',
        media: [{ media: 'audio', port: 62986, codecs: [{ name: 'G723', clockRate: 8000 }] }],
      },
      aliceFirst,
    );
    assert.equal(getOrigin(lock).sessionVersion, '2890844527');
    assert.deepEqual(shape(lock), ['audio 62986 RTP/AVP 4 sendrecv']);
    const bobSecond = createAnswer(lock, bob, bobAnswer);
    assert.equal(getOrigin(bobSecond).sessionVersion, '2890844732');
    assert.deepEqual(shape(bobSecond), ['audio 54344 RTP/AVP 4 sendrecv']);
    const n = processAnswer(lock, bobSecond);
    assert.deepEqual(n.media[0].primaryCodec, { payloadType: 4, name: 'G723', clockRate: 8000, channels: 1 });
  });
});
