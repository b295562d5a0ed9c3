import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { alawToLinear, linearToAlaw, linearToMulaw, mulawToLinear } from '@tsvoip/codecs';
import fc from 'fast-check';
import { DspError, WavFormatError, WavUnsupportedError } from './errors.js';
import { deinterleave, interleave, type WavEncoding } from './wav-format.js';
import { readWav } from './wav-read.js';
import { writeWav } from './wav-write.js';

/** Hand-built RIFF chunk. */
function chunk(id: string, body: Uint8Array, declaredSize = body.length): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, declaredSize, true);
  out.set(body, 8);
  return out;
}
function riff(...chunks: Uint8Array[]): Uint8Array {
  const body = Buffer.concat([Buffer.from('WAVE'), ...chunks]);
  return new Uint8Array(Buffer.concat([Buffer.from('RIFF'), u32(body.length), body]));
}
function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
}
function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
}
function fmt(
  tag: number,
  channels: number,
  rate: number,
  bits: number,
  extra: Buffer = Buffer.alloc(0),
): Uint8Array {
  const align = (channels * bits) / 8;
  return chunk(
    'fmt ',
    new Uint8Array(
      Buffer.concat([u16(tag), u16(channels), u32(rate), u32(rate * align), u16(align), u16(bits), extra]),
    ),
  );
}
const PCM_GUID_TAIL = Buffer.from([0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71]);
const le16 = (values: number[]) =>
  new Uint8Array(Buffer.concat(values.map((v) => Buffer.from(Int16Array.of(v).buffer))));

/** Samples exactly representable in `encoding` (so the round trip is lossless). */
function representable(encoding: WavEncoding, s: number): number {
  if (encoding === 'mulaw') return mulawToLinear(linearToMulaw(s));
  if (encoding === 'alaw') return alawToLinear(linearToAlaw(s));
  return s;
}

describe('WAV write/read round trip', () => {
  it('round-trips any PCM16 / µ-law / A-law, mono/stereo, any rate (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<WavEncoding>('pcm16', 'mulaw', 'alaw'),
        fc.constantFrom(1, 2),
        fc.integer({ min: 1, max: 384000 }),
        fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 301 }),
        (encoding, channels, sampleRate, raw) => {
          const frames = Math.floor(raw.length / channels);
          const samples = Int16Array.from(raw.slice(0, frames * channels), (s) => representable(encoding, s));
          const bytes = writeWav({ sampleRate, channels, samples, encoding });
          const back = readWav(bytes);
          assert.equal(back.sampleRate, sampleRate);
          assert.equal(back.channels, channels);
          assert.equal(back.encoding, encoding);
          assert.deepEqual(back.samples, samples);
          // and writing what was read gives the same bytes
          assert.deepEqual(writeWav(back), bytes);
        },
      ),
    );
  });

  it('writes the canonical 44-byte PCM header', () => {
    const bytes = writeWav({ sampleRate: 8000, channels: 1, samples: Int16Array.of(1, -2) });
    assert.equal(bytes.length, 48);
    const b = Buffer.from(bytes);
    assert.equal(b.toString('latin1', 0, 4), 'RIFF');
    assert.equal(b.readUInt32LE(4), 40);
    assert.equal(b.toString('latin1', 8, 16), 'WAVEfmt ');
    assert.equal(b.readUInt32LE(16), 16);
    assert.equal(b.readUInt16LE(20), 1); // PCM
    assert.equal(b.readUInt32LE(28), 16000); // byte rate
    assert.equal(b.toString('latin1', 36, 40), 'data');
    assert.equal(b.readUInt32LE(40), 4);
    assert.equal(b.readInt16LE(46), -2);
  });

  it('pads an odd-length data chunk (µ-law, odd sample count) to an even size', () => {
    const bytes = writeWav({ sampleRate: 8000, channels: 1, samples: new Int16Array(3), encoding: 'mulaw' });
    assert.equal(bytes.length % 2, 0);
    assert.equal(Buffer.from(bytes).readUInt32LE(4), bytes.length - 8);
    assert.equal(readWav(bytes).samples.length, 3);
  });

  it('splits and joins channels', () => {
    const l = Int16Array.of(1, 2, 3);
    const r = Int16Array.of(-1, -2, -3);
    const lr = interleave([l, r]);
    assert.deepEqual([...lr], [1, -1, 2, -2, 3, -3]);
    assert.deepEqual(deinterleave(lr, 2), [l, r]);
  });
});

describe('WAV reader', () => {
  it('skips unknown chunks before and after fmt, in any order', () => {
    const bytes = riff(
      chunk('LIST', new Uint8Array(Buffer.from('INFOISFT\x05\x00\x00\x00abcde'))), // odd: padded
      chunk('junk', new Uint8Array(3)),
      fmt(1, 1, 8000, 16),
      chunk('cue ', new Uint8Array(4)),
      chunk('data', le16([100, -100, 32767])),
      chunk('id3 ', new Uint8Array(10)),
    );
    const w = readWav(bytes);
    assert.deepEqual([...w.samples], [100, -100, 32767]);
  });

  it('accepts WAVE_FORMAT_EXTENSIBLE with a PCM sub-format', () => {
    const ext = Buffer.concat([u16(22), u16(16), u32(0x3), u16(1), PCM_GUID_TAIL]);
    const bytes = riff(fmt(0xfffe, 2, 96000, 16, ext), chunk('data', le16([1, 2, 3, 4])));
    const w = readWav(bytes);
    assert.equal(w.encoding, 'pcm16');
    assert.equal(w.channels, 2);
    assert.equal(w.sampleRate, 96000);
    assert.deepEqual([...w.samples], [1, 2, 3, 4]);
  });

  it('rejects other encodings with WavUnsupportedError naming the format', () => {
    const cases: [Uint8Array, number, number][] = [
      [fmt(1, 1, 8000, 8), 1, 8], // 8-bit PCM
      [fmt(1, 1, 8000, 24), 1, 24],
      [fmt(3, 1, 8000, 32), 3, 32], // IEEE float
      [fmt(0x11, 1, 8000, 4), 0x11, 4], // IMA ADPCM
      [fmt(1, 3, 8000, 16), 1, 16], // 3 channels
    ];
    for (const [f, tag, bits] of cases) {
      assert.throws(
        () => readWav(riff(f, chunk('data', new Uint8Array(12)))),
        (e: unknown) => e instanceof WavUnsupportedError && e.formatTag === tag && e.bitsPerSample === bits,
      );
    }
    const floatExt = Buffer.concat([u16(22), u16(32), u32(4), u16(3), PCM_GUID_TAIL]);
    assert.throws(
      () => readWav(riff(fmt(0xfffe, 1, 8000, 32, floatExt), chunk('data', new Uint8Array(8)))),
      WavUnsupportedError,
    );
    const oddGuid = Buffer.concat([u16(22), u16(16), u32(4), u16(1), Buffer.alloc(14, 7)]);
    assert.throws(
      () => readWav(riff(fmt(0xfffe, 1, 8000, 16, oddGuid), chunk('data', new Uint8Array(8)))),
      WavUnsupportedError,
    );
  });

  it('rejects malformed files with WavFormatError', () => {
    assert.throws(() => readWav(new Uint8Array(4)), WavFormatError);
    assert.throws(() => readWav(new Uint8Array(Buffer.from('RIFX\0\0\0\0WAVE'))), WavFormatError);
    assert.throws(() => readWav(new Uint8Array(Buffer.from('RIFF\0\0\0\0AVI '))), WavFormatError);
    assert.throws(() => readWav(riff(chunk('data', new Uint8Array(4)))), /no fmt chunk/);
    assert.throws(() => readWav(riff(fmt(1, 1, 8000, 16))), /no data chunk/);
  });

  it('rejects every truncation of a valid file, or keeps whole frames when allowed', () => {
    const full = writeWav({
      sampleRate: 8000,
      channels: 2,
      samples: Int16Array.from({ length: 40 }, (_, i) => i * 100),
    });
    for (let cut = 0; cut < full.length; cut++) {
      const part = full.subarray(0, cut);
      assert.throws(() => readWav(part), WavFormatError, `cut at ${cut}`);
      if (cut >= 44) {
        const w = readWav(part, { allowTruncated: true });
        const frames = Math.floor((cut - 44) / 4);
        assert.deepEqual(
          w.samples,
          Int16Array.from({ length: frames * 2 }, (_, i) => i * 100),
        );
      }
    }
  });

  it('reads streaming-writer sizes (0xFFFFFFFF) as "to the end of the file"', () => {
    const bytes = riff(fmt(1, 1, 8000, 16), chunk('data', le16([5, 6, 7]), 0xffffffff));
    assert.deepEqual([...readWav(bytes).samples], [5, 6, 7]);
  });

  it('throws only DspError subclasses on arbitrary bytes (fuzz)', () => {
    const valid = writeWav({ sampleRate: 8000, channels: 1, samples: new Int16Array(20), encoding: 'alaw' });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(valid.length),
        (edits, cut) => {
          const bytes = valid.slice(0, Math.max(cut, 1));
          for (const [at, v] of edits) if (at < bytes.length) bytes[at] = v;
          try {
            readWav(bytes);
          } catch (e) {
            assert.ok(e instanceof DspError, String(e));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

const FFMPEG = '/usr/bin/ffmpeg';
const hasFfmpeg = existsSync(FFMPEG);

describe('WAV interop with ffmpeg', { skip: hasFfmpeg ? false : 'ffmpeg not installed' }, () => {
  const dir = hasFfmpeg ? mkdtempSync(join(tmpdir(), 'tsvoip-dsp-wav-')) : '';
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function ffmpeg(args: string[]): Buffer {
    const r = spawnSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], {
      timeout: 20_000,
      maxBuffer: 64 << 20,
    });
    assert.equal(r.status, 0, `ffmpeg ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }
  function probe(file: string): { codec_name: string; sample_rate: string; channels: number } {
    const r = spawnSync('/usr/bin/ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file], {
      timeout: 20_000,
    });
    assert.equal(r.status, 0, String(r.stderr));
    return JSON.parse(String(r.stdout)).streams[0];
  }
  const asInt16 = (b: Buffer) => new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));

  for (const [encoding, codec] of [
    ['pcm16', 'pcm_s16le'],
    ['mulaw', 'pcm_mulaw'],
    ['alaw', 'pcm_alaw'],
  ] as const) {
    it(`ffmpeg reads our ${encoding} stereo WAV and decodes the same samples`, () => {
      const samples = Int16Array.from({ length: 2 * 4000 }, (_, i) =>
        representable(encoding, Math.round(12000 * Math.sin(i * (i % 2 ? 0.05 : 0.031)))),
      );
      const file = join(dir, `ours-${encoding}.wav`);
      writeFileSync(file, writeWav({ sampleRate: 16000, channels: 2, samples, encoding }));
      const info = probe(file);
      assert.equal(info.codec_name, codec);
      assert.equal(info.sample_rate, '16000');
      assert.equal(info.channels, 2);
      const decoded = asInt16(ffmpeg(['-i', file, '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1']));
      assert.deepEqual(decoded, samples);
    });

    it(`we read ffmpeg's ${encoding} WAV (with its LIST chunk) as ffmpeg decodes it`, () => {
      const file = join(dir, `ffmpeg-${encoding}.wav`);
      const src = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000:duration=0.5', '-ac', '2'];
      ffmpeg(['-y', ...src, '-c:a', codec, file]);
      const w = readWav(new Uint8Array(readFileSync(file)));
      assert.equal(w.encoding, encoding);
      assert.equal(w.channels, 2);
      assert.equal(w.sampleRate, 8000);
      const reference = asInt16(ffmpeg(['-i', file, '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1']));
      assert.deepEqual(w.samples, reference);
    });
  }

  it("we read ffmpeg's WAVE_FORMAT_EXTENSIBLE (96 kHz) written to a pipe (sizes 0xFFFFFFFF)", () => {
    const wav = ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=1000:sample_rate=96000:duration=0.2',
      '-c:a',
      'pcm_s16le',
      '-f',
      'wav',
      'pipe:1',
    ]);
    assert.equal(wav.readUInt16LE(20), 0xfffe, 'ffmpeg wrote WAVE_FORMAT_EXTENSIBLE');
    const w = readWav(new Uint8Array(wav));
    assert.equal(w.sampleRate, 96000);
    assert.equal(w.samples.length, 19200);
    const raw = asInt16(
      ffmpeg([
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=1000:sample_rate=96000:duration=0.2',
        '-f',
        's16le',
        'pipe:1',
      ]),
    );
    assert.deepEqual(w.samples, raw);
  });
});
