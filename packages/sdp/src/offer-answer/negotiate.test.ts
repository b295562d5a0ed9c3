import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getCryptos, getMediaLine, isRtcpMux } from '../accessors.js';
import type { CryptoAttribute } from '../attributes/crypto.js';
import { OfferAnswerError } from '../errors.js';
import { caps, fmts, head, port, sdp, voice } from '../test/offer-answer-helpers.js';
import { createAnswer } from './answer.js';
import { negotiate, processAnswer } from './negotiate.js';
import { createOffer } from './offer.js';

describe('RTCP, rtcp-mux, SDES crypto (RFC 3605, RFC 5761, RFC 4568)', () => {
  const key80: CryptoAttribute = {
    tag: 1,
    suite: 'AES_CM_128_HMAC_SHA1_80',
    keyParams: [{ method: 'inline', keySalt: 'YUJDZGVmZ2hpSktMbW9QUXJzVHVWd3l6MTIzNDU2' }],
    sessionParams: [],
  };
  const secure = caps([
    { proto: 'RTP/SAVP', codecs: [{ name: 'PCMU', clockRate: 8000 }], crypto: [key80], rtcpMux: true },
  ]);

  it('answers the first offered suite we support with the offered tag and our key', () => {
    const offer = sdp([
      ...head(),
      'm=audio 4000 RTP/SAVP 0',
      'a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32',
      'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4',
      'a=rtcp-mux',
    ]);
    const answer = createAnswer(offer, secure);
    assert.deepEqual(getCryptos(answer.media[0]), [{ ...key80, tag: 2 }]);
    assert.equal(isRtcpMux(answer.media[0]), true);
    const n = processAnswer(offer, answer);
    assert.equal(n.media[0].crypto?.local.keyParams[0].keySalt, 'WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz');
    assert.equal(n.media[0].crypto?.remote.keyParams[0].keySalt, key80.keyParams[0].keySalt);
    assert.equal(n.media[0].rtcpMux, true);
    assert.equal(n.media[0].remoteRtcpPort, 30000); // RFC 5761: RTCP on the RTP port
  });

  it('rejects an RTP/SAVP stream with no common suite, and a SAVP offer when we only do AVP', () => {
    const offer = sdp([
      ...head(),
      'm=audio 4000 RTP/SAVP 0',
      'a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR',
    ]);
    assert.equal(port(createAnswer(offer, secure)), 0);
    assert.equal(port(createAnswer(offer, voice)), 0);
  });

  it('offers renumbered crypto tags and rtcp-mux; no rtcp-mux in the answer when not offered', () => {
    const offer = createOffer(secure);
    assert.equal(getMediaLine(offer.media[0]).proto, 'RTP/SAVP');
    assert.deepEqual(getCryptos(offer.media[0]), [key80]);
    assert.equal(isRtcpMux(offer.media[0]), true);
    const plain = sdp([
      ...head(),
      'm=audio 4000 RTP/SAVP 0',
      'a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz',
      'a=rtcp:4011 IN IP4 192.0.2.11',
    ]);
    const answer = createAnswer(plain, secure);
    assert.equal(isRtcpMux(answer.media[0]), false);
    const n = negotiate(plain, answer, 'answerer');
    assert.equal(n.media[0].rtcpMux, false);
    assert.equal(n.media[0].remoteRtcpPort, 4011);
    assert.equal(n.media[0].remoteRtcpAddress, '192.0.2.11');
    assert.equal(n.media[0].crypto?.local.tag, 5);
  });

  it('writes a=rtcp when RTCP is not on port+1 and mux is off', () => {
    const o = createOffer(caps([{ codecs: [{ name: 'PCMU', clockRate: 8000 }], rtcpPort: 30011 }]));
    assert.ok(o.media[0].lines.some((l) => l.value === 'rtcp:30011'));
  });
});

describe('processAnswer / negotiate (RFC 3264 §7)', () => {
  const offer = createOffer(voice);
  const remote = sdp([
    ...head('203.0.113.9'),
    'm=audio 5004 RTP/AVP 96 0 97',
    'a=rtpmap:96 opus/48000/2',
    'a=fmtp:96 stereo=1',
    'a=rtpmap:97 telephone-event/8000',
    'a=fmtp:97 0-15',
    'a=ptime:40',
  ]);

  it('gives the negotiated codecs, primary codec, telephone-event and remote transport', () => {
    // Our offer: opus at its explicit 96, static PCMA/PCMU, telephone-event at the first free dynamic type.
    assert.deepEqual(fmts(offer), ['96', '8', '0', '97']);
    const n = processAnswer(offer, remote);
    const m = n.media[0];
    assert.deepEqual(
      m.codecs.map((c) => c.payloadType),
      [96, 0, 97],
    );
    assert.deepEqual(m.primaryCodec, {
      payloadType: 96,
      name: 'opus',
      clockRate: 48000,
      channels: 2,
      localFmtp: 'useinbandfec=1',
      remoteFmtp: 'stereo=1',
    });
    assert.equal(m.telephoneEvent?.payloadType, 97);
    assert.equal(m.remoteAddress, '203.0.113.9');
    assert.equal(m.remotePort, 5004);
    assert.equal(m.remoteRtcpPort, 5005);
    assert.equal(m.remotePtime, 40);
    assert.equal(m.remoteHold, false);
  });

  it('throws OfferAnswerError on an m-line count mismatch, a re-enabled stream, or no common format', () => {
    const two = sdp([...head(), 'm=audio 5004 RTP/AVP 0', 'm=audio 5006 RTP/AVP 0']);
    assert.throws(() => processAnswer(offer, two), OfferAnswerError);
    const zeroOffer = sdp([...head(), 'm=audio 0 RTP/AVP 0']);
    assert.throws(() => processAnswer(zeroOffer, sdp([...head(), 'm=audio 5004 RTP/AVP 0'])), /disabled/);
    assert.throws(() => processAnswer(offer, sdp([...head(), 'm=audio 5004 RTP/AVP 18'])), /no format/);
    assert.throws(() => processAnswer(offer, sdp([...head(), 'm=video 5004 RTP/AVP 0'])), OfferAnswerError);
  });
});
