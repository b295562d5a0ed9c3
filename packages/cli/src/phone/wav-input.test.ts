import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeWav } from '@tsvoip/dsp';
import fc from 'fast-check';
import { CliUsageError } from '../errors.js';
import { mixToMono, readPlayFile } from './wav-input.js';

describe('phone --play input', () => {
  it('mixing identical channels gives the channel back', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 4 }),
        (mono, channels) => {
          const interleaved = new Int16Array(mono.length * channels);
          for (let i = 0; i < mono.length; i++)
            for (let c = 0; c < channels; c++) interleaved[i * channels + c] = mono[i];
          assert.deepEqual([...mixToMono(interleaved, channels)], mono);
        },
      ),
    );
  });

  it('a 44.1 kHz stereo WAV is read as mono at 44.1 kHz', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phone-wav-'));
    const path = join(dir, 's.wav');
    writeFileSync(
      path,
      writeWav({ sampleRate: 44_100, channels: 2, samples: Int16Array.from([100, 300, -50, -150]) }),
    );
    const a = await readPlayFile(path);
    assert.equal(a.sampleRate, 44_100);
    assert.deepEqual([...a.samples], [200, -100]);
  });

  it('a missing file or a file that is not a WAV is a usage error naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phone-wav-'));
    await assert.rejects(
      readPlayFile(join(dir, 'none.wav')),
      (e: unknown) => e instanceof CliUsageError && /ENOENT/.test(e.message),
    );
    const junk = join(dir, 'junk.wav');
    writeFileSync(junk, 'hello, not a wav');
    await assert.rejects(
      readPlayFile(junk),
      (e: unknown) => e instanceof CliUsageError && e.message.startsWith(`--play ${junk}:`),
    );
  });
});
