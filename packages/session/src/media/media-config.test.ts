import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CryptoAttribute,
  createAnswer,
  createOffer,
  negotiate,
  parseSdp,
  serializeSdp,
} from '@tsvoip/sdp';
import fc from 'fast-check';
import { announcedSsrc, mediaConfigFromNegotiation, srtpKeyFromCrypto } from './media-config.js';

function crypto(keySalt: Uint8Array, extra: Partial<CryptoAttribute> = {}): CryptoAttribute {
  return {
    tag: 1,
    suite: 'AES_CM_128_HMAC_SHA1_80',
    keyParams: [{ method: 'inline', keySalt: Buffer.from(keySalt).toString('base64') }],
    sessionParams: [],
    ...extra,
  };
}

describe('media configuration from SDP offer/answer', () => {
  it('takes address, ports, codecs, telephone-event, ptime and direction from the negotiation', () => {
    const offer = createOffer({
      origin: { sessionId: '1' },
      address: '192.0.2.10',
      media: [
        {
          media: 'audio',
          port: 40000,
          ptime: 20,
          direction: 'sendonly',
          codecs: [
            { name: 'G722', clockRate: 8000 },
            { name: 'PCMU', clockRate: 8000 },
            { name: 'telephone-event', clockRate: 8000, fmtp: '0-16' },
          ],
        },
      ],
    });
    const answer = createAnswer(parseSdp(serializeSdp(offer)), {
      origin: { sessionId: '2' },
      address: '198.51.100.20',
      media: [
        {
          media: 'audio',
          port: 30000,
          codecs: [
            { name: 'PCMU', clockRate: 8000 },
            { name: 'telephone-event', clockRate: 8000, fmtp: '0-15' },
          ],
        },
      ],
    });
    const [media] = negotiate(offer, parseSdp(serializeSdp(answer)), 'offerer').media;
    const config = mediaConfigFromNegotiation(media);
    assert.equal(config.remoteAddress, '198.51.100.20');
    assert.equal(config.remotePort, 30000);
    assert.equal(config.remoteRtcpPort, 30001);
    assert.deepEqual(
      config.codecs.map((c) => [c.payloadType, c.name]),
      [[0, 'PCMU']],
    );
    assert.equal(config.telephoneEvent?.clockRate, 8000);
    // We offered sendonly (hold), the answer is recvonly: we send, we do not receive (RFC 3264 §6.1).
    assert.equal(config.direction, 'sendonly');
    const [answerer] = negotiate(offer, parseSdp(serializeSdp(answer)), 'answerer').media;
    assert.equal(mediaConfigFromNegotiation(answerer).direction, 'recvonly');
  });

  it("takes remoteSsrc from the remote m-section's a=ssrc (RFC 5576 §4.1), either side", () => {
    const caps = (sessionId: string, port: number, ssrc: number) => ({
      origin: { sessionId },
      address: '192.0.2.10',
      media: [
        {
          media: 'audio',
          port,
          codecs: [{ name: 'PCMU', clockRate: 8000 }],
          attributes: [{ type: 'a', value: `ssrc:${ssrc} cname:x${sessionId}` }],
        },
      ],
    });
    const offer = parseSdp(serializeSdp(createOffer(caps('1', 40000, 0xdeadbeef))));
    const answer = parseSdp(serializeSdp(createAnswer(offer, caps('2', 30000, 7))));
    const [asOfferer] = negotiate(offer, answer, 'offerer').media;
    const [asAnswerer] = negotiate(offer, answer, 'answerer').media;
    assert.equal(mediaConfigFromNegotiation(asOfferer, answer.media[0]).remoteSsrc, 7);
    assert.equal(mediaConfigFromNegotiation(asAnswerer, offer.media[0]).remoteSsrc, 0xdeadbeef);
    // Without the remote m-section (or without a=ssrc in it) there is none.
    assert.equal(mediaConfigFromNegotiation(asOfferer).remoteSsrc, undefined);
    assert.equal('remoteSsrc' in mediaConfigFromNegotiation(asOfferer), false);
  });

  it('announcedSsrc: the first well-formed a=ssrc, malformed ones skipped, none without', () => {
    const m = (...attrs: string[]) => ({
      lines: [{ type: 'm', value: 'audio 4000 RTP/AVP 0' }, ...attrs.map((value) => ({ type: 'a', value }))],
    });
    assert.equal(announcedSsrc(m('ssrc:42 cname:a', 'ssrc:43 cname:b')), 42);
    assert.equal(announcedSsrc(m('ssrc:4294967296 cname:a', 'ssrc:junk', 'ssrc:9 msid:x y')), 9);
    assert.equal(announcedSsrc(m('ssrc-group:FID 1 2', 'sendrecv')), undefined);
    assert.equal(announcedSsrc(m()), undefined);
  });

  it('rejects a declined m-line', () => {
    assert.throws(
      () =>
        mediaConfigFromNegotiation({
          index: 0,
          media: 'audio',
          proto: 'RTP/AVP',
          accepted: false,
          codecs: [],
          localDirection: 'sendrecv',
          remoteDirection: 'sendrecv',
          remoteHold: false,
          remoteAddress: '192.0.2.1',
          remotePort: 0,
          remoteRtcpAddress: '192.0.2.1',
          remoteRtcpPort: 0,
          rtcpMux: false,
        }),
      { name: 'MediaConfigError', field: 'accepted' },
    );
  });

  it('decodes SDES inline keys into master key and salt (RFC 4568 §6.1), round trip', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 30, maxLength: 30 }), fc.boolean(), (keySalt, unencrypted) => {
        const key = srtpKeyFromCrypto(
          crypto(keySalt, { sessionParams: unencrypted ? ['UNENCRYPTED_SRTCP'] : [] }),
        );
        assert.deepEqual([...key.masterKey, ...key.masterSalt], [...keySalt]);
        assert.equal(key.encryptRtcp, !unencrypted);
        assert.equal(key.profile, 'AES_CM_128_HMAC_SHA1_80');
      }),
    );
    assert.throws(() => srtpKeyFromCrypto(crypto(new Uint8Array(20))), { name: 'MediaConfigError' });
    assert.throws(() => srtpKeyFromCrypto(crypto(new Uint8Array(30), { suite: 'F8_128_HMAC_SHA1_80' })), {
      name: 'MediaConfigError',
    });
  });
});
