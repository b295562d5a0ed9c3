import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { opusOptionsFromFmtp } from './opus-codec.js';
import { formatOpusFmtp, type OpusFmtp, parseOpusFmtp } from './opus-fmtp.js';

describe('Opus fmtp (RFC 7587 §6.1)', () => {
  it('parses the WebRTC default line', () => {
    assert.deepEqual(parseOpusFmtp('minptime=10;useinbandfec=1'), { minPtime: 10, useInbandFec: true });
  });

  it('parses every RFC 7587 parameter, case-insensitively and with spaces', () => {
    const f = parseOpusFmtp(
      'maxplaybackrate=16000; sprop-maxcapturerate=24000; MaxAverageBitrate=20000; stereo=1; sprop-stereo=0; ' +
        'cbr=1; useinbandfec=0; usedtx=1; minptime=20',
    );
    assert.deepEqual(f, {
      maxPlaybackRate: 16000,
      spropMaxCaptureRate: 24000,
      maxAverageBitrate: 20000,
      stereo: true,
      spropStereo: false,
      cbr: true,
      useInbandFec: false,
      useDtx: true,
      minPtime: 20,
    });
  });

  it('ignores unknown parameters and out-of-range values (RFC 7587 §7)', () => {
    assert.deepEqual(
      parseOpusFmtp('foo=bar;stereo=2;maxaveragebitrate=1000;maxplaybackrate=96000;usedtx'),
      {},
    );
  });

  it('maps the peer’s receive preferences onto our encoder options', () => {
    assert.deepEqual(
      opusOptionsFromFmtp(parseOpusFmtp('maxaveragebitrate=20000;stereo=0;useinbandfec=1;usedtx=1')),
      {
        bitrate: 20000,
        channels: 1,
        fec: true,
        dtx: true,
      },
    );
  });

  it('property: parse(format(f)) returns f', () => {
    const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
    const arb = fc.record({
      maxPlaybackRate: opt(fc.integer({ min: 8000, max: 48000 })),
      spropMaxCaptureRate: opt(fc.integer({ min: 8000, max: 48000 })),
      maxAverageBitrate: opt(fc.integer({ min: 6000, max: 510000 })),
      stereo: opt(fc.boolean()),
      spropStereo: opt(fc.boolean()),
      cbr: opt(fc.boolean()),
      useInbandFec: opt(fc.boolean()),
      useDtx: opt(fc.boolean()),
      minPtime: opt(fc.integer({ min: 3, max: 120 })),
    });
    fc.assert(
      fc.property(arb, (f) => {
        const defined = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as OpusFmtp;
        assert.deepEqual(parseOpusFmtp(formatOpusFmtp(defined)), defined);
      }),
    );
  });
});
