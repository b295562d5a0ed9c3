/**
 * `tsvoip pbx` for the PBX interop tests against real peers: a config file in a temp data dir,
 * users added with `tsvoip users add` before the start, the PBX spawned from source with
 * `--sip-trace` (so the tests can read what it sent where), and a tone check of a recording.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTone, describeTone, secondsWithTone } from '../baresip/audio.js';
import { type Proc, run, start, tsvoipArgs, waitForOutput } from '../harness.js';

/** One user of the PBX. */
export interface PbxUser {
  readonly name: string;
  readonly password: string;
}

/** What the PBX needs: its listen address, data dir, users and extra config lines. */
export interface PbxSetup {
  readonly dir: string;
  /** UDP and TCP port on 127.0.0.1. */
  readonly port: number;
  readonly users: readonly PbxUser[];
  /** Further YAML lines (e.g. `trunks:`). */
  readonly extra?: readonly string[];
  /** Kill after this long whatever happens (ms). */
  readonly limitMs: number;
}

/** Writes the config, adds the users, starts the PBX and waits for its banner. */
export async function startPbx(s: PbxSetup): Promise<Proc> {
  const config = join(s.dir, 'pbx.yaml');
  writeFileSync(
    config,
    [
      `listen: [udp:127.0.0.1:${s.port}, tcp:127.0.0.1:${s.port}]`,
      `dataDir: ${JSON.stringify(join(s.dir, 'data'))}`,
      'demoUsers: false',
      // baresip 1.0.0 (libre) computes MD5 digests only.
      'auth: { algorithms: [MD5] }',
      'log: { level: info, sipTrace: true }',
      ...(s.extra ?? []),
    ].join('\n'),
  );
  // One at a time: without a running PBX each `users add` opens the PGlite directory itself (lock).
  for (const u of s.users) {
    const r = await run(
      process.execPath,
      tsvoipArgs(['users', 'add', u.name, '--password', u.password, '--config', config]),
      25_000,
    );
    assert.equal(r.code, 0, r.stderr);
  }
  const p = start(process.execPath, tsvoipArgs(['pbx', '--config', config]), s.limitMs);
  await waitForOutput(p, 'tsvoip pbx listening on', 20_000);
  return p;
}

/** One SIP message of the PBX's `--sip-trace`. */
export interface Traced {
  readonly dir: 'in' | 'out';
  /** `host:port` it came from (in) or went to (out). */
  readonly peer: string;
  readonly text: string;
}

/** The SIP messages the PBX traced so far, in order. */
export function traced(p: Proc): Traced[] {
  const out: Traced[] = [];
  for (const line of p.output.stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const j = JSON.parse(line) as { dir?: string; from?: string; to?: string; msg?: string };
      if ((j.dir === 'in' || j.dir === 'out') && typeof j.msg === 'string')
        out.push({ dir: j.dir, peer: (j.dir === 'in' ? j.from : j.to) ?? '', text: j.msg });
    } catch {
      // a partial line at the end of the buffer
    }
  }
  return out;
}

/**
 * The traced messages once `done(traced)` holds, or when `ms` ran out. The PBX writes its trace
 * asynchronously: a peer can report a registration before the PBX's lines about it are read here.
 */
export async function tracedWhen(p: Proc, done: (t: Traced[]) => boolean, ms = 3000): Promise<Traced[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const t = traced(p);
    if (done(t) || Date.now() >= deadline) return t;
    await sleep(50);
  }
}

/** The first lines (`INVITE sip:...`, `SIP/2.0 487 ...`) of traced messages of one Call-ID. */
export function firstLines(p: Proc, callId: string): string[] {
  return traced(p)
    .filter((m) => m.text.includes(`\r\nCall-ID: ${callId}\r\n`) || m.text.includes(`\r\ni: ${callId}\r\n`))
    .map((m) => `${m.dir} ${m.peer} ${m.text.slice(0, m.text.indexOf('\r\n'))}`);
}

/** Asserts the WAV at `path` holds `hz` > 20 dB over every other bin in at least `seconds` whole seconds. */
export function assertTone(path: string | undefined, hz: number, seconds: number, what: string): void {
  assert.ok(path !== undefined, `${what}: no recording`);
  const c = checkTone(path, hz, 0.5);
  assert.ok(secondsWithTone(c, 20) >= seconds, `${what}: ${hz} Hz in too few seconds: ${describeTone(c)}`);
}

/** Waits `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
