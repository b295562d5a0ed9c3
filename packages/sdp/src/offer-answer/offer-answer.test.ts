import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  getDirection,
  getFmtps,
  getGroups,
  getMaxptime,
  getMediaLine,
  getMid,
  getOrigin,
  getPtime,
  getRtpmaps,
} from '../accessors.js';
import type { MediaDirection } from '../attributes/direction.js';
import { parseSdp } from '../parse.js';
import { serializeSdp } from '../serialize.js';
import { caps, fmts, head, sdp, voice } from '../test/offer-answer-helpers.js';
import { createAnswer } from './answer.js';
import { answerDirection } from './direction.js';
import { negotiate, processAnswer } from './negotiate.js';
import { createOffer } from './offer.js';

describe('createAnswer: codecs (RFC 3264 §6.1)', () => {
  const offer = sdp([
    ...head(),
    'm=audio 4000 RTP/AVP 0 111 8 101 13',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:111 OPUS/48000/2',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=rtpmap:13 CN/8000',
  ]);
  const answer = createAnswer(offer, voice);

  it("keeps the offerer's order and payload types; matches names case-insensitively", () => {
    assert.deepEqual(fmts(answer), ['0', '111', '8', '101']);
    assert.deepEqual(
      getRtpmaps(answer.media[0]).map(
        (r) => `${r.payloadType} ${r.encodingName}/${r.clockRate}/${r.channels ?? ''}`,
      ),
      ['0 PCMU/8000/', '111 OPUS/48000/2', '8 PCMA/8000/', '101 telephone-event/8000/'],
    );
  });

  it('writes our fmtp under the offerer payload type and intersects telephone-event events (RFC 4733)', () => {
    assert.deepEqual(
      getFmtps(answer.media[0]).map((f) => `${f.format} ${f.parameters}`),
      ['111 useinbandfec=1', '101 0-15'],
    );
  });

  it('writes ptime/maxptime and the direction', () => {
    assert.equal(getPtime(answer.media[0]), 20);
    assert.equal(getMaxptime(answer.media[0]), 60);
    assert.equal(getDirection(answer, answer.media[0]), 'sendrecv');
  });

  it('the answer is valid SDP that round-trips', () => {
    const text = serializeSdp(answer);
    assert.equal(serializeSdp(parseSdp(text)), text);
  });

  it('resolves static payload types without rtpmap (RFC 3551 §6)', () => {
    const a = createAnswer(sdp([...head(), 'm=audio 4000 RTP/AVP 18 8 0']), voice);
    assert.deepEqual(fmts(a), ['8', '0']);
  });

  it('does not match a different clock rate or channel count', () => {
    const a = createAnswer(
      sdp([...head(), 'm=audio 4000 RTP/AVP 96 97 0', 'a=rtpmap:96 opus/48000/1', 'a=rtpmap:97 PCMU/16000']),
      voice,
    );
    assert.deepEqual(fmts(a), ['0']);
  });

  it('does not match telephone-event when no event is common', () => {
    const a = createAnswer(
      sdp([...head(), 'm=audio 4000 RTP/AVP 0 101', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 66,70']),
      voice,
    );
    assert.deepEqual(fmts(a), ['0']);
  });

  it('intersects event lists with ranges and singles', () => {
    const a = createAnswer(
      sdp([
        ...head(),
        'm=audio 4000 RTP/AVP 0 101',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-15,66,70',
      ]),
      caps([
        {
          codecs: [
            { name: 'PCMU', clockRate: 8000 },
            { name: 'telephone-event', clockRate: 8000, fmtp: '10-20,70' },
          ],
        },
      ]),
    );
    assert.deepEqual(getFmtps(a.media[0]), [{ format: '101', parameters: '10-15,70' }]);
  });

  it('H264 needs the same packetization-mode (RFC 6184 §8.2.2)', () => {
    const offerV = sdp([
      ...head(),
      'm=video 5000 RTP/AVP 97 98',
      'a=rtpmap:97 H264/90000',
      'a=fmtp:97 profile-level-id=42e01f;packetization-mode=1',
      'a=rtpmap:98 H264/90000',
      'a=fmtp:98 profile-level-id=42e01f',
    ]);
    const local = caps([
      { media: 'video', codecs: [{ name: 'H264', clockRate: 90000, fmtp: 'packetization-mode=0' }] },
    ]);
    assert.deepEqual(fmts(createAnswer(offerV, local)), ['98']);
  });

  it('keeps rtx/red only when the formats they refer to are accepted', () => {
    const offerV = sdp([
      ...head(),
      'm=audio 4000 RTP/AVP 111 63 0 9',
      'a=rtpmap:111 opus/48000/2',
      'a=rtpmap:63 red/48000/2',
      'a=fmtp:63 111/111',
      'a=rtpmap:9 G722/8000',
    ]);
    const withOpus = caps([
      {
        codecs: [
          { name: 'opus', clockRate: 48000, channels: 2 },
          { name: 'red', clockRate: 48000, channels: 2 },
        ],
      },
    ]);
    const a = createAnswer(offerV, withOpus);
    assert.deepEqual(fmts(a), ['111', '63']);
    assert.deepEqual(getFmtps(a.media[0]), [{ format: '63', parameters: '111/111' }]);
    const noOpus = caps([
      {
        codecs: [
          { name: 'PCMU', clockRate: 8000 },
          { name: 'red', clockRate: 48000, channels: 2 },
        ],
      },
    ]);
    assert.deepEqual(fmts(createAnswer(offerV, noOpus)), ['0']);
  });
});

describe('createAnswer: rejection with port 0 (RFC 3264 §6)', () => {
  const offer = sdp([
    ...head(),
    'a=group:BUNDLE a v x',
    'm=audio 4000 RTP/AVP 18',
    'a=mid:a',
    'm=video 5000 RTP/AVP 31',
    'a=mid:v',
    'm=audio 0 RTP/AVP 0',
    'm=audio 6000 RTP/AVP 0',
    'a=mid:x',
    'm=audio 7000 RTP/AVP 101',
    'a=rtpmap:101 telephone-event/8000',
    'm=application 8000 UDP/DTLS/SCTP webrtc-datachannel',
  ]);
  const answer = createAnswer(
    offer,
    caps(
      [
        {
          codecs: [
            { name: 'PCMU', clockRate: 8000 },
            { name: 'telephone-event', clockRate: 8000 },
          ],
        },
        {
          codecs: [
            { name: 'PCMU', clockRate: 8000 },
            { name: 'telephone-event', clockRate: 8000 },
          ],
          port: 30002,
        },
      ],
      { bundle: true },
    ),
  );

  it('keeps the number and order of m-lines, rejecting what it cannot serve', () => {
    assert.deepEqual(
      answer.media.map((m) => {
        const ml = getMediaLine(m);
        return `${ml.media} ${ml.port} ${ml.formats.join(',')}`;
      }),
      [
        'audio 0 18', // no common codec
        'video 0 31', // unsupported media
        'audio 0 0', // offered with port 0
        'audio 30000 0', // accepted
        'audio 0 101', // only telephone-event in common
        'application 0 webrtc-datachannel', // unsupported media
      ],
    );
  });

  it('echoes the mids and bundles only the accepted m-lines (RFC 9143 §7.3)', () => {
    assert.deepEqual(
      answer.media.map((m) => getMid(m)),
      ['a', 'v', undefined, 'x', undefined, undefined],
    );
    assert.deepEqual(getGroups(answer), [{ semantics: 'BUNDLE', mids: ['x'] }]);
  });

  it('negotiate() reports rejected m-lines as not accepted', () => {
    const n = negotiate(offer, answer, 'answerer');
    assert.deepEqual(
      n.media.map((m) => m.accepted),
      [false, false, false, true, false, false],
    );
    assert.equal(n.media[3].remotePort, 6000);
  });
});

describe('directions, hold and resume (RFC 3264 §6.1, §8.4)', () => {
  // RFC 3264 §6.1, written out: [offered, local wish, answer].
  const table: Array<[MediaDirection, MediaDirection, MediaDirection]> = [
    ['sendrecv', 'sendrecv', 'sendrecv'],
    ['sendrecv', 'sendonly', 'sendonly'],
    ['sendrecv', 'recvonly', 'recvonly'],
    ['sendrecv', 'inactive', 'inactive'],
    ['sendonly', 'sendrecv', 'recvonly'],
    ['sendonly', 'sendonly', 'inactive'],
    ['sendonly', 'recvonly', 'recvonly'],
    ['sendonly', 'inactive', 'inactive'],
    ['recvonly', 'sendrecv', 'sendonly'],
    ['recvonly', 'sendonly', 'sendonly'],
    ['recvonly', 'recvonly', 'inactive'],
    ['recvonly', 'inactive', 'inactive'],
    ['inactive', 'sendrecv', 'inactive'],
    ['inactive', 'sendonly', 'inactive'],
    ['inactive', 'recvonly', 'inactive'],
    ['inactive', 'inactive', 'inactive'],
  ];
  for (const [offered, local, expected] of table) {
    it(`offer ${offered}, local ${local} → answer ${expected}`, () => {
      assert.equal(answerDirection(offered, local), expected);
      const o = sdp([...head(), 'm=audio 4000 RTP/AVP 0', `a=${offered}`]);
      const a = createAnswer(o, caps([{ codecs: [{ name: 'PCMU', clockRate: 8000 }], direction: local }]));
      assert.equal(getDirection(a, a.media[0]), expected);
    });
  }

  it('recognises the legacy c=0.0.0.0 hold and answers recvonly', () => {
    const o = sdp([
      'v=0',
      'o=- 42 2 IN IP4 192.0.2.10',
      's=-',
      'c=IN IP4 0.0.0.0',
      't=0 0',
      'm=audio 4000 RTP/AVP 0',
    ]);
    const a = createAnswer(o, caps([{ codecs: [{ name: 'PCMU', clockRate: 8000 }] }]));
    assert.equal(getDirection(a, a.media[0]), 'recvonly');
    const n = negotiate(o, a, 'answerer');
    assert.equal(n.media[0].remoteHold, true);
    assert.equal(n.media[0].remoteDirection, 'sendonly');
    assert.equal(n.media[0].remoteAddress, '0.0.0.0');
  });

  it('hold (sendonly) and resume (sendrecv) re-offers bump the version; the peer sees hold', () => {
    const base = caps([{ codecs: [{ name: 'PCMU', clockRate: 8000 }] }]);
    const first = createOffer(base);
    const hold = createOffer(
      caps([{ codecs: [{ name: 'PCMU', clockRate: 8000 }], direction: 'sendonly' }]),
      first,
    );
    assert.equal(getOrigin(hold).sessionVersion, '2');
    assert.equal(getDirection(hold, hold.media[0]), 'sendonly');
    const peer = caps([{ codecs: [{ name: 'PCMU', clockRate: 8000 }], port: 40000 }], {
      origin: { sessionId: '77' },
      address: '203.0.113.5',
    });
    const holdAnswer = createAnswer(hold, peer);
    assert.equal(getDirection(holdAnswer, holdAnswer.media[0]), 'recvonly');
    assert.equal(negotiate(hold, holdAnswer, 'answerer').media[0].remoteHold, true);
    const n = processAnswer(hold, holdAnswer);
    assert.equal(n.media[0].localDirection, 'sendonly');
    assert.equal(n.media[0].remoteDirection, 'recvonly');
    assert.equal(n.media[0].remoteHold, false);
    const resume = createOffer(base, hold);
    assert.equal(getOrigin(resume).sessionVersion, '3');
    assert.equal(getDirection(resume, resume.media[0]), 'sendrecv');
    assert.equal(getDirection(createAnswer(resume, peer), createAnswer(resume, peer).media[0]), 'sendrecv');
  });
});
