/**
 * Starts and stops the Kamailio 5.6 peer of the interop tests (`kamailio.cfg` beside this file):
 * in the foreground (`-DD -E`) so the spawned PID is the main process (SIGTERM to it stops every
 * worker), runtime files in a fresh directory under the OS temp dir, ready once it answers an
 * OPTIONS over UDP (bounded wait). Loopback only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The configuration file of the test Kamailio. */
export const KAMAILIO_CFG = join(dirname(fileURLToPath(import.meta.url)), 'kamailio.cfg');

/** Options of {@link startKamailio}. */
export interface KamailioOptions {
  /** UDP port where REGISTER and initial INVITE/MESSAGE/SUBSCRIBE/REFER are challenged (default 15270). */
  readonly port?: number;
  /** UDP port where only REGISTER is challenged (default 15271). */
  readonly regOnlyPort?: number;
  /** Digest auth on (`-A WITH_AUTH`, password `<user>-secret`); default true. */
  readonly auth?: boolean;
  /** How long to wait for the first OPTIONS 200 (default 8000 ms). */
  readonly readyTimeoutMs?: number;
}

/** A running Kamailio. */
export interface Kamailio {
  /** The challenging port (REGISTER 401, INVITE 407). */
  readonly port: number;
  /** The REGISTER-only challenging port. */
  readonly regOnlyPort: number;
  /** PID of the main process. */
  readonly pid: number;
  /** Its runtime directory (log copy written there on stop). */
  readonly runDir: string;
  /** Everything Kamailio logged so far (stderr). */
  log(): string;
  /** Log lines containing `text`. */
  lines(text: string): string[];
  /**
   * Waits until at least `count` log lines contain `text` (the log comes through a pipe and may lag
   * behind the SIP responses); resolves with those lines, or with fewer after `ms`.
   */
  waitForLines(text: string, count?: number, ms?: number): Promise<string[]>;
  /** SIGTERM to the main PID (SIGKILL after 3 s); removes the runtime directory. Idempotent. */
  stop(): Promise<void>;
}

/** Where the kamailio binary is (Debian: /usr/sbin, often not in a normal user's PATH). */
export function kamailioBinary(): string {
  for (const p of ['/usr/sbin/kamailio', '/usr/local/sbin/kamailio', '/usr/bin/kamailio']) {
    if (existsSync(p)) return p;
  }
  throw new Error('kamailio is not installed (scripts/install-test-tools.sh installs the Debian package)');
}

/** Starts Kamailio and waits until it answers OPTIONS on its port. */
export async function startKamailio(options: KamailioOptions = {}): Promise<Kamailio> {
  const port = options.port ?? 15270;
  const regOnlyPort = options.regOnlyPort ?? 15271;
  const runDir = mkdtempSync(join(tmpdir(), 'tsvoip-kamailio-'));
  const args = [
    '-f',
    KAMAILIO_CFG,
    '-A',
    `KAM_PORT=${port}`,
    '-A',
    `KAM_REG_ONLY_PORT=${regOnlyPort}`,
    ...(options.auth === false ? [] : ['-A', 'WITH_AUTH']),
    '-DD', // creator process stays in the foreground: the spawned PID is the main one
    '-E', // log to stderr
    '-Y',
    runDir,
    '-m',
    '64',
    '-M',
    '8',
  ];
  const child = spawn(kamailioBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let stopped: Promise<void> | undefined;
  const kam: Kamailio = {
    port,
    regOnlyPort,
    pid: child.pid ?? -1,
    runDir,
    log: () => output,
    lines: (text) => output.split('\n').filter((l) => l.includes(text)),
    waitForLines: async (text, count = 1, ms = 2000) => {
      const end = performance.now() + ms;
      for (;;) {
        const found = kam.lines(text);
        if (found.length >= count || performance.now() > end) return found;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stop: () => {
      stopped ??= (async () => {
        await killAndWait(child, exited);
        try {
          writeFileSync(join(runDir, 'kamailio.log'), output);
        } finally {
          if (process.env.KEEP_INTEROP_RUN !== '1') rmSync(runDir, { recursive: true, force: true });
        }
      })();
      return stopped;
    },
  };
  try {
    await waitForOptions(port, child, options.readyTimeoutMs ?? 8000);
  } catch (e) {
    await kam.stop();
    throw new Error(`kamailio did not come up on 127.0.0.1:${port}: ${String(e)}\n${output.slice(-2000)}`);
  }
  return kam;
}

async function killAndWait(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Sends OPTIONS sip:127.0.0.1:port every 200 ms until a 200 comes back, the process exits, or `ms`. */
export function waitForOptions(port: number, child: ChildProcess, ms: number): Promise<void> {
  const socket = createSocket('udp4');
  return new Promise<void>((resolve, reject) => {
    let n = 0;
    const done = (err?: Error) => {
      clearInterval(tick);
      clearTimeout(limit);
      socket.close();
      if (err) reject(err);
      else resolve();
    };
    socket.on('message', (msg) => {
      if (msg.toString('latin1').startsWith('SIP/2.0 200')) done();
    });
    socket.on('error', (e) => done(e));
    const send = () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        done(new Error(`exited (${child.exitCode ?? child.signalCode})`));
        return;
      }
      const { port: local } = socket.address();
      n++;
      const options = [
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-probe-${process.pid}-${n};rport`,
        'Max-Forwards: 70',
        `From: <sip:probe@127.0.0.1>;tag=probe${n}`,
        `To: <sip:127.0.0.1:${port}>`,
        `Call-ID: probe-${process.pid}-${n}@127.0.0.1`,
        `CSeq: ${n} OPTIONS`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(options, port, '127.0.0.1');
    };
    const tick = setInterval(send, 200);
    const limit = setTimeout(() => done(new Error(`no 200 to OPTIONS within ${ms} ms`)), ms);
    socket.bind(0, '127.0.0.1', send);
  });
}
