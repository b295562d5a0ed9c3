/**
 * `npm run bench:uas`: sipp UAC (`bench/sipp/uac-bench.xml`, the built-in uac with reorder-tolerant
 * provisionals) against `tsvoip uas` on UDP, beside sipp UAC -> sipp UAS (the harness ceiling), in
 * the same run. Prints ONE table: highest clean calls/s (rate stepped until >1% of calls fail or
 * a retransmission appears), CPU per call (the UAS process's own utime+stime from /proc, median of
 * 5 runs at a fixed rate; also of bench/bare-uas.mjs, a node:dgram responder with no SIP stack:
 * Node's own UDP cost per call), RSS per 1,000 concurrent calls (calls held with sipp -d). Bounded to
 * about 3 minutes; every process is killed by PID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, '..', 'bin', 'tsvoip.mjs');
const ROOT = join(HERE, '..', '..', '..');
const SCENARIO = join(HERE, 'sipp', 'uac-bench.xml');
const UAS_PORT = 15090;
const UAC_PORT = 15091;
const HZ = 100; // USER_HZ (getconf CLK_TCK) on Linux
const STEPS = [1000, 2000, 4000, 6000, 8000, 10000, 12000, 15000, 20000];
const STEP_SECONDS = 3;
const CPU_RATE = 2000;
const CPU_RUNS = 5;
const RSS_RATE = 1000;
const RSS_HOLD_MS = 5000;
const WORK = mkdtempSync(join(tmpdir(), 'tsvoip-bench-uas-'));
const started = Date.now();
const live = new Set<ChildProcess>();

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function startProc(
  cmd: string,
  args: string[],
): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  return { child, out: () => out, exited };
}

/** utime + stime of a process (all threads), in ticks. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

function udpRcvbufErrors(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const names = lines[0]?.split(/\s+/) ?? [];
  const values = lines[1]?.split(/\s+/) ?? [];
  return Number(values[names.indexOf('RcvbufErrors')] ?? 0);
}

/** `bare`: bench/bare-uas.mjs, node:dgram with no SIP stack (Node's I/O floor). */
type Target = 'tsvoip' | 'tsvoip-ua' | 'sipp' | 'bare';

interface Uas {
  readonly pid: number;
  stop(): Promise<void>;
}

async function startUas(target: Target): Promise<Uas> {
  const p =
    target === 'sipp'
      ? startProc('sipp', [
          '-sn',
          'uas',
          '-i',
          '127.0.0.1',
          '-p',
          String(UAS_PORT),
          '-nostdin',
          '-timeout',
          '200s',
          '-buff_size',
          '4194304',
        ])
      : target === 'bare'
        ? startProc(process.execPath, [join(HERE, 'bare-uas.mjs'), String(UAS_PORT)])
        : startProc(process.execPath, [
            BIN,
            'uas',
            '--listen',
            `udp:127.0.0.1:${UAS_PORT}`,
            ...(target === 'tsvoip-ua' ? ['--engine', 'ua'] : []),
          ]);
  const deadline = Date.now() + 15_000;
  if (target === 'sipp') await sleep(500);
  else while (!p.out().includes('listening on') && Date.now() < deadline) await sleep(20);
  if (p.child.exitCode !== null || (target !== 'sipp' && !p.out().includes('listening on')))
    throw new Error(`${target} UAS did not start: ${p.out()}`);
  return {
    pid: p.child.pid as number,
    async stop() {
      p.child.kill('SIGTERM');
      const k = setTimeout(() => p.child.kill('SIGKILL'), 3000);
      await p.exited;
      clearTimeout(k);
    },
  };
}

interface RunResult {
  readonly rate: number;
  readonly created: number;
  readonly ok: number;
  readonly failed: number;
  readonly retrans: number;
  readonly achievedCps: number;
  readonly cpuMsPerCall: number;
  readonly rcvbufDrops: number;
}

/** One sipp UAC run of `count` calls at `rate` against the UAS; CPU of the UAS over the run. */
async function uacRun(uas: Uas, rate: number, count: number, extra: string[] = []): Promise<RunResult> {
  const stf = join(WORK, `uac-${rate}-${Date.now()}.csv`);
  const limit = Math.ceil(count / rate) + 6;
  const c0 = cpuTicks(uas.pid);
  const d0 = udpRcvbufErrors();
  const t0 = performance.now();
  const p = startProc('sipp', [
    '-sf',
    SCENARIO,
    `127.0.0.1:${UAS_PORT}`,
    '-s',
    'service',
    '-i',
    '127.0.0.1',
    '-p',
    String(UAC_PORT),
    '-r',
    String(rate),
    '-m',
    String(count),
    '-l',
    '20000',
    '-buff_size',
    '4194304',
    '-nostdin',
    '-timeout',
    `${limit}s`,
    '-trace_stat',
    '-stf',
    stf,
    '-fd',
    '1',
    ...extra,
  ]);
  const k = setTimeout(() => p.child.kill('SIGKILL'), (limit + 5) * 1000);
  await p.exited;
  clearTimeout(k);
  const wall = (performance.now() - t0) / 1000;
  const ticks = cpuTicks(uas.pid) - c0;
  const last = existsSync(stf) ? (readFileSync(stf, 'utf8').trim().split('\n').pop() ?? '') : '';
  const col = (i: number) => Number(last.split(';')[i - 1] ?? 0) || 0;
  const ok = col(16);
  return {
    rate,
    created: col(13),
    ok,
    failed: col(18),
    retrans: col(58),
    achievedCps: ok / wall,
    cpuMsPerCall: ok > 0 ? ((ticks / HZ) * 1000) / ok : Number.NaN,
    rcvbufDrops: udpRcvbufErrors() - d0,
  };
}

const clean = (r: RunResult) =>
  r.ok > 0 && r.failed / Math.max(1, r.created) <= 0.01 && r.retrans === 0 && r.ok >= r.created * 0.99;

async function step(target: Target): Promise<{ best: number; runs: RunResult[] }> {
  const uas = await startUas(target);
  const runs: RunResult[] = [];
  let best = 0;
  try {
    await uacRun(uas, 500, 1000); // warm-up (JIT)
    for (const rate of STEPS) {
      const r = await uacRun(uas, rate, rate * STEP_SECONDS);
      runs.push(r);
      progress(
        `${target} ${rate} cps: ok ${r.ok} failed ${r.failed} retrans ${r.retrans} achieved ${r.achievedCps.toFixed(0)} cpu/call ${r.cpuMsPerCall.toFixed(3)} ms drops ${r.rcvbufDrops}`,
      );
      if (!clean(r)) break;
      best = Math.round(r.achievedCps);
      await sleep(500);
    }
  } finally {
    await uas.stop();
  }
  return { best, runs };
}

async function cpuPerCall(target: Target): Promise<number> {
  const uas = await startUas(target);
  const values: number[] = [];
  try {
    await uacRun(uas, 500, 1000);
    for (let i = 0; i < CPU_RUNS; i++) values.push((await uacRun(uas, CPU_RATE, CPU_RATE * 2)).cpuMsPerCall);
  } finally {
    await uas.stop();
  }
  progress(`${target} cpu/call at ${CPU_RATE} cps: ${values.map((v) => v.toFixed(3)).join(' ')} ms`);
  return median(values);
}

/** RSS growth per 1,000 concurrent calls: hold RSS_RATE * RSS_HOLD_MS / 1000 calls with sipp -d. */
async function rssPer1000(target: Target): Promise<number> {
  const uas = await startUas(target);
  try {
    await uacRun(uas, 1000, 2000);
    await sleep(300);
    const base = rssBytes(uas.pid);
    const count = (RSS_RATE * RSS_HOLD_MS) / 1000;
    const run = uacRun(uas, RSS_RATE, count, ['-d', String(RSS_HOLD_MS)]);
    // All calls are up just before the first one ends.
    await sleep(RSS_HOLD_MS - 100);
    const peak = rssBytes(uas.pid);
    await run;
    const perK = ((peak - base) / count) * 1000;
    progress(
      `${target} rss: base ${(base / 2 ** 20).toFixed(1)} MB, with ${count} calls ${(peak / 2 ** 20).toFixed(1)} MB`,
    );
    return perK;
  } finally {
    await uas.stop();
  }
}

function median(xs: number[]): number {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
}

function progress(line: string): void {
  if (process.stderr.isTTY || process.env.BENCH_VERBOSE === '1')
    process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
}

/** Builds the CLI (tsc -b, incremental) so the launcher runs the compiled dist, as users do; falls back to source. */
async function build(): Promise<string> {
  const p = startProc(process.execPath, [
    join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-b',
    join(ROOT, 'packages', 'cli'),
  ]);
  const code = await p.exited;
  if (code === 0) return 'dist (tsc -b)';
  process.env.TSVOIP_FROM_SOURCE = '1';
  progress(`build failed, running from source: ${p.out().slice(0, 500)}`);
  return 'source (tsx; the build failed)';
}

async function main(): Promise<void> {
  const mode = await build();
  const tx = await step('tsvoip');
  const ceiling = await step('sipp');
  const ua = await step('tsvoip-ua');
  const cpuTx = await cpuPerCall('tsvoip');
  const cpuSipp = await cpuPerCall('sipp');
  const cpuUa = await cpuPerCall('tsvoip-ua');
  const cpuBare = await cpuPerCall('bare');
  const rssTx = await rssPer1000('tsvoip');
  const rssSipp = await rssPer1000('sipp');
  const mb = (b: number) => (b / 2 ** 20).toFixed(2);
  const rows: Array<[string, string, string, string, string]> = [
    [
      'highest clean calls/s, UDP (transaction engine)',
      String(tx.best),
      `${ceiling.best} (sipp UAS)`,
      (tx.best / ceiling.best).toFixed(2),
      '>= 8000',
    ],
    [
      'highest clean calls/s, UDP (--engine ua)',
      String(ua.best),
      `${ceiling.best} (sipp UAS)`,
      (ua.best / ceiling.best).toFixed(2),
      '-',
    ],
    [
      `UAS CPU per call, ms (${CPU_RATE} cps, median of ${CPU_RUNS})`,
      cpuTx.toFixed(3),
      `${cpuSipp.toFixed(3)} (sipp UAS)`,
      (cpuTx / cpuSipp).toFixed(1),
      '<= 0.1',
    ],
    [
      `UAS CPU per call, ms (${CPU_RATE} cps), vs bare node:dgram`,
      cpuTx.toFixed(3),
      `${cpuBare.toFixed(3)} (bare-uas.mjs)`,
      (cpuTx / cpuBare).toFixed(1),
      '-',
    ],
    [
      `UAS CPU per call, ms, --engine ua`,
      cpuUa.toFixed(3),
      `${cpuSipp.toFixed(3)} (sipp UAS)`,
      (cpuUa / cpuSipp).toFixed(1),
      '-',
    ],
    [
      `RSS per 1,000 concurrent calls, MB`,
      mb(rssTx),
      `${mb(rssSipp)} (sipp UAS)`,
      (rssTx / rssSipp).toFixed(1),
      '-',
    ],
  ];
  const head: [string, string, string, string, string] = [
    'metric',
    'tsvoip',
    'peer (same run)',
    'ratio',
    'goal',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(
    `tsvoip uas (${mode}) vs sipp, sipp UAC ${SCENARIO.split('/').pop()} on 127.0.0.1 UDP; ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  const fmt = (name: string, s: { runs: RunResult[] }) =>
    `${name}: ${s.runs.map((r) => `${r.rate}:${r.ok}ok/${r.failed}f/${r.retrans}rt/${r.achievedCps.toFixed(0)}cps/${r.cpuMsPerCall.toFixed(3)}ms`).join(' ')}`;
  console.log(
    `steps (rate:ok/failed/retrans/achieved/cpu per call): ${fmt('tsvoip', tx)}; ${fmt('sipp', ceiling)}; ${fmt('tsvoip-ua', ua)}`,
  );
  console.log(
    `clean = <=1% failed and no retransmission; ${STEP_SECONDS} s per step; ${((Date.now() - started) / 1000).toFixed(0)} s in all`,
  );
}

const watchdog = setTimeout(() => {
  process.stderr.write('bench:uas: over its 240 s bound, stopping\n');
  for (const c of live) c.kill('SIGKILL');
  process.exit(1);
}, 240_000);
try {
  await main();
} finally {
  clearTimeout(watchdog);
  for (const c of live) c.kill('SIGKILL');
  rmSync(WORK, { recursive: true, force: true });
}
