/**
 * A minimal headless baresip 1.0 callee for the Kamailio interop tests: registers `user` at a
 * registrar/proxy with digest auth, answers every call at once (`answermode=auto`), plays a WAV
 * (aufile; S16LE at the codec's rate, baresip 1.0 does not resample), plays out to ALSA's null PCM
 * and dumps what it decodes to `dump-<time>-dec.wav` (sndfile module). Config from
 * ../shared/peers/baresip/callee (copied here so the project does not depend on ../shared).
 * Bounded by baresip's own `-t` and killed by PID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options of {@link startBaresipCallee}. */
export interface BaresipCalleeOptions {
  /** SIP user (AOR `sip:user@registrar`). */
  readonly user: string;
  /** Digest password. */
  readonly password: string;
  /** Registrar/proxy `host:port` (loopback). */
  readonly registrar: string;
  /** SIP port baresip listens on (127.0.0.1). */
  readonly sipPort: number;
  /** RTP port range `min-max`. */
  readonly rtpPorts: string;
  /** WAV it plays (S16LE mono at the codec's rate). */
  readonly toneWav: string;
  /** Codec offered/accepted (default `PCMU/8000/1`). */
  readonly codec?: string;
  /** baresip quits after this many seconds (default 60). */
  readonly lifetimeS?: number;
}

/** A running baresip. */
export interface BaresipCallee {
  /** PID. */
  readonly pid: number;
  /** Its config and recording directory. */
  readonly dir: string;
  /** stdout + stderr so far (ANSI colours stripped). */
  log(): string;
  /** Waits until the log contains `text` (rejects on exit or after `ms`). */
  waitForLog(text: string | RegExp, ms: number): Promise<void>;
  /** Paths of the received-audio dumps (`dump-*-dec.wav`), oldest first. */
  decodedDumps(): string[];
  /** SIGTERM (SIGKILL after 3 s); removes the directory unless KEEP_INTEROP_RUN=1. Idempotent. */
  stop(): Promise<void>;
}

const BARESIP = ['/usr/bin/baresip', '/usr/local/bin/baresip'];

function config(o: BaresipCalleeOptions, dir: string): string {
  return `# baresip 1.0.0: headless auto-answering callee on loopback (written by kamailio/baresip.ts)
poll_method		epoll
sip_listen		127.0.0.1:${o.sipPort}
net_interface		127.0.0.1
dns_server		127.0.0.1:53
call_local_timeout	120
call_max_calls		4
audio_path		/usr/share/baresip
audio_player		alsa,null
audio_source		aufile,${o.toneWav}
audio_alert		alsa,null
audio_level		no
ausrc_format		s16
auplay_format		s16
auenc_format		s16
audec_format		s16
audio_buffer		20-160
rtp_ports		${o.rtpPorts}
rtcp_mux		no
jitter_buffer_delay	5-10
rtp_stats		yes
module_path		/usr/lib/baresip/modules
module			g711.so
module			g722.so
module			aufile.so
module			alsa.so
module			sndfile.so
snd_path		${dir}
module_tmp		uuid.so
module_tmp		account.so
module_app		menu.so
`;
}

/** Starts baresip with a fresh config directory under the OS temp dir. */
export function startBaresipCallee(o: BaresipCalleeOptions): BaresipCallee {
  const bin = BARESIP.find((p) => existsSync(p));
  if (bin === undefined)
    throw new Error('baresip is not installed (scripts/install-test-tools.sh installs it)');
  const dir = mkdtempSync(join(tmpdir(), `tsvoip-baresip-${o.user}-`));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config'), config(o, dir));
  writeFileSync(
    join(dir, 'accounts'),
    `<sip:${o.user}@${o.registrar}>;regint=60;answermode=auto;audio_codecs=${o.codec ?? 'PCMU/8000/1'};auth_pass=${o.password}\n`,
  );
  writeFileSync(join(dir, 'contacts'), '');
  const child = spawn(bin, ['-4', '-f', dir, '-t', String(o.lifetimeS ?? 60)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const strip = (d: string) => d.replace(/\x1b\[[0-9;]*m/g, '');
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    output += strip(d);
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    output += strip(d);
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let stopped: Promise<void> | undefined;
  return {
    pid: child.pid ?? -1,
    dir,
    log: () => output,
    waitForLog: (text, ms) => waitForLog(child, () => output, text, ms),
    decodedDumps: () =>
      readdirSync(dir)
        .filter((f) => f.startsWith('dump-') && f.endsWith('-dec.wav'))
        .map((f) => join(dir, f))
        .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs),
    stop: () => {
      stopped ??= (async () => {
        await killAndWait(child, exited);
        if (process.env.KEEP_INTEROP_RUN !== '1') rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

function waitForLog(
  child: ChildProcess,
  log: () => string,
  text: string | RegExp,
  ms: number,
): Promise<void> {
  const has = () => (typeof text === 'string' ? log().includes(text) : text.test(log()));
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      clearInterval(poll);
      clearTimeout(limit);
      if (err) reject(err);
      else resolve();
    };
    const poll = setInterval(() => {
      if (has()) done();
      else if (child.exitCode !== null || child.signalCode !== null)
        done(new Error(`baresip exited before logging ${String(text)}:\n${log()}`));
    }, 20);
    const limit = setTimeout(
      () => done(new Error(`baresip: no ${String(text)} within ${ms} ms:\n${log()}`)),
      ms,
    );
  });
}

async function killAndWait(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
