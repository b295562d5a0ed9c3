/**
 * Benchmark of the softphone path (`@tsvoip/session` UA, as `tsvoip phone` drives it) against
 * baresip 1.0.0 as the peer, measured in the same run against the same baresip callee
 * (auto-answer, PCMU, playing a tone) on loopback:
 *   - call set-up: INVITE sent → call answered (tsvoip: `ua.call()`; baresip: ctrl_tcp `dial` →
 *     CALL_ESTABLISHED);
 *   - CPU per call-second of the caller while a tone is sent and the far end's audio is decoded
 *     and recorded (tsvoip: this process's `cpuUsage`; baresip: its /proc utime+stime).
 * Run: node --conditions=source --import tsx bench/phone.ts  (needs baresip on PATH)
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUserAgent } from '@tsvoip/session';
import { writeToneWav } from '../../../test/interop/baresip/audio.js';
import { Baresip } from '../../../test/interop/baresip/baresip.js';

const RUNS = 7;
const WARMUP = 2;
const CALL_S = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** utime + stime of a process, ms (Linux /proc). */
function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[11], fields[12] are utime and stime (the 14th and 15th of stat) in clock ticks (100 Hz).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const dir = mkdtempSync(join(tmpdir(), 'tsvoip-bench-phone-'));
const tone8k = join(dir, 'tone.wav');
writeToneWav(tone8k, 1600, 8000, 1, 120);
const callerTone = join(dir, 'caller.wav');
writeToneWav(callerTone, 1000, 8000, 1, 120);
const callee = await Baresip.start({
  dir: join(dir, 'callee'),
  sipPort: 15140,
  rtpPorts: '21000-21099',
  codec: 'PCMU',
  toneWav: tone8k,
  autoAnswer: true,
  quitAfterS: 110,
});
const peer = await Baresip.start({
  dir: join(dir, 'caller'),
  sipPort: 15136,
  rtpPorts: '21100-21199',
  codec: 'PCMU',
  toneWav: callerTone,
  autoAnswer: false,
  quitAfterS: 110,
  user: 'peer',
});
const ua = await createUserAgent({
  uri: 'sip:tsvoip@127.0.0.1',
  sip: { host: '127.0.0.1', port: 15144 },
  media: { portMin: 21200, portMax: 21299, codecs: ['PCMU'] },
});
const tone = new Int16Array(8000 * (CALL_S + 2));
for (let i = 0; i < tone.length; i++) tone[i] = Math.round(16000 * Math.sin((2 * Math.PI * 1000 * i) / 8000));

const setup = { tsvoip: [] as number[], baresip: [] as number[] };
const cpu = { tsvoip: [] as number[], baresip: [] as number[] };
try {
  for (let run = 0; run < RUNS + WARMUP; run++) {
    // tsvoip
    let t0 = performance.now();
    const call = await ua.call(callee.uri);
    const tSetup = performance.now() - t0;
    call.record(join(dir, 'tsvoip-heard.wav'));
    void call.play(tone, { sampleRate: 8000 }).catch(() => undefined);
    const c0 = process.cpuUsage();
    await sleep(CALL_S * 1000);
    const c1 = process.cpuUsage(c0);
    await call.hangup();
    await sleep(300);
    // baresip
    const before = peer.events.length;
    t0 = performance.now();
    await peer.command('dial', callee.uri);
    for (;;) {
      if (peer.events.slice(before).some((e) => e.type === 'CALL_ESTABLISHED')) break;
      await sleep(1);
    }
    const bSetup = performance.now() - t0;
    const p0 = procCpuMs(peer.child.pid ?? 0);
    await sleep(CALL_S * 1000);
    const p1 = procCpuMs(peer.child.pid ?? 0);
    await peer.command('hangup');
    await sleep(300);
    if (run < WARMUP) continue;
    setup.tsvoip.push(tSetup);
    setup.baresip.push(bSetup);
    cpu.tsvoip.push((c1.user + c1.system) / 1000 / CALL_S);
    cpu.baresip.push((p1 - p0) / CALL_S);
  }
} finally {
  await ua.close();
  await peer.stop();
  await callee.stop();
}

const rows = [
  ['call set-up (INVITE → answered), ms', median(setup.tsvoip), median(setup.baresip), '-'],
  [
    'caller CPU per call-second, ms (tone out, decode + record in)',
    median(cpu.tsvoip),
    median(cpu.baresip),
    '-',
  ],
] as const;
console.log(
  `tsvoip phone vs baresip 1.0.0 (peer, same run), PCMU on loopback, median of ${RUNS} after ${WARMUP} warm-up; ` +
    `${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, load ${loadavg()[0].toFixed(1)}`,
);
console.log('| metric | tsvoip | baresip | ratio | goal |');
console.log('| --- | --- | --- | --- | --- |');
for (const [metric, t, b, goal] of rows)
  console.log(`| ${metric} | ${t.toFixed(2)} | ${b.toFixed(2)} | ${(t / b).toFixed(2)}× | ${goal} |`);
console.log(
  '(no goal in the issue. Set-up: baresip is timed from its ctrl_tcp command, one loopback TCP round trip more. ' +
    'CPU: not a like-for-like figure: headless baresip (aufile source, ALSA null PCM player, no sound card) ' +
    'burns CPU during calls and none when idle, so its figure is set by that audio I/O; ours is this whole ' +
    'process: UA, media driver, recorder.)',
);
