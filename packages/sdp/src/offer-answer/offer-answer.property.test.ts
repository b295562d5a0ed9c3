import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { getMediaLine, getRtpmaps } from '../accessors.js';
import { parseSdp } from '../parse.js';
import { serializeSdp } from '../serialize.js';
import { createAnswer } from './answer.js';
import type { CodecCapability, LocalCapabilities, MediaCapability } from './capabilities.js';
import { processAnswer } from './negotiate.js';
import { createOffer } from './offer.js';

const AUDIO: CodecCapability[] = [
  { name: 'PCMU', clockRate: 8000 },
  { name: 'PCMA', clockRate: 8000 },
  { name: 'G722', clockRate: 8000 },
  { name: 'opus', clockRate: 48000, channels: 2 },
  { name: 'iLBC', clockRate: 8000 },
  { name: 'L16', clockRate: 16000 },
  { name: 'telephone-event', clockRate: 8000 },
  { name: 'CN', clockRate: 8000 },
];
const VIDEO: CodecCapability[] = [
  { name: 'VP8', clockRate: 90000 },
  { name: 'VP9', clockRate: 90000 },
  { name: 'H261', clockRate: 90000 },
];
const AUX = new Set(['telephone-event', 'cn']);

/** Codec identity as the test understands it (independent of the code under test). */
const key = (name: string, rate: number, channels?: number) =>
  `${name.toLowerCase()}/${rate}/${channels ?? 1}`;

/** A random, ordered, duplicate-free subset of `pool`, names in random letter case. */
function codecSubset(pool: CodecCapability[], minLength: number): fc.Arbitrary<CodecCapability[]> {
  return fc
    .shuffledSubarray(pool, { minLength, maxLength: pool.length })
    .chain((cs) =>
      fc
        .array(fc.boolean(), { minLength: cs.length, maxLength: cs.length })
        .map((upper) => cs.map((c, i) => ({ ...c, name: upper[i] ? c.name.toUpperCase() : c.name }))),
    );
}

const mediaCap = (minCodecs: number): fc.Arbitrary<MediaCapability> =>
  fc
    .tuple(fc.constantFrom('audio', 'video'), fc.integer({ min: 1024, max: 65000 }), fc.nat())
    .chain(([media, port]) =>
      codecSubset(media === 'audio' ? AUDIO : VIDEO, minCodecs).map((codecs) => ({ media, port, codecs })),
    );

const localCaps = (minMedia: number, minCodecs: number): fc.Arbitrary<LocalCapabilities> =>
  fc.array(mediaCap(minCodecs), { minLength: minMedia, maxLength: 4 }).map((media) => ({
    origin: { sessionId: '1', sessionVersion: '1' },
    address: '192.0.2.1',
    media,
  }));

/** True when `sub` appears in `seq` in the same relative order. */
function isSubsequence(sub: string[], seq: string[]): boolean {
  let j = 0;
  for (const x of seq) if (j < sub.length && sub[j] === x) j++;
  return j === sub.length;
}

describe('offer/answer properties (RFC 3264 §6)', () => {
  it('answers keep the m-line count; codecs are a subset of both sides, in offerer order, with offer PTs', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(localCaps(1, 1), localCaps(0, 0), (offerer, answerer) => {
        const offer = parseSdp(serializeSdp(createOffer(offerer)));
        const answer = parseSdp(serializeSdp(createAnswer(offer, answerer)));
        assert.equal(answer.media.length, offer.media.length);
        const answererKeys = new Set(
          answerer.media.flatMap((m) => m.codecs.map((c) => key(c.name, c.clockRate, c.channels))),
        );
        offer.media.forEach((om, i) => {
          const am = answer.media[i];
          const oml = getMediaLine(om);
          const aml = getMediaLine(am);
          assert.equal(aml.media, oml.media);
          assert.equal(aml.proto, oml.proto);
          if (aml.port === 0) {
            rejected++;
            return;
          }
          accepted++;
          assert.ok(
            isSubsequence(aml.formats, oml.formats),
            `${aml.formats} not in order within ${oml.formats}`,
          );
          const offerMaps = new Map(
            getRtpmaps(om).map((r) => [r.payloadType, key(r.encodingName, r.clockRate, r.channels)]),
          );
          const answerMaps = getRtpmaps(am);
          assert.equal(answerMaps.length, aml.formats.length);
          for (const r of answerMaps) {
            const k = key(r.encodingName, r.clockRate, r.channels);
            assert.equal(offerMaps.get(r.payloadType), k, 'same codec under the same PT as the offer');
            assert.ok(answererKeys.has(k), `${k} is not an answerer codec`);
          }
          assert.ok(
            answerMaps.some((r) => !AUX.has(r.encodingName.toLowerCase())),
            'a media codec is present',
          );
          const n = processAnswer(offer, answer).media[i];
          assert.deepEqual(
            n.codecs.map((c) => `${c.payloadType}`),
            aml.formats,
          );
        });
      }),
      { numRuns: 200 },
    );
    // The generator exercises both outcomes.
    assert.ok(accepted > 50 && rejected > 50, `accepted ${accepted}, rejected ${rejected}`);
  });

  it('with one stream each, the answer holds exactly the common codecs (nothing common → port 0)', () => {
    fc.assert(
      fc.property(codecSubset(AUDIO, 1), codecSubset(AUDIO, 0), (offered, local) => {
        const mk = (codecs: CodecCapability[]): LocalCapabilities => ({
          origin: { sessionId: '1' },
          address: '192.0.2.1',
          media: [{ media: 'audio', port: 5000, codecs }],
        });
        const offer = createOffer(mk(offered));
        const answer = createAnswer(offer, mk(local));
        const localKeys = new Set(local.map((c) => key(c.name, c.clockRate, c.channels)));
        const expected = getRtpmaps(offer.media[0])
          .filter((r) => localKeys.has(key(r.encodingName, r.clockRate, r.channels)))
          .map((r) => `${r.payloadType}`);
        const hasMediaCodec = offered.some(
          (c) => localKeys.has(key(c.name, c.clockRate, c.channels)) && !AUX.has(c.name.toLowerCase()),
        );
        const aml = getMediaLine(answer.media[0]);
        if (hasMediaCodec) {
          assert.equal(aml.port, 5000);
          assert.deepEqual(aml.formats, expected);
        } else {
          assert.equal(aml.port, 0);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('re-offering the same capabilities keeps the description and its version (RFC 3264 §8)', () => {
    fc.assert(
      fc.property(localCaps(1, 1), (c) => {
        const first = createOffer(c);
        assert.equal(serializeSdp(createOffer(c, first)), serializeSdp(first));
      }),
      { numRuns: 50 },
    );
  });
});
