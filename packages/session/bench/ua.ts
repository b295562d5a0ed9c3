/**
 * User-agent benchmark: sequential call set-up (INVITE → 180 → 200 with SDP → ACK, media stream
 * opened and started on both sides) and tear-down (BYE → 200), tsvoip UA → tsvoip UA, beside
 * tsvoip UA → SIPp's built-in UAS (a C++ peer, measured in the same run, which answers without
 * opening any media). Median of 5 rounds of 40 calls after a warm-up.
 *
 *   node --conditions=source --import tsx bench/ua.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createUserAgent, type UserAgent } from '../src/index.js';

const ROUNDS = 5;
const CALLS = 40;
const SIPP_PORT = 5097;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function round(
  caller: UserAgent,
  target: string,
): Promise<{ setup: number; total: number; cpu: number }> {
  const setups: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const s = performance.now();
    const call = await caller.call(target);
    setups.push(performance.now() - s);
    await call.hangup();
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { setup: median(setups), total: wall / CALLS, cpu: (cpu.user + cpu.system) / 1000 / CALLS };
}

async function main(): Promise<void> {
  const caller = await createUserAgent({
    uri: 'sip:bench@127.0.0.1',
    sip: { host: '127.0.0.1', port: 0 },
    media: { portMin: 46000, portMax: 46199 },
  });
  const callee = await createUserAgent({
    uri: 'sip:callee@127.0.0.1',
    sip: { host: '127.0.0.1', port: 0 },
    media: { portMin: 46200, portMax: 46399 },
  });
  callee.on('incoming', (c) => void c.accept());
  let sipp: ChildProcess | undefined;
  try {
    sipp = spawn(
      'sipp',
      ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(SIPP_PORT), '-nostdin', '-timeout', '120s'],
      {
        stdio: 'ignore',
      },
    );
    await sleep(500);
    const tsvoipTarget = callee.contactUri;
    const sippTarget = `sip:service@127.0.0.1:${SIPP_PORT}`;
    await round(caller, tsvoipTarget); // warm-up
    await round(caller, sippTarget);
    const ours: Array<{ setup: number; total: number; cpu: number }> = [];
    const peer: Array<{ setup: number; total: number; cpu: number }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      ours.push(await round(caller, tsvoipTarget));
      peer.push(await round(caller, sippTarget));
    }
    const row = (metric: string, a: number, b: number, goal: string) =>
      `| ${metric} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(a / b).toFixed(2)}× | ${goal} |`;
    console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}`);
    console.log(
      `${ROUNDS} rounds × ${CALLS} sequential calls, median of the rounds; peer = SIPp ${'uas'} (no media)\n`,
    );
    console.log('| metric | tsvoip UA → tsvoip UA | tsvoip UA → SIPp UAS (peer) | ratio | goal |');
    console.log('| --- | --- | --- | --- | --- |');
    console.log(
      row(
        'call set-up, INVITE → answered, ms (median)',
        median(ours.map((o) => o.setup)),
        median(peer.map((o) => o.setup)),
        '-',
      ),
    );
    console.log(
      row(
        'call set-up + BYE, wall ms per call',
        median(ours.map((o) => o.total)),
        median(peer.map((o) => o.total)),
        '-',
      ),
    );
    console.log(
      row(
        'CPU ms per call (this process, both UAs / caller only)',
        median(ours.map((o) => o.cpu)),
        median(peer.map((o) => o.cpu)),
        '-',
      ),
    );
  } finally {
    if (sipp?.pid !== undefined) process.kill(sipp.pid);
    await Promise.all([caller.close(), callee.close()]);
  }
}

await main();
