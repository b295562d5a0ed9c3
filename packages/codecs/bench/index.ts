// Codec benchmark: tsvoip vs peers measured in the same run. Prints one table.
// Run: npm run bench -w @tsvoip/codecs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import alawmulaw from 'alawmulaw';
import OpusScript from 'opusscript';
import {
  decodeAlaw,
  decodeMulaw,
  encodeAlaw,
  encodeMulaw,
  G722Decoder,
  G722Encoder,
  OpusCodec,
} from '../src/index.js';
import { speechLike } from '../src/signals.test-helper.js';

const { alaw, mulaw } = alawmulaw;

const RUNS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** CPU seconds (user + system) used by this process so far. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Median ×realtime of `fn` processing `audioSeconds` of audio, after a warm-up. Measured in CPU time of this
 * process, like ffmpeg's utime below, so that other load on the machine does not skew the comparison.
 */
function realtime(audioSeconds: number, fn: () => void): number {
  fn();
  fn();
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = cpuSeconds();
    fn();
    rates.push(audioSeconds / Math.max(cpuSeconds() - t0, 1e-6));
  }
  return median(rates);
}

// ---- G.711: encode + decode of 20 ms frames (160 samples)
const pcm8k = speechLike(8000, 8000 * 60);
const frames8k: Int16Array[] = [];
for (let i = 0; i < pcm8k.length; i += 160) frames8k.push(pcm8k.subarray(i, i + 160));
const g711Repeat = 10;
const g711Seconds = 60 * g711Repeat;
const bytesOut = new Uint8Array(160);
const pcmOut = new Int16Array(160);
const g711 = {
  mulaw: {
    ours: realtime(g711Seconds, () => {
      for (let r = 0; r < g711Repeat; r++)
        for (const f of frames8k) decodeMulaw(encodeMulaw(f, bytesOut), pcmOut);
    }),
    peer: realtime(g711Seconds, () => {
      for (let r = 0; r < g711Repeat; r++) for (const f of frames8k) mulaw.decode(mulaw.encode(f));
    }),
  },
  alaw: {
    ours: realtime(g711Seconds, () => {
      for (let r = 0; r < g711Repeat; r++)
        for (const f of frames8k) decodeAlaw(encodeAlaw(f, bytesOut), pcmOut);
    }),
    peer: realtime(g711Seconds, () => {
      for (let r = 0; r < g711Repeat; r++) for (const f of frames8k) alaw.decode(alaw.encode(f));
    }),
  },
};

// ---- G.722: ours on 60 s of 16 kHz audio in 20 ms frames; ffmpeg on 10 minutes, one thread.
const pcm16k = speechLike(16000, 16000 * 60);
const g722Bytes = new G722Encoder().encode(pcm16k);
const g722Out = new Uint8Array(160);
const g722Pcm = new Int16Array(320);
const g722Enc = realtime(60, () => {
  const enc = new G722Encoder();
  for (let i = 0; i < pcm16k.length; i += 320) enc.encode(pcm16k.subarray(i, i + 320), g722Out);
});
const g722Dec = realtime(60, () => {
  const dec = new G722Decoder();
  for (let i = 0; i < g722Bytes.length; i += 160) dec.decode(g722Bytes.subarray(i, i + 160), g722Pcm);
});

/** ffmpeg's user CPU seconds (`-benchmark` utime) for one command. */
function ffmpegUtime(args: string[]): number {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostdin', '-benchmark', '-threads', '1', '-y', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const m = /utime=([\d.]+)s/.exec(r.stdout + r.stderr);
  if (r.status !== 0 || !m) throw new Error(`ffmpeg failed: ${r.stderr}`);
  return Number(m[1]);
}

const dir = mkdtempSync(join(tmpdir(), 'tsvoip-bench-'));
let ffEnc = Number.NaN;
let ffDec = Number.NaN;
try {
  const long = new Int16Array(16000 * 600);
  for (let i = 0; i < 10; i++) long.set(pcm16k, i * pcm16k.length);
  const raw = join(dir, 'in.raw');
  const g722 = join(dir, 'in.g722');
  writeFileSync(raw, new Uint8Array(long.buffer));
  writeFileSync(g722, new G722Encoder().encode(long));
  const inRaw = ['-f', 's16le', '-ar', '16000', '-ac', '1', '-i', raw];
  // Codec time = utime(transcode) − utime(same I/O with -c copy): the demux/mux/file cost is not the codec's.
  const enc: number[] = [];
  const dec: number[] = [];
  for (let r = 0; r < 5; r++) {
    const copyRaw = ffmpegUtime([...inRaw, '-c:a', 'copy', '-f', 's16le', join(dir, 'copy.raw')]);
    enc.push(ffmpegUtime([...inRaw, '-c:a', 'g722', '-f', 'g722', join(dir, 'out.g722')]) - copyRaw);
    const copyG722 = ffmpegUtime([
      '-f',
      'g722',
      '-i',
      g722,
      '-c:a',
      'copy',
      '-f',
      'g722',
      join(dir, 'copy.g722'),
    ]);
    dec.push(ffmpegUtime(['-f', 'g722', '-i', g722, '-f', 's16le', join(dir, 'out.raw')]) - copyG722);
  }
  ffEnc = 600 / Math.max(median(enc), 0.001);
  ffDec = 600 / Math.max(median(dec), 0.001);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// ---- Opus: 48 kHz mono, 20 ms, 32 kbit/s, complexity 9, VoIP; libopus WASM via @evan/opus vs opusscript.
const pcm48k = speechLike(48000, 48000 * 10);
const opusFrames: Int16Array[] = [];
for (let i = 0; i < pcm48k.length; i += 960) opusFrames.push(pcm48k.subarray(i, i + 960));
const ours = new OpusCodec({ bitrate: 32000, complexity: 9, fec: false });
const packets = opusFrames.map((f) => ours.encode(f));
const opusOut = new Uint8Array(4000);
const opusPcm = new Int16Array(960);
const opusEncOurs = realtime(10, () => {
  for (const f of opusFrames) ours.encode(f, opusOut);
});
const opusDecOurs = realtime(10, () => {
  for (const p of packets) ours.decode(p, opusPcm);
});
const os = new OpusScript(48000, 1, OpusScript.Application.VOIP);
os.setBitrate(32000);
os.encoderCTL(4010, 9);
const opusBuffers = opusFrames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength));
const osPackets = opusBuffers.map((b) => os.encode(b, 960));
const opusEncPeer = realtime(10, () => {
  for (const b of opusBuffers) os.encode(b, 960);
});
const opusDecPeer = realtime(10, () => {
  for (const p of osPackets) os.decode(p);
});
ours.destroy();
os.delete();

// ---- table
const x = (v: number) => `${Math.round(v).toLocaleString('en-US')}×`;
const rows: [string, number, number, string, string][] = [
  ['G.711 µ-law enc+dec, 20 ms frames (×realtime)', g711.mulaw.ours, g711.mulaw.peer, 'alawmulaw', '≥ 5×'],
  ['G.711 A-law enc+dec, 20 ms frames (×realtime)', g711.alaw.ours, g711.alaw.peer, 'alawmulaw', '≥ 5×'],
  ['G.722 encode, 20 ms frames (×realtime)', g722Enc, ffEnc, 'ffmpeg g722 (C)', '≥ 0.5×'],
  ['G.722 decode, 20 ms frames (×realtime)', g722Dec, ffDec, 'ffmpeg g722 (C)', '≥ 0.5×'],
  ['Opus encode 48k mono 32 kbit/s (×realtime)', opusEncOurs, opusEncPeer, 'opusscript', 'report'],
  ['Opus decode 48k mono 32 kbit/s (×realtime)', opusDecOurs, opusDecPeer, 'opusscript', 'report'],
];
const cpu = cpus();
console.log(
  `@tsvoip/codecs benchmark — ${cpu.length} cores (${cpu[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ` +
    `CPU time, median of ${RUNS} runs after warm-up; ffmpeg: -threads 1, utime(codec) − utime(-c copy), median of 5`,
);
console.log('| metric | tsvoip | peer | ratio | goal |');
console.log('| --- | ---: | ---: | ---: | --- |');
for (const [metric, a, b, peer, goal] of rows) {
  console.log(`| ${metric} | ${x(a)} | ${x(b)} (${peer}) | ${(a / b).toFixed(2)} | ${goal} |`);
}
