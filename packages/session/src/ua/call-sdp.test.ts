import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getSsrcs, parseSdp } from '@tsvoip/sdp';
import { buildAnswer, buildOffer, type CallSdpContext, configFromAnswer, randomCname } from './call-sdp.js';
import { parseUserAgentConfig } from './config.js';

const media = parseUserAgentConfig({ uri: 'sip:a@127.0.0.1' }).media;
const randomBytes = (n: number) => new Uint8Array(n).fill(7);

function ctx(port: number, ssrc?: number): CallSdpContext {
  return {
    media,
    port,
    sessionId: String(port),
    randomBytes,
    source: ssrc === undefined ? undefined : { ssrc, cname: `cn${ssrc}` },
  };
}

describe('call SDP: SSRC announcement (RFC 5576)', () => {
  it('offers and answers carry a=ssrc:<ssrc> cname:<cname> of the stream', () => {
    const offer = buildOffer(ctx(40000, 0xfedcba98), 'sendrecv');
    assert.match(offer, /\r\na=ssrc:4275878552 cname:cn4275878552\r\n/);
    assert.deepEqual(getSsrcs(parseSdp(offer).media[0]), [
      { ssrc: 0xfedcba98, attribute: 'cname', value: 'cn4275878552' },
    ]);
    const { answer } = buildAnswer(ctx(30000, 11), offer, 'sendrecv');
    assert.deepEqual(
      getSsrcs(parseSdp(answer).media[0]).map((s) => s.ssrc),
      [11],
      'the answer announces our SSRC, not the offerer’s',
    );
    // A re-offer keeps announcing the same source.
    assert.match(buildOffer(ctx(40000, 0xfedcba98), 'sendonly', offer), /a=ssrc:4275878552 cname:/);
    assert.doesNotMatch(buildOffer(ctx(40000), 'sendrecv'), /a=ssrc/, 'no source: nothing announced');
  });

  it('remoteSsrc comes from the remote description, on both sides, and follows re-offers', () => {
    const offer = buildOffer(ctx(40000, 1234), 'sendrecv');
    const { answer, config: answerer } = buildAnswer(ctx(30000, 5678), offer, 'sendrecv');
    assert.equal(answerer.remoteSsrc, 1234, 'the answerer takes the offer’s SSRC');
    assert.equal(configFromAnswer(offer, answer).remoteSsrc, 5678, 'the offerer takes the answer’s');
    // The offerer re-offers with another SSRC (e.g. after an RFC 3550 §8.2 collision): updated.
    const reoffer = buildOffer(ctx(40000, 999), 'sendrecv', offer);
    assert.equal(buildAnswer(ctx(30000, 5678), reoffer, 'sendrecv', answer).config.remoteSsrc, 999);
    // A remote that announces none leaves it unset.
    assert.equal(
      buildAnswer(ctx(30000, 5678), buildOffer(ctx(40000), 'sendrecv'), 'sendrecv').config.remoteSsrc,
      undefined,
    );
  });

  it('random CNAMEs are 96 bits in base64 (RFC 7022 §5)', () => {
    let i = 0;
    const cname = randomCname((n) => Uint8Array.from({ length: n }, () => i++));
    assert.equal(cname, Buffer.from(Array.from({ length: 12 }, (_, k) => k)).toString('base64'));
    assert.equal(cname.length, 16);
  });
});
