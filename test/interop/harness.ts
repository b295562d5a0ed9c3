/**
 * Helpers of the interop tests: start tsvoip (from source) and sipp on loopback, bounded in time,
 * every process tracked and killed by PID; capture the runs with tshark and check the capture.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The sipp scenarios of these tests. */
export const SCENARIOS = join(ROOT, 'test', 'interop', 'sipp');
const MAIN = join(ROOT, 'packages', 'cli', 'src', 'main.ts');

/** A finished process. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A started process. */
export interface Proc {
  readonly child: ChildProcess;
  /** Output so far. */
  readonly output: { stdout: string; stderr: string };
  /** Resolves when it exits. */
  readonly exited: Promise<Exit>;
}

const live = new Set<ChildProcess>();

/** Starts `cmd args`; it is killed (SIGKILL) after `limitMs` whatever happens. */
export function start(cmd: string, args: readonly string[], limitMs: number): Proc {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const output = { stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    output.stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    output.stderr += d;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const exited = new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      live.delete(child);
      resolve({ code, signal, ...output });
    });
  });
  return { child, output, exited };
}

/** Runs to completion (killed after `limitMs`). */
export function run(cmd: string, args: readonly string[], limitMs: number): Promise<Exit> {
  return start(cmd, args, limitMs).exited;
}

/** Waits until the process printed `text` (rejects on exit or after `ms`). */
export function waitForOutput(p: Proc, text: string, ms = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      clearInterval(poll);
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    const poll = setInterval(() => {
      if (p.output.stdout.includes(text) || p.output.stderr.includes(text)) done();
      else if (p.child.exitCode !== null || p.child.signalCode !== null)
        done(new Error(`exited before printing ${JSON.stringify(text)}: ${p.output.stderr}`));
    }, 20);
    const timer = setTimeout(
      () =>
        done(new Error(`no ${JSON.stringify(text)} within ${ms} ms: ${p.output.stdout}${p.output.stderr}`)),
      ms,
    );
  });
}

/** Stops a process with SIGTERM (SIGKILL after 3 s); resolves to its exit. */
export async function stop(p: Proc): Promise<Exit> {
  if (p.child.exitCode === null && p.child.signalCode === null) {
    p.child.kill('SIGTERM');
    const k = setTimeout(() => p.child.kill('SIGKILL'), 3000);
    const e = await p.exited;
    clearTimeout(k);
    return e;
  }
  return p.exited;
}

/** Kills every process still running (for `after`). */
export function killAll(): void {
  for (const c of live) c.kill('SIGKILL');
}

/** Node arguments that run the tsvoip CLI from source. */
export function tsvoipArgs(args: readonly string[]): string[] {
  return ['--conditions=source', '--import', 'tsx', MAIN, ...args];
}

/** Starts `tsvoip uas ...` and waits until it listens. */
export async function startUas(args: readonly string[], limitMs = 80_000): Promise<Proc> {
  const p = start(process.execPath, tsvoipArgs(['uas', ...args]), limitMs);
  await waitForOutput(p, 'tsvoip uas listening on');
  return p;
}

/** Runs `body` with a `tsvoip uas` started with `args`; always stops it; returns its final counters. */
export async function withUas(
  args: readonly string[],
  body: (uas: Proc) => Promise<void>,
): Promise<Record<string, number>> {
  const uas = await startUas(args);
  let exit: Exit | undefined;
  try {
    await body(uas);
  } finally {
    exit = await stop(uas);
  }
  return uasCounters(exit);
}

/** The JSON counters `tsvoip uas` prints when stopped. */
export function uasCounters(exit: Exit): Record<string, number> {
  const lines = exit.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, number>;
}

/** Runs sipp (bounded by `-timeout` and a kill after `limitMs`). */
export function sipp(args: readonly string[], limitMs = 30_000): Promise<Exit> {
  return run(
    'sipp',
    [...args, '-nostdin', '-timeout', `${Math.ceil(limitMs / 1000)}s`, '-timeout_error'],
    limitMs + 5000,
  );
}

/** Starts sipp in the background (e.g. a UAS) and waits `settleMs` for it to bind. */
export async function startSipp(args: readonly string[], limitMs = 30_000, settleMs = 300): Promise<Proc> {
  const p = start('sipp', [...args, '-nostdin', '-timeout', `${Math.ceil(limitMs / 1000)}s`], limitMs + 5000);
  await new Promise((r) => setTimeout(r, settleMs));
  return p;
}

/** A tshark capture of loopback traffic on a port range. */
export class Capture {
  readonly file: string;
  readonly #dir: string;
  readonly #ports: string;
  #proc: Proc | undefined;

  /** Prepares a capture of UDP and TCP on ports `from`-`to`. */
  constructor(from: number, to: number) {
    this.#dir = mkdtempSync(join(tmpdir(), 'tsvoip-interop-'));
    this.file = join(this.#dir, 'capture.pcap');
    this.#ports = `${from}-${to}`;
  }

  /** Starts tshark and waits until it is capturing. */
  async start(): Promise<void> {
    const p = start(
      'tshark',
      ['-i', 'lo', '-f', `udp portrange ${this.#ports} or tcp portrange ${this.#ports}`, '-w', this.file],
      120_000,
    );
    this.#proc = p;
    await waitForOutput(p, 'Capturing on');
    // dumpcap reports "Capturing on" as it opens the device; give it a moment to apply the filter.
    await new Promise((r) => setTimeout(r, 300));
  }

  /** Stops tshark (SIGINT lets it flush the file). */
  async stop(): Promise<void> {
    const p = this.#proc;
    if (p === undefined) return;
    await new Promise((r) => setTimeout(r, 300));
    p.child.kill('SIGINT');
    const k = setTimeout(() => p.child.kill('SIGKILL'), 5000);
    await p.exited;
    clearTimeout(k);
  }

  #decodeAs(): string[] {
    return ['-d', `udp.port==${this.#ports},sip`, '-d', `tcp.port==${this.#ports},sip`];
  }

  /** Frames tshark flags as malformed or with an expert error (should be none). */
  async problems(): Promise<string> {
    const e = await run(
      'tshark',
      ['-r', this.file, ...this.#decodeAs(), '-Y', '_ws.malformed || _ws.expert.severity == "Error"'],
      30_000,
    );
    return e.stdout.trim();
  }

  /**
   * SIP messages in the capture, several per TCP segment counted one by one: `total`, and
   * `distinct` with retransmissions (same sender, Call-ID, CSeq, status and Via branch) counted once.
   */
  async sipMessages(): Promise<{ total: number; distinct: number; lines: string[] }> {
    const fields = [
      'udp.srcport',
      'tcp.srcport',
      'sip.Call-ID',
      'sip.CSeq',
      'sip.Status-Code',
      'sip.Via.branch',
    ];
    const e = await run(
      'tshark',
      [
        '-r',
        this.file,
        ...this.#decodeAs(),
        '-Y',
        'sip',
        '-T',
        'fields',
        ...fields.flatMap((f) => ['-e', f]),
        '-E',
        'occurrence=a',
        '-E',
        'aggregator=|',
      ],
      30_000,
    );
    const keys: string[] = [];
    for (const line of e.stdout.split('\n')) {
      if (line.trim() === '') continue;
      const [udp = '', tcp = '', callIds = '', cseqs = '', statuses = '', branches = ''] = line.split('\t');
      const c = callIds.split('|');
      const q = cseqs.split('|');
      const st = statuses === '' ? [] : statuses.split('|');
      const br = branches.split('|');
      // One Via per message here, so the n-th branch is the n-th message's.
      for (let i = 0; i < c.length; i++)
        keys.push([udp || tcp, c[i], q[i], st[i] ?? 'req', br[i] ?? ''].join(' '));
    }
    return { total: keys.length, distinct: new Set(keys).size, lines: keys };
  }

  /** Removes the capture file. */
  remove(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
