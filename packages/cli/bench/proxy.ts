/**
 * `npm run bench:proxy -w @tsvoip/cli`: sipp UAC -> `tsvoip pbx` -> sipp UAS over UDP on loopback,
 * through a static route (a trunk for the UAS's domain), the sipp source trusted (no digest).
 * Phase 1 measures CPU per proxied call (the PBX process's own utime+stime from /proc) at a fixed
 * rate, median of 5 runs, in turns with Kamailio (../shared/peers) when it is installed; phase 2
 * steps the call rate until more than 1% of calls fail or retransmissions appear, for both.
 * Bounded to under 3 minutes. Uses ../shared/peers/sipp-bench.sh for the sipp side.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PEERS = join(ROOT, '..', 'shared', 'peers');
const BENCH_SH = join(PEERS, 'sipp-bench.sh');
const KAM_SH = join(PEERS, 'kamailio-start.sh');
const PBX_PORT = 15190;
const UAS = '127.0.0.1:15191';
const UAC_PORT = '15192';
const STEPS = [250, 500, 1000, 1500, 2000, 3000];
const STEP_SECONDS = 4;
const CPU_RATE = 500;
const CPU_SECONDS = 3;
const CPU_RUNS = 5;
const DEADLINE = Date.now() + 170_000;
const HZ = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface Summary {
  readonly ok: number;
  readonly failed: number;
  readonly created: number;
  readonly uacRetrans: number;
  readonly uasRetrans: number;
  readonly wall: number;
  readonly kamCpuPct: number | undefined;
}

function field(line: string, name: string): string | undefined {
  const m = new RegExp(`(?:^| )${name}=(\\S+)`).exec(line);
  return m?.[1];
}

function runBench(target: string, rate: number, seconds: number): Summary {
  const r = spawnSync('bash', [BENCH_SH, target, String(rate), String(rate * seconds)], {
    env: { ...process.env, UAS, UAC_PORT },
    encoding: 'utf8',
    timeout: (seconds + 40) * 1000,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const num = (n: string) => {
    const v = Number.parseFloat(field(line, n) ?? 'NaN');
    return Number.isFinite(v) ? v : 0;
  };
  const kam = field(line, 'kam_cpu');
  return {
    ok: num('ok'),
    failed: num('failed'),
    created: num('created'),
    uacRetrans: num('uac_retrans'),
    uasRetrans: num('uas_retrans'),
    wall: num('wall_s'),
    kamCpuPct: kam === undefined || kam === 'n/a' ? undefined : Number.parseFloat(kam),
  };
}

function clean(s: Summary): boolean {
  return s.ok > 0 && s.failed / Math.max(1, s.created) <= 0.01 && s.uacRetrans === 0 && s.uasRetrans === 0;
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? Number.NaN : Number(m[1]) / 1024;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length === 0
    ? Number.NaN
    : s.length % 2 === 1
      ? (s[mid] as number)
      : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function startPbx(dir: string): Promise<ChildProcess> {
  const config = join(dir, 'pbx.yaml');
  writeFileSync(
    config,
    [
      `listen: [udp:127.0.0.1:${PBX_PORT}]`,
      `dataDir: ${JSON.stringify(dir)}`,
      'database: memory://',
      'domains: [pbx.bench]',
      'trusted: [127.0.0.1]',
      'demoUsers: false',
      'trunks:',
      `  - { name: uas, address: "${UAS}", domains: ["127.0.0.1"] }`,
      'log: { level: error }',
    ].join('\n'),
  );
  const child = spawn(
    process.execPath,
    [join(ROOT, 'packages/cli/bin/tsvoip.mjs'), 'pbx', '--config', config],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error('pbx did not start in 30 s')), 30_000);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('tsvoip pbx listening on')) {
        clearTimeout(t);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`pbx exited ${code}`)));
  });
  return child;
}

async function stopPbx(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const k = setTimeout(() => child.kill('SIGKILL'), 5000);
  await done;
  clearTimeout(k);
}

/**
 * The highest step rate `target` carries cleanly (0: none), stopping before `deadline` or above
 * `cap`. The machine is shared: a step that fails narrowly (at most 5% of calls) is tried once more.
 */
function stepRates(target: string, name: string, deadline: number, cap = Infinity): string {
  let best = 0;
  for (const rate of STEPS) {
    if (rate > cap) return `${best} (capped)`;
    if (Date.now() + 25_000 > deadline) return `${best} (${rate} not tried: time)`;
    let s = runBench(target, rate, STEP_SECONDS);
    if (!clean(s) && s.failed / Math.max(1, s.created) <= 0.05) s = runBench(target, rate, STEP_SECONDS);
    process.stderr.write(
      `${name} ${rate} cps: ok ${s.ok} failed ${s.failed} retrans ${s.uacRetrans}/${s.uasRetrans}\n`,
    );
    if (!clean(s)) return `${best}`;
    best = rate;
  }
  return `${best}+`;
}

function fmt(n: number | undefined, digits = 0): string {
  return n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits);
}

async function main(): Promise<void> {
  if (spawnSync('which', ['sipp']).status !== 0 || !existsSync(BENCH_SH)) {
    console.log('bench:proxy needs sipp and ../shared/peers/sipp-bench.sh');
    return;
  }
  const kamailio = spawnSync('which', ['kamailio']).status === 0 && existsSync(KAM_SH);
  const dir = mkdtempSync(join(tmpdir(), 'tsvoip-bench-proxy-'));
  const pbx = await startPbx(dir);
  const pid = pbx.pid as number;
  const rssStart = rssMb(pid);
  const tsTarget = `127.0.0.1:${PBX_PORT}`;
  // Kamailio runs beside the PBX for the whole run (idle while the PBX is measured), so the CPU
  // runs of both alternate: the load other processes put on the machine hits both alike.
  const kamUp =
    kamailio && spawnSync('bash', [KAM_SH, 'start'], { encoding: 'utf8', timeout: 30_000 }).status === 0;
  let maxClean = '0';
  let kamMax: string | undefined;
  const tsCpu: number[] = [];
  const kamCpu: number[] = [];
  let rss = Number.NaN;
  try {
    // Warm-up (JIT), then phase 1: CPU per call at a fixed rate, tsvoip and Kamailio in turns.
    runBench(tsTarget, 200, 2);
    if (kamUp) runBench('127.0.0.1:5070', 200, 2);
    for (let i = 0; i < CPU_RUNS; i++) {
      const t0 = cpuTicks(pid);
      const s = runBench(tsTarget, CPU_RATE, CPU_SECONDS);
      const ms = ((cpuTicks(pid) - t0) / HZ) * 1000;
      if (s.ok > 0) tsCpu.push(ms / s.ok);
      if (!kamUp) continue;
      const k = runBench('127.0.0.1:5070', CPU_RATE, CPU_SECONDS);
      if (k.ok > 0 && k.kamCpuPct !== undefined) kamCpu.push(((k.kamCpuPct / 100) * k.wall * 1000) / k.ok);
    }
    rss = rssMb(pid);
    // Phase 2: step the rate until more than 1% of calls fail or retransmissions appear.
    maxClean = stepRates(tsTarget, 'tsvoip', DEADLINE - (kamUp ? 30_000 : 0));
    const cap = Math.max(Number.parseInt(maxClean, 10) * 2, 1000);
    if (kamUp) kamMax = stepRates('127.0.0.1:5070', 'kamailio', DEADLINE, cap);
  } finally {
    await stopPbx(pbx);
    rmSync(dir, { recursive: true, force: true });
    if (kamUp) spawnSync('bash', [KAM_SH, 'stop'], { timeout: 15_000 });
  }

  const tsCpuMs = median(tsCpu);
  const kamCpuMs = kamCpu.length > 0 ? median(kamCpu) : undefined;
  // Installed but not measured: it did not start (e.g. another Kamailio holds 5070).
  const peer = (v: string) => (!kamailio ? 'not installed' : kamCpu.length === 0 ? 'unavailable' : v);
  const rows: string[][] = [
    ['metric', 'tsvoip pbx', 'peer: Kamailio 5.6 (same run)', 'ratio', 'goal'],
    [
      `max clean rate (cps, steps ${STEPS.join('/')}, ${STEP_SECONDS} s)`,
      maxClean,
      peer(kamMax ?? '-'),
      kamMax ? fmt(Number.parseInt(maxClean, 10) / Number.parseInt(kamMax, 10), 2) : '-',
      '-',
    ],
    [
      `CPU per proxied call (ms, ${CPU_RATE} cps, median of ${tsCpu.length}/${kamCpu.length} runs)`,
      fmt(tsCpuMs, 3),
      peer(fmt(kamCpuMs, 3)),
      kamCpuMs ? fmt(tsCpuMs / kamCpuMs, 1) : '-',
      '<= 2x Kamailio',
    ],
    [
      'PBX RSS at start / after the CPU runs (MB; PGlite memory:// included)',
      `${fmt(rssStart, 0)} / ${fmt(rss, 0)}`,
      peer('-'),
      '-',
      '-',
    ],
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}`);
  console.log(line(rows[0] as string[]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}

await main();
