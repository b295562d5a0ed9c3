/**
 * `npm run bench:media`: how many concurrent tsvoip↔tsvoip G.711 calls one process pair carries on
 * loopback, and the packets/s per core that takes, beside the ceiling of a bare node:dgram echo
 * relay measured in the same run.
 * @module
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { lookupNumeric } from '@tsvoip/transport';
import { NodeMediaDriver } from '../src/index.js';
import { cpuMicros, openStreams, pace, packetsReceived, pcmuTo, quality, snapshot } from './calls.js';
import { type BenchCommand, type BenchReply, type CallQuality, NEAR_PORTS } from './protocol.js';

const TOTAL_BUDGET_MS = 110_000;
const WARMUP_MS = 1000;
const WINDOWS = 5;
const WINDOW_MS = 700;
/** `BENCH_MEDIA_CALLS=100,200` runs only these steps (profiling); default: doubling from 50. */
const STEPS = process.env.BENCH_MEDIA_CALLS?.split(',').map(Number) ?? [50, 100, 200, 400, 800, 1600, 3200];
/** `BENCH_MEDIA_PROFILE=dir` writes a V8 CPU profile of the far side (run this side with --cpu-prof). */
const PROFILE_DIR = process.env.BENCH_MEDIA_PROFILE;
/**
 * `BENCH_MEDIA_SHARED_PORTS=n`: the drivers' `sharedPorts` (default 8, as many sockets per side as
 * the raw relay's; 0: one socket per call, the driver's default).
 */
const SHARED_PORTS = Number(process.env.BENCH_MEDIA_SHARED_PORTS ?? 8);
const QUALITY_LIMIT = 0.01;
const started = performance.now();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const child: ChildProcess = fork(new URL('./media-far.ts', import.meta.url), [], {
  execArgv: [
    '--conditions=source',
    '--import',
    'tsx',
    ...(PROFILE_DIR === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR]),
  ],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const killChild = () => {
  if (child.exitCode === null) child.kill('SIGKILL');
};
process.on('exit', killChild);
const hardStop = setTimeout(() => {
  console.error('bench:media: over the time budget, stopping');
  killChild();
  process.exit(1);
}, 150_000);
hardStop.unref();

function ask<R extends BenchReply['reply']>(
  command: BenchCommand,
  expected: R,
): Promise<Extract<BenchReply, { reply: R }>> {
  return new Promise((resolve) => {
    const onMessage = (m: BenchReply) => {
      if (m.reply !== expected) return;
      child.off('message', onMessage);
      resolve(m as Extract<BenchReply, { reply: R }>);
    };
    child.on('message', onMessage);
    child.send(command);
  });
}

interface Rate {
  /** Packets received per CPU-second (packets/s per core). */
  perCore: number;
  /** Packets received per wall second. */
  perSecond: number;
  /** CPU used, fraction of one core. */
  cpu: number;
}

/** Samples a counter and CPU time in WINDOWS windows; medians. */
async function measure(
  sample: () => Promise<{ cpuUs: number; packets: number; wallMs: number }>,
): Promise<Rate> {
  const perCore: number[] = [];
  const perSecond: number[] = [];
  const cpu: number[] = [];
  let prev = await sample();
  for (let i = 0; i < WINDOWS; i++) {
    await sleep(WINDOW_MS);
    const cur = await sample();
    const packets = cur.packets - prev.packets;
    const cpuS = (cur.cpuUs - prev.cpuUs) / 1e6;
    const wallS = (cur.wallMs - prev.wallMs) / 1000;
    perCore.push(packets / cpuS);
    perSecond.push(packets / wallS);
    cpu.push(cpuS / wallS);
    prev = cur;
  }
  return { perCore: median(perCore), perSecond: median(perSecond), cpu: median(cpu) };
}

const childSample = async () => {
  const r = await ask({ cmd: 'sample' }, 'sample');
  return { cpuUs: r.cpuUs, packets: r.packets, wallMs: r.wallMs };
};

/** The raw ceiling: a closed-loop load against the child's bare echo relay. */
async function relayCeiling(): Promise<Rate> {
  const { port } = await ask({ cmd: 'relay' }, 'relay');
  const packet = Buffer.alloc(172, 0x55);
  const sockets: Socket[] = [];
  let running = true;
  for (let i = 0; i < 8; i++) {
    const s = createSocket({
      type: 'udp4',
      recvBufferSize: 1 << 20,
      sendBufferSize: 1 << 20,
      lookup: lookupNumeric,
    });
    s.on('message', () => {
      if (running) s.send(packet, port, '127.0.0.1');
    });
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    for (let w = 0; w < 32; w++) s.send(packet, port, '127.0.0.1');
    sockets.push(s);
  }
  await sleep(WARMUP_MS);
  const rate = await measure(childSample);
  running = false;
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  await sleep(200);
  return rate;
}

/**
 * The calls' socket topology without tsvoip: as many sockets per side as the calls use (one per
 * call, or the shared ports), N datagrams every 20 ms spread over them from one timer per side,
 * counting what arrives. The socket costs (wake-ups, `message` events, sends) are the calls';
 * what is left above this is tsvoip's own work.
 */
async function relayPerSocket(count: number, socketCount: number): Promise<{ far: Rate; near: Rate }> {
  const sockets: Socket[] = [];
  let received = 0;
  for (let i = 0; i < socketCount; i++) {
    const size = socketCount < count ? 1 << 21 : 1 << 18;
    const s = createSocket({
      type: 'udp4',
      recvBufferSize: size,
      sendBufferSize: size,
      lookup: lookupNumeric,
    });
    s.on('message', () => {
      received++;
    });
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    sockets.push(s);
  }
  const { ports } = await ask(
    { cmd: 'relay-n', remotePorts: sockets.map((s) => s.address().port), count },
    'relay-n',
  );
  const stop = pace(sockets, ports, count);
  await sleep(WARMUP_MS);
  const nearSample = async () => ({ cpuUs: cpuMicros(), packets: received, wallMs: performance.now() });
  const [far, near] = await Promise.all([measure(childSample), measure(nearSample)]);
  stop();
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  await ask({ cmd: 'close' }, 'close');
  await sleep(300);
  return { far, near };
}

interface Step {
  calls: number;
  clock: 'shared' | 'per-stream';
  far: Rate;
  near: Rate;
  quality: CallQuality;
  pass: boolean;
}

async function callStep(calls: number, clock: 'shared' | 'per-stream'): Promise<Step> {
  const driver = new NodeMediaDriver({
    portMin: NEAR_PORTS.min,
    portMax: NEAR_PORTS.max,
    clock,
    sharedPorts: SHARED_PORTS,
  });
  const streams = await openStreams(driver, calls);
  // The offer/answer exchange: ports, and the SSRCs an a=ssrc line would announce.
  const { ports, ssrcs } = await ask(
    {
      cmd: 'open',
      count: calls,
      remotePorts: streams.map((s) => s.ports.rtp),
      remoteSsrcs: streams.map((s) => s.ssrc),
      clock,
      sharedPorts: SHARED_PORTS,
    },
    'open',
  );
  for (let i = 0; i < streams.length; i++) streams[i].start(pcmuTo(ports[i], ssrcs[i]));
  await sleep(WARMUP_MS);
  const nearSample = async () => ({
    cpuUs: cpuMicros(),
    packets: packetsReceived(streams),
    wallMs: performance.now(),
  });
  // Quality is judged over the measured window, after the warm-up (start-up costs excluded).
  await ask({ cmd: 'mark' }, 'mark');
  const nearMark = snapshot(streams);
  const [far, near] = await Promise.all([measure(childSample), measure(nearSample)]);
  const farQuality = (await ask({ cmd: 'quality' }, 'quality')).quality;
  const nearQuality = quality(streams, nearMark);
  await driver.close();
  await ask({ cmd: 'close' }, 'close');
  const q: CallQuality = {
    worstLoss: Math.max(farQuality.worstLoss, nearQuality.worstLoss),
    worstUnderrunRatio: Math.max(farQuality.worstUnderrunRatio, nearQuality.worstUnderrunRatio),
    worstJitterMs: Math.max(farQuality.worstJitterMs, nearQuality.worstJitterMs),
    silentCalls: farQuality.silentCalls + nearQuality.silentCalls,
  };
  const pass = q.worstLoss <= QUALITY_LIMIT && q.worstUnderrunRatio <= QUALITY_LIMIT && q.silentCalls === 0;
  await sleep(300);
  return { calls, clock, far, near, quality: q, pass };
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(`# machine: ${cpu.length} cores (${cpu[0]?.model ?? 'unknown'}), Node ${process.version}`);
  console.log(
    SHARED_PORTS > 0
      ? `# calls: NodeMediaDriver sharedPorts: ${SHARED_PORTS} (every call's RTP+RTCP, rtcp-mux, on ${SHARED_PORTS} UDP ports per side, routed by SSRC announced as a=ssrc would); each call still decodes, jitter-buffers and encodes G.711 every 20 ms`
      : '# calls: one UDP socket per call per side (NodeMediaDriver default), rtcp-mux',
  );
  const relay = await relayCeiling();
  console.log(
    `# raw node:dgram echo relay: ${fmt(relay.perCore)} packets/s per core (${fmt(1e6 / relay.perCore, 1)} µs/packet), ${fmt(relay.perSecond)} packets/s at ${fmt(relay.cpu * 100)}% CPU`,
  );
  const steps: Step[] = [];
  const stepCost = WARMUP_MS + WINDOWS * WINDOW_MS + 2500;
  for (const calls of STEPS) {
    if (performance.now() - started + stepCost > TOTAL_BUDGET_MS - stepCost) break;
    const step = await callStep(calls, 'shared');
    steps.push(step);
    console.log(
      `# ${calls} calls: far ${fmt(step.far.perSecond)} pkt/s at ${fmt(step.far.cpu * 100)}% CPU (${fmt(step.far.perCore)} pkt/s/core); near ${fmt(step.near.cpu * 100)}% CPU; worst loss ${fmt(step.quality.worstLoss * 100, 2)}%, underruns ${fmt(step.quality.worstUnderrunRatio * 100, 2)}%, jitter ${fmt(step.quality.worstJitterMs, 1)} ms${step.pass ? '' : ' -> FAIL'}`,
    );
    if (!step.pass) break;
  }
  const passed = steps.filter((s) => s.pass);
  const best = passed[passed.length - 1] ?? steps[0];
  // One timer per driver vs one per stream, at the same load.
  const compareCalls = Math.min(200, best.calls);
  let perStream: Step | undefined;
  if (performance.now() - started + stepCost < TOTAL_BUDGET_MS) {
    perStream = await callStep(compareCalls, 'per-stream');
    console.log(
      `# ${compareCalls} calls, per-stream timers: far ${fmt(perStream.far.cpu * 100)}% CPU; near ${fmt(perStream.near.cpu * 100)}% CPU${perStream.pass ? '' : ' (quality FAIL)'}`,
    );
  }
  const shared = steps.find((s) => s.calls === compareCalls);
  const socketsPerSide = SHARED_PORTS > 0 ? SHARED_PORTS : best.calls;
  const perSocket = await relayPerSocket(best.calls, socketsPerSide);
  const perSocketCore = (perSocket.far.perCore + perSocket.near.perCore) / 2;
  console.log(
    `# bare node:dgram, ${socketsPerSide} sockets per side, ${best.calls} × 50 packets/s each way: far ${fmt(perSocket.far.perSecond)} pkt/s at ${fmt(perSocket.far.cpu * 100)}% CPU (${fmt(perSocket.far.perCore)} pkt/s/core); near ${fmt(perSocket.near.cpu * 100)}% CPU (${fmt(perSocket.near.perCore)} pkt/s/core)`,
  );
  const childExit = new Promise((resolve) => child.once('exit', resolve));
  child.send({ cmd: 'exit' } satisfies BenchCommand);
  await Promise.race([childExit, sleep(PROFILE_DIR === undefined ? 0 : 5000)]);

  const perCore = (best.far.perCore + best.near.perCore) / 2;
  const cpuPerCall = ((best.far.cpu + best.near.cpu) / 2 / best.calls) * 100;
  const rows: string[][] = [
    ['metric', 'tsvoip', 'peer', 'ratio', 'goal'],
    [
      'max concurrent G.711 calls, loss & underruns <= 1%',
      `${passed.length > 0 ? best.calls : 0}${passed.length === steps.length ? ' (not reached)' : ''}`,
      '-',
      '-',
      '-',
    ],
    [
      `packets/s per core at ${best.calls} calls (RTP in + out per packet) vs raw relay, 8 hot sockets`,
      fmt(perCore),
      fmt(relay.perCore),
      `${(perCore / relay.perCore).toFixed(2)}x`,
      '>= 0.9x',
    ],
    [
      `  same vs bare node:dgram, ${socketsPerSide} sockets per side, ${best.calls} × 50 packets/s each way`,
      fmt(perCore),
      fmt(perSocketCore),
      `${(perCore / perSocketCore).toFixed(2)}x`,
      '-',
    ],
    [
      'CPU µs per packet vs raw relay (8 hot sockets)',
      fmt(1e6 / perCore, 1),
      fmt(1e6 / relay.perCore, 1),
      `${(relay.perCore / perCore).toFixed(2)}x`,
      '-',
    ],
    [
      `  same vs ${socketsPerSide} bare sockets per side (tsvoip's own work: the difference)`,
      fmt(1e6 / perCore, 1),
      fmt(1e6 / perSocketCore, 1),
      `${(perSocketCore / perCore).toFixed(2)}x (+${fmt(1e6 / perCore - 1e6 / perSocketCore, 1)} µs)`,
      '-',
    ],
    [
      `packets/s received per process at ${best.calls} calls`,
      fmt(best.far.perSecond),
      `${fmt(relay.perSecond)} (closed loop)`,
      '-',
      '-',
    ],
    ['CPU per call, % of a core', fmt(cpuPerCall, 3), '-', '-', '-'],
  ];
  if (perStream !== undefined && shared !== undefined) {
    const a = ((shared.far.cpu + shared.near.cpu) / 2 / compareCalls) * 100;
    const b = ((perStream.far.cpu + perStream.near.cpu) / 2 / compareCalls) * 100;
    rows.push([
      `CPU per call at ${compareCalls} calls: one timer per driver vs per stream`,
      `${fmt(a, 3)}% (driver)`,
      `${fmt(b, 3)}% (per stream)`,
      `${(b / a).toFixed(2)}x`,
      '-',
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
  console.log(`# total ${fmt((performance.now() - started) / 1000, 1)} s`);
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => {
    killChild();
    clearTimeout(hardStop);
  });
