import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalCodecName, createCodec } from './codec.js';
import type { Codec } from './codec-types.js';
import { CodecError } from './errors.js';
import { correlation, rms, tone } from './signals.test-helper.js';

function roundTrip(c: Codec, pcm: Int16Array): Int16Array {
  const out = new Int16Array(pcm.length);
  const step = c.frameSize * c.channels;
  for (let i = 0; i + step <= pcm.length; i += step)
    out.set(c.decode(c.encode(pcm.subarray(i, i + step))), i);
  return out;
}

describe('createCodec', () => {
  it('describes each codec as RFC 3551 / RFC 7587 specify', () => {
    const expected = {
      PCMU: { rate: 8000, clock: 8000, frame: 160, ts: 160, rtpmap: 'PCMU/8000', pt: 0 },
      PCMA: { rate: 8000, clock: 8000, frame: 160, ts: 160, rtpmap: 'PCMA/8000', pt: 8 },
      // RFC 3551 §4.5.2: G.722 samples at 16 kHz but its RTP clock runs at 8000.
      G722: { rate: 16000, clock: 8000, frame: 320, ts: 160, rtpmap: 'G722/8000', pt: 9 },
      opus: { rate: 48000, clock: 48000, frame: 960, ts: 960, rtpmap: 'opus/48000/2', pt: undefined },
    } as const;
    for (const [name, e] of Object.entries(expected)) {
      const c = createCodec(name);
      try {
        assert.equal(c.name, name);
        assert.equal(c.sampleRate, e.rate);
        assert.equal(c.clockRate, e.clock);
        assert.equal(c.frameSize, e.frame);
        assert.equal(c.frameTimestampUnits, e.ts);
        assert.equal(c.frameDurationMs, 20);
        assert.equal(c.sdp.rtpmap, e.rtpmap);
        assert.equal(c.sdp.payloadType, e.pt);
        assert.equal(c.hasPlc, true);
      } finally {
        c.destroy();
      }
    }
  });

  it('G.722 20 ms frame: 320 samples → 160 bytes', () => {
    const c = createCodec('G722');
    assert.equal(c.encode(new Int16Array(320)).length, 160);
    assert.equal(c.decode(new Uint8Array(160)).length, 320);
  });

  it('accepts encoding names in any case (RFC 4855 §3) and rejects unknown ones', () => {
    assert.equal(createCodec('pcmu').name, 'PCMU');
    assert.equal(canonicalCodecName('OPUS'), 'opus');
    assert.throws(
      () => createCodec('GSM'),
      (e: unknown) => e instanceof CodecError && e.code === 'unknown-codec',
    );
  });

  it('honours ptime', () => {
    assert.equal(createCodec('PCMA', { ptime: 30 }).frameSize, 240);
    assert.equal(createCodec('G722', { ptime: 10 }).frameTimestampUnits, 80);
    assert.throws(() => createCodec('PCMU', { ptime: 0.1 }), CodecError);
  });

  for (const name of ['PCMU', 'PCMA', 'G722', 'opus'] as const) {
    it(`${name}: round trip of a 440 Hz tone and concealment of one lost frame`, () => {
      const c = createCodec(name);
      try {
        const pcm = tone(440, c.sampleRate, c.sampleRate);
        const out = roundTrip(c, pcm);
        // Best alignment over the codec's possible delay (G.722 QMF: 22 samples, Opus: a few ms).
        const from = c.frameSize * 5;
        const to = from + c.frameSize * 10;
        let cor = -1;
        for (let lag = 0; lag < 600; lag++) {
          cor = Math.max(cor, correlation(pcm.subarray(from, to), out.subarray(from + lag, to + lag)));
        }
        assert.ok(cor > 0.97, `correlation ${cor}`);
        const hidden = c.conceal();
        assert.equal(hidden.length, c.frameSize);
        assert.ok(rms(hidden) > 0.5 * rms(pcm), `concealment rms ${rms(hidden)}`);
      } finally {
        c.destroy();
      }
    });
  }
});
