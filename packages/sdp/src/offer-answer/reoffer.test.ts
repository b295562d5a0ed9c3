import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getMediaLine, getOrigin } from '../accessors.js';
import { OfferAnswerError } from '../errors.js';
import { serializeSdp } from '../serialize.js';
import { caps, fmts, head, port, sdp } from '../test/offer-answer-helpers.js';
import { createAnswer } from './answer.js';
import { createOffer } from './offer.js';

describe('re-offers (RFC 3264 §8)', () => {
  const base = caps([
    {
      codecs: [
        { name: 'opus', clockRate: 48000, channels: 2 },
        { name: 'PCMU', clockRate: 8000 },
      ],
    },
    { media: 'video', port: 30002, codecs: [{ name: 'VP8', clockRate: 90000 }] },
  ]);

  it('an unchanged re-offer keeps the version; session id and username never change', () => {
    const first = createOffer(base);
    const again = createOffer(base, first);
    assert.equal(serializeSdp(again), serializeSdp(first));
    const changed = createOffer(
      { ...base, origin: { sessionId: '999', username: 'other' }, address: '198.51.100.8' },
      first,
    );
    assert.equal(getOrigin(changed).sessionId, '1000');
    assert.equal(getOrigin(changed).username, '-');
    assert.equal(getOrigin(changed).unicastAddress, '198.51.100.7');
    assert.equal(getOrigin(changed).sessionVersion, '2');
  });

  it('assigns dynamic payload types from 96 and keeps them on re-offer (§8.3.2)', () => {
    const first = createOffer(base);
    assert.deepEqual(fmts(first, 0), ['96', '0']);
    assert.deepEqual(fmts(first, 1), ['96']);
    // After answering an offer that used 111 for opus, a re-offer keeps 111.
    const remoteOffer = sdp([...head(), 'm=audio 4000 RTP/AVP 111 0', 'a=rtpmap:111 opus/48000/2']);
    const ourAnswer = createAnswer(remoteOffer, base);
    const reoffer = createOffer(base, ourAnswer);
    assert.deepEqual(fmts(reoffer, 0), ['111', '0']);
  });

  it('never removes m-lines: a dropped stream is offered again with port 0', () => {
    const first = createOffer(base);
    const audioOnly = createOffer({ ...base, media: base.media.slice(0, 1) }, first);
    assert.equal(audioOnly.media.length, 2);
    assert.equal(port(audioOnly, 1), 0);
    assert.equal(getMediaLine(audioOnly.media[1]).media, 'video');
    assert.equal(getOrigin(audioOnly).sessionVersion, '2');
  });

  it('rejects duplicate explicit payload types', () => {
    assert.throws(
      () =>
        createOffer(
          caps([
            {
              codecs: [
                { name: 'a', clockRate: 8000, payloadType: 100 },
                { name: 'b', clockRate: 8000, payloadType: 100 },
              ],
            },
          ]),
        ),
      OfferAnswerError,
    );
  });
});
