/**
 * @tsvoip/dsp benchmark: resampler, mixer, DTMF detector and VAD throughput as × real time on one
 * core. Peers, measured in the same run: ffmpeg's swresample (aresample filter) for the resampler,
 * with its process start-up subtracted; a straightforward allocate-per-frame JS mixer for the mixer.
 *
 * Run: npm run bench -w @tsvoip/dsp
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConferenceMixer, createResampler, DtmfDetector, Vad } from '../src/index.js';

const RUNS = 5;
const PEER_SECONDS = 600;
const FFMPEG = '/usr/bin/ffmpeg';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median seconds of `fn` over RUNS runs after one warm-up. */
function time(fn: () => void): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    fn();
    t.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return median(t);
}

/** Speech-band test signal: a few sines plus noise, seconds × rate samples. */
function signal(rate: number, seconds: number): Int16Array {
  const out = new Int16Array(rate * seconds);
  let seed = 12345;
  for (let n = 0; n < out.length; n++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const t = n / rate;
    out[n] = Math.round(
      6000 * Math.sin(2 * Math.PI * 440 * t) +
        3000 * Math.sin(2 * Math.PI * 1777 * t) +
        (seed / 0x7fffffff - 0.5) * 2000,
    );
  }
  return out;
}

function tsvoipResample(from: number, to: number, x: Int16Array): () => void {
  const frameIn = from / 50; // 20 ms
  const out = new Int16Array(Math.ceil((frameIn * to) / from) + 2);
  return () => {
    const r = createResampler(from, to);
    for (let i = 0; i + frameIn <= x.length; i += frameIn) r.process(x.subarray(i, i + frameIn), out);
  };
}

/**
 * Seconds ffmpeg spends resampling `seconds` of audio from `file`: the run with the aresample filter
 * minus the same run with a pass-through filter (start-up, file reading and output are common to
 * both). The filter is set to our length (64 taps at the lower rate) and cut-off (its Nyquist).
 */
function ffmpegSeconds(from: number, to: number, file: string): number | null {
  if (!existsSync(FFMPEG)) return null;
  const run = (filter: string) => () => {
    const r = spawnSync(
      FFMPEG,
      ['-nostdin', '-v', 'error', '-f', 's16le', '-ar', String(from), '-ac', '1', '-i', file].concat([
        '-af',
        filter,
        '-f',
        's16le',
        '-y',
        '/dev/null',
      ]),
      { timeout: 120_000 },
    );
    if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
  };
  const withFilter = time(run(`aresample=${to}:filter_size=64:cutoff=1`));
  const passThrough = time(run('anull'));
  return Math.max(1e-6, withFilter - passThrough);
}

function naiveMixer(participants: number, frame: number, inputs: Int16Array[]): () => void {
  return () => {
    // allocate-per-frame, Number arrays, clamp per output: how mixing is often first written
    const outs: Int16Array[] = [];
    for (let i = 0; i < participants; i++) {
      const acc = new Array<number>(frame).fill(0);
      for (let j = 0; j < participants; j++) {
        if (j === i) continue;
        for (let n = 0; n < frame; n++) acc[n] += inputs[j][n];
      }
      outs.push(Int16Array.from(acc, (v) => Math.max(-32768, Math.min(32767, v))));
    }
    if (outs.length !== participants) throw new Error('unreachable');
  };
}

type Row = [metric: string, tsvoip: string, peer: string, ratio: string, goal: string];
const rows: Row[] = [];
const x = (v: number) => `${v >= 100 ? v.toFixed(0) : v.toFixed(1)}×`;

const dir = mkdtempSync(join(tmpdir(), 'tsvoip-dsp-bench-'));
try {
  const SECONDS = 30;
  for (const [from, to] of [
    [8000, 48000],
    [48000, 8000],
    [16000, 8000],
    [8000, 16000],
    [44100, 8000],
  ]) {
    const input = signal(from, SECONDS);
    const ours = SECONDS / time(tsvoipResample(from, to, input));
    // ffmpeg gets 10 minutes of audio so its resampling time dominates the run-to-run noise.
    const file = join(dir, `in-${from}.raw`);
    const long = signal(from, PEER_SECONDS);
    writeFileSync(file, new Uint8Array(long.buffer));
    const peerSec = ffmpegSeconds(from, to, file);
    rmSync(file);
    const peer = peerSec === null ? null : PEER_SECONDS / peerSec;
    rows.push([
      `resample ${from / 1000}k→${to / 1000}k, 20 ms frames (× real time)`,
      x(ours),
      peer === null ? 'n/a' : `${x(peer)} ffmpeg swr`,
      peer === null ? '—' : (ours / peer).toFixed(2),
      '≥ 50× (one core, 50 calls)',
    ]);
  }

  const P = 10;
  const FRAME = 160;
  const frames = 50 * SECONDS; // 30 s of 20 ms frames
  const inputs = Array.from({ length: P }, (_, i) => signal(8000, 1).subarray(i * 160, i * 160 + FRAME));
  const mixer = new ConferenceMixer({ participants: P, frameSize: FRAME });
  const oursMix =
    SECONDS /
    time(() => {
      for (let f = 0; f < frames; f++) mixer.mix(inputs);
    });
  const naive = naiveMixer(P, FRAME, inputs);
  const peerMix =
    SECONDS /
    time(() => {
      for (let f = 0; f < frames; f++) naive();
    });
  rows.push([
    `mix ${P} parties N−1, 8 kHz 20 ms (× real time)`,
    x(oursMix),
    `${x(peerMix)} naive JS`,
    (oursMix / peerMix).toFixed(2),
    '≥ 1000×',
  ]);

  const tones = signal(8000, SECONDS);
  const dtmf =
    SECONDS /
    time(() => {
      const d = new DtmfDetector();
      for (let i = 0; i < tones.length; i += 160) d.process(tones.subarray(i, i + 160));
    });
  rows.push(['DTMF detector, 8 kHz (× real time)', x(dtmf), 'n/a', '—', '≥ 200×']);
  const vad =
    SECONDS /
    time(() => {
      const v = new Vad();
      for (let i = 0; i < tones.length; i += 160) v.process(tones.subarray(i, i + 160));
    });
  rows.push(['VAD, 8 kHz (× real time)', x(vad), 'n/a', '—', '≥ 1000×']);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const cpu = cpus();
console.log(
  `@tsvoip/dsp bench — ${cpu.length} cores (${cpu[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ` +
    `median of ${RUNS} runs after warm-up; ffmpeg: aresample filter_size=64 cutoff=1, time net of a pass-through run`,
);
const header: Row = ['metric', 'tsvoip', 'peer', 'ratio', 'goal'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: Row) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
