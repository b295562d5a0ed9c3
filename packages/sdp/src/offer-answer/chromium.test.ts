import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  getCandidates,
  getDirection,
  getFingerprints,
  getFmtps,
  getGroups,
  getIcePwd,
  getIceUfrag,
  getMediaLine,
  getMid,
  getRtcpFeedbacks,
  getRtpmaps,
  getSetup,
  isIceLite,
  isRtcpMux,
} from '../accessors.js';
import { attributeLine } from '../model.js';
import { parseSdp } from '../parse.js';
import { serializeSdp } from '../serialize.js';
import { createAnswer } from './answer.js';
import type { LocalCapabilities } from './capabilities.js';
import { negotiate } from './negotiate.js';

// A real offer from headless Chromium (scripts/capture-chromium-offer.ts). Its audio m-line is
// "111 63 9 0 8 13 110 126": opus, red, G722, PCMU, PCMA, CN, telephone-event/48000, telephone-event/8000.
const offerText = readFileSync(new URL('../fixtures/chromium-offer.sdp', import.meta.url), 'utf8');
const offer = parseSdp(offerText);

const fingerprint =
  'sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99';
const caps: LocalCapabilities = {
  origin: { sessionId: '4242', sessionVersion: '1' },
  address: '127.0.0.1',
  bundle: true,
  sessionAttributes: [attributeLine('ice-lite')],
  media: [
    {
      media: 'audio',
      port: 40000,
      proto: 'UDP/TLS/RTP/SAVPF',
      rtcpMux: true,
      // Our preference order differs from Chromium's on purpose: the answer must follow the offer.
      codecs: [
        { name: 'PCMU', clockRate: 8000 },
        {
          name: 'opus',
          clockRate: 48000,
          channels: 2,
          payloadType: 96,
          fmtp: 'minptime=10;useinbandfec=1',
          rtcpFeedback: ['transport-cc', 'nack'],
        },
        { name: 'telephone-event', clockRate: 8000, fmtp: '0-15' },
      ],
      attributes: [
        attributeLine('ice-ufrag', 'tsvo'),
        attributeLine('ice-pwd', 'abcdefghijklmnopqrstuv'),
        attributeLine('fingerprint', fingerprint),
        attributeLine('setup', 'passive'),
        attributeLine('candidate', '1 1 udp 2130706431 127.0.0.1 40000 typ host'),
        attributeLine('end-of-candidates'),
      ],
    },
  ],
};

describe("answering Chromium's real offer", () => {
  it('the offer parses and its typed views are sensible', () => {
    const m = offer.media[0];
    assert.equal(getMid(m), '0');
    assert.deepEqual(getGroups(offer), [{ semantics: 'BUNDLE', mids: ['0'] }]);
    assert.equal(getSetup(offer, m), 'actpass');
    assert.equal(getFingerprints(offer, m)[0].hashFunction, 'sha-256');
    assert.ok(getCandidates(m).length > 0);
    assert.ok(getIceUfrag(offer, m));
    assert.equal(isRtcpMux(m), true);
    assert.equal(serializeSdp(offer), offerText);
  });

  const answer = createAnswer(offer, caps);
  const am = answer.media[0];

  it('uses the offer payload types in the offer order: opus 111, PCMU 0, telephone-event/8000 126', () => {
    assert.deepEqual(getMediaLine(am), {
      media: 'audio',
      port: 40000,
      proto: 'UDP/TLS/RTP/SAVPF',
      formats: ['111', '0', '126'],
    });
    assert.deepEqual(getRtpmaps(am), [
      { payloadType: 111, encodingName: 'opus', clockRate: 48000, channels: 2 },
      { payloadType: 0, encodingName: 'PCMU', clockRate: 8000 },
      { payloadType: 126, encodingName: 'telephone-event', clockRate: 8000 },
    ]);
    assert.deepEqual(getFmtps(am), [
      { format: '111', parameters: 'minptime=10;useinbandfec=1' },
      { format: '126', parameters: '0-15' },
    ]);
    // Only feedback the offer also lists for 111 (transport-cc), not nack.
    assert.deepEqual(getRtcpFeedbacks(am), [{ payloadType: 111, type: 'transport-cc' }]);
  });

  it('carries mid, BUNDLE, rtcp-mux, ICE-lite and DTLS attributes', () => {
    assert.equal(getMid(am), '0');
    assert.deepEqual(getGroups(answer), [{ semantics: 'BUNDLE', mids: ['0'] }]);
    assert.equal(isRtcpMux(am), true);
    assert.equal(isIceLite(answer), true);
    assert.equal(getIceUfrag(answer, am), 'tsvo');
    assert.equal(getIcePwd(answer, am), 'abcdefghijklmnopqrstuv');
    assert.equal(getSetup(answer, am), 'passive');
    assert.equal(getDirection(answer, am), 'sendrecv');
  });

  it('the negotiated session picks opus with telephone-event 126 and rtcp-mux', () => {
    const n = negotiate(offer, answer, 'answerer').media[0];
    assert.equal(n.accepted, true);
    assert.equal(n.primaryCodec?.payloadType, 111);
    assert.equal(n.telephoneEvent?.payloadType, 126);
    assert.equal(n.rtcpMux, true);
    assert.equal(n.remotePort, 9);
    assert.equal(n.remoteAddress, '0.0.0.0');
    // RFC 8839 §4.3.1: with ICE, c=0.0.0.0 port 9 is a placeholder, not the RFC 3264 §8.4 legacy hold.
    assert.equal(n.remoteDirection, 'sendrecv');
    assert.equal(n.remoteHold, false);
    assert.equal(n.localDirection, 'sendrecv');
  });

  it('the answer round-trips', () => {
    const text = serializeSdp(answer);
    assert.equal(serializeSdp(parseSdp(text)), text);
  });
});
