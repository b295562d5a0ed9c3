// Runs the system ffmpeg on raw buffers in a temporary directory (tests and benchmarks only).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Writes `input` to `in.<inExt>`, runs `ffmpeg -y <inputArgs> -i in <outputArgs> out.<outExt>` with a time
 * bound, returns the output bytes and removes the directory.
 */
export function runFfmpeg(
  input: Uint8Array,
  inputArgs: string[],
  outputArgs: string[],
  exts: { in: string; out: string } = { in: 'raw', out: 'raw' },
): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'tsvoip-codecs-'));
  try {
    const inPath = join(dir, `in.${exts.in}`);
    const outPath = join(dir, `out.${exts.out}`);
    writeFileSync(inPath, input);
    const r = spawnSync(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-y', ...inputArgs, '-i', inPath, ...outputArgs, outPath],
      { timeout: 30_000, encoding: 'utf8' },
    );
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`ffmpeg exited ${r.status}: ${r.stderr}`);
    return new Uint8Array(readFileSync(outPath));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Views 16-bit PCM as bytes (little-endian hosts). */
export function pcmBytes(pcm: Int16Array): Uint8Array {
  return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

/** Copies little-endian bytes into a new Int16Array. */
export function bytesToPcm(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length >> 1);
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.length * 2));
  return out;
}
