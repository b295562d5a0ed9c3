/**
 * Proxy benchmark. Prints ONE table: metric | tsvoip | peer | ratio | goal.
 *
 * 1. In-process: full calls (INVITE/180/200/ACK/BYE/200) through the stateful core, no sockets.
 * 2. End to end on loopback UDP (when ../shared/peers and sipp are there): SIPp UAC → proxy →
 *    SIPp UAS at a fixed offered rate, through the tsvoip proxy (a Node process) and through
 *    Kamailio 5.6 (the peer), alternately in the same run; proxy CPU measured from /proc.
 * Median of RUNS (default 5) after a warm-up. Env: RUNS, RATE (default 500), COUNT (default 3000),
 * PROXY_PORT (15272), UAS (127.0.0.1:15280), UAC_PORT (15290), PEERS_RUN_DIR (/tmp/peers-run-proxy).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCoreCalls } from './core.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PEERS = join(HERE, '../../../../shared/peers');
const RUNS = Number(process.env.RUNS ?? 5);
const RATE = Number(process.env.RATE ?? 500);
const COUNT = Number(process.env.COUNT ?? 3000);
const TS_PORT = Number(process.env.PROXY_PORT ?? 15272);
// Own SIPp ports and run directory, so other benchmarks on the machine do not collide with ours.
const SIPP_ENV = {
  ...process.env,
  UAS: process.env.UAS ?? '127.0.0.1:15280',
  UAC_PORT: process.env.UAC_PORT ?? '15290',
  PEERS_RUN_DIR: process.env.PEERS_RUN_DIR ?? '/tmp/peers-run-proxy',
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[(s.length - 1) >> 1];
}

function ticks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime (clock ticks, 100/s)
}

interface SippResult {
  readonly ok: number;
  readonly failed: number;
  readonly cps: number;
  readonly rtMs: number;
  readonly wallS: number;
  readonly kamCpu: number;
  readonly retrans: number;
}

function sipp(target: string): SippResult | undefined {
  const r = spawnSync('bash', [join(PEERS, 'sipp-bench.sh'), target, String(RATE), String(COUNT)], {
    encoding: 'utf8',
    env: SIPP_ENV,
    timeout: (COUNT / RATE + 60) * 1000,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('target='));
  if (line === undefined) {
    process.stderr.write(`sipp-bench gave no summary: ${r.stderr.slice(-400)}\n`);
    return undefined;
  }
  const kv = new Map(line.split(' ').map((p) => p.split('=') as [string, string]));
  const num = (k: string) => Number.parseFloat(kv.get(k) ?? 'NaN');
  return {
    ok: num('ok'),
    failed: num('failed'),
    cps: num('achieved_cps'),
    rtMs: num('rt_ms'),
    wallS: num('wall_s'),
    kamCpu: num('kam_cpu'),
    retrans: num('uac_retrans') + num('uas_retrans'),
  };
}

async function startTsvoip(): Promise<{ pid: number; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(HERE, 'udp-server.ts'), String(TS_PORT)],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(HERE, '..') },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('tsvoip proxy did not start')), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`tsvoip proxy exited (${code})`)));
  });
  const pid = child.pid as number;
  return {
    pid,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function endToEnd(): Promise<{ ts: SippResult[]; tsCpu: number[]; kam: SippResult[] } | undefined> {
  if (!existsSync(join(PEERS, 'sipp-bench.sh')) || spawnSync('which', ['sipp']).status !== 0)
    return undefined;
  const haveKamailio = spawnSync('which', ['kamailio']).status === 0;
  const ts: SippResult[] = [];
  const tsCpu: number[] = [];
  const kam: SippResult[] = [];
  if (haveKamailio)
    spawnSync('bash', [join(PEERS, 'kamailio-start.sh'), 'start'], { stdio: 'ignore', env: SIPP_ENV });
  const p = await startTsvoip();
  try {
    // Warm-up of both (JIT, the TypeScript loader, Kamailio's memory pools), not counted.
    sipp(`127.0.0.1:${TS_PORT}`);
    if (haveKamailio) sipp('127.0.0.1:5070');
    for (let r = 0; r < RUNS; r++) {
      const t0 = ticks(p.pid);
      const res = sipp(`127.0.0.1:${TS_PORT}`);
      const used = ticks(p.pid) - t0;
      if (res !== undefined) {
        ts.push(res);
        tsCpu.push(used / res.wallS); // ticks/s = % of one core
      }
      const k = haveKamailio ? sipp('127.0.0.1:5070') : undefined;
      if (k !== undefined) kam.push(k);
    }
  } finally {
    await p.stop();
    if (haveKamailio)
      spawnSync('bash', [join(PEERS, 'kamailio-start.sh'), 'stop'], { stdio: 'ignore', env: SIPP_ENV });
  }
  return { ts, tsCpu, kam };
}

const rows: string[][] = [];
const fmt = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const ratio = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? (a / b).toFixed(2) : 'n/a';

runCoreCalls(3000); // warm-up
const core: number[] = [];
for (let r = 0; r < RUNS; r++) core.push(runCoreCalls(10_000, (r + 1) * 1_000_000));
rows.push([
  'in-process calls/s (1 core, stateful, 12 msgs/call)',
  fmt(median(core)),
  'n/a (no in-process peer)',
  'n/a',
  '>= 2000',
]);

const e2e = await endToEnd();
if (e2e === undefined) {
  rows.push([`SIPp e2e @${RATE} cps`, 'n/a (sipp or ../shared/peers missing)', 'n/a', 'n/a', '']);
} else {
  const m = (xs: SippResult[], f: (r: SippResult) => number) => median(xs.map(f));
  const tsCps = m(e2e.ts, (r) => r.cps);
  const kCps = m(e2e.kam, (r) => r.cps);
  rows.push([
    `SIPp e2e achieved cps @${RATE} offered (UDP)`,
    fmt(tsCps),
    fmt(kCps),
    ratio(tsCps, kCps),
    `${RATE} (no loss)`,
  ]);
  const tsFail = m(e2e.ts, (r) => r.failed);
  rows.push(['SIPp e2e failed calls per run', fmt(tsFail), fmt(m(e2e.kam, (r) => r.failed)), 'n/a', '0']);
  rows.push([
    'SIPp e2e retransmissions per run',
    fmt(m(e2e.ts, (r) => r.retrans)),
    fmt(m(e2e.kam, (r) => r.retrans)),
    'n/a',
    '0',
  ]);
  rows.push([
    'SIPp e2e mean INVITE→200 (ms)',
    fmt(
      m(e2e.ts, (r) => r.rtMs),
      1,
    ),
    fmt(
      m(e2e.kam, (r) => r.rtMs),
      1,
    ),
    'n/a',
    '< 10',
  ]);
  const tsCpu = median(e2e.tsCpu);
  const kCpu = m(e2e.kam, (r) => r.kamCpu);
  rows.push([
    `proxy CPU % of one core @${RATE} cps`,
    fmt(tsCpu),
    fmt(kCpu),
    ratio(tsCpu, kCpu),
    '< 100 (1 core)',
  ]);
}

const head = ['metric', 'tsvoip', 'peer (Kamailio 5.6, same run)', 'ratio', 'goal'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}; median of ${RUNS} runs after a warm-up; ${COUNT} calls per SIPp run`,
);
console.log(line(head));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
