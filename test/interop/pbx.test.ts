/**
 * sipp against `tsvoip pbx` (embedded PGlite database in a temp directory): REGISTER with digest
 * (MD5: sipp 3.6.1 answers MD5 and AKAv1-MD5 only), wrong passwords and the throttle, calls
 * sipp UAC -> PBX -> sipp UAS with record-routing (to a registered user over UDP, and over a trunk
 * prefix from a TCP caller), 404/480/403, `tsvoip users` through the running PBX, and a restart
 * (users and bindings persist). Ports 15150-15179 on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type Exit,
  killAll,
  type Proc,
  run,
  SCENARIOS,
  sipp,
  start,
  startSipp,
  stop,
  tsvoipArgs,
  waitForOutput,
} from './harness.js';

const PBX = '127.0.0.1:15150';
const dir = mkdtempSync(join(tmpdir(), 'tsvoip-pbx-interop-'));
const config = join(dir, 'pbx.yaml');
let pbx: Proc | undefined;
let logSeq = 0;

function tsvoip(args: readonly string[]): Promise<Exit> {
  return run(process.execPath, tsvoipArgs(args), 25_000);
}

async function startPbx(): Promise<Proc> {
  const p = start(process.execPath, tsvoipArgs(['pbx', '--config', config]), 120_000);
  await waitForOutput(p, 'tsvoip pbx listening on', 20_000);
  return p;
}

/** Runs a sipp scenario against the PBX with a message log; returns the exit and the SIP first lines seen. */
async function sippRun(
  scenario: string,
  args: readonly string[],
): Promise<{ exit: Exit; lines: string[]; log: string }> {
  const log = join(dir, `sipp-${++logSeq}.log`);
  const exit = await sipp(
    [
      '-sf',
      join(SCENARIOS, scenario),
      PBX,
      '-i',
      '127.0.0.1',
      ...args,
      '-m',
      '1',
      '-trace_msg',
      '-message_file',
      log,
    ],
    12_000,
  );
  let text = '';
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    // no message at all: the assertions below say so
  }
  const lines = text.split('\n').filter((l) => /^(SIP\/2\.0 \d{3}|[A-Z]+ sip:\S+ SIP\/2\.0)/.test(l));
  return { exit, lines, log: text };
}

function statuses(lines: readonly string[]): number[] {
  return lines.filter((l) => l.startsWith('SIP/2.0')).map((l) => Number(l.slice(8, 11)));
}

const register = (user: string, password: string, port: number, extra: readonly string[] = []) =>
  sippRun('pbx-register.xml', ['-s', user, '-p', String(port), '-au', user, '-ap', password, ...extra]);

const call = (
  caller: string,
  password: string,
  target: string,
  port: number,
  extra: readonly string[] = [],
) =>
  sippRun('pbx-uac.xml', [
    ...['-key', 'caller', caller, '-key', 'target', `sip:${target}`],
    ...['-p', String(port), '-au', caller, '-ap', password, '-auth_uri', target],
    ...extra,
  ]);

function startUas(port: number): Promise<Proc> {
  return startSipp(
    ['-sf', join(SCENARIOS, 'pbx-uas.xml'), PBX, '-i', '127.0.0.1', '-p', String(port), '-m', '1'],
    15_000,
  );
}

before(async () => {
  writeFileSync(
    config,
    [
      'listen: [udp:127.0.0.1:15150, tcp:127.0.0.1:15150]',
      `dataDir: ${JSON.stringify(dir)}`,
      'demoUsers: false',
      'auth: { algorithms: [MD5], maxFailures: 3, windowSeconds: 60, banSeconds: 60 }',
      'trunks:',
      '  - { name: lab, address: "127.0.0.1:15172", prefixes: ["9"], strip: 1 }',
      'log: { level: info }',
    ].join('\n'),
  );
  for (const [u, p] of [
    ['1000', 'secret-1000'],
    ['1001', 'secret-1001'],
  ] as const) {
    const r = await tsvoip(['users', 'add', u, '--password', p, '--config', config]);
    assert.equal(r.code, 0, r.stderr);
  }
  pbx = await startPbx();
});

after(async () => {
  if (pbx !== undefined) await stop(pbx);
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

describe('sipp -> tsvoip pbx', { concurrency: false }, () => {
  it('REGISTER: 401 with an MD5 challenge, then 200 with the binding (RFC 3261 §10.3, §22.4)', async () => {
    const r = await register('1001', 'secret-1001', 15171);
    assert.equal(r.exit.code, 0, r.exit.stderr);
    assert.deepEqual(statuses(r.lines), [401, 200]);
    assert.match(r.log, /WWW-Authenticate: Digest realm="tsvoip", nonce="[^"]+", algorithm=MD5, qop="auth"/);
    assert.match(r.log, /Contact: <sip:1001@127\.0\.0\.1:15171;transport=UDP>;expires=3600/);
  });

  it('REGISTER with a wrong password: 403 after the challenge, no second challenge', async () => {
    const r = await register('1000', 'wrong', 15173);
    assert.deepEqual(statuses(r.lines), [401, 403]);
  });

  it('call 1000 -> 1001 (registered sipp UAS) over UDP: 407, then 180/200, ACK and BYE through the PBX (Record-Route)', async () => {
    const uas = await startUas(15171);
    const r = await call('1000', 'secret-1000', '1001@127.0.0.1:15150', 15160);
    const u = await uas.exited;
    assert.equal(r.exit.code, 0, r.exit.stderr + r.log.slice(-2000));
    assert.equal(u.code, 0, `UAS: ${u.stdout.slice(-1500)}`);
    assert.deepEqual(statuses(r.lines), [407, 180, 200, 200]);
    // RFC 3261 §12.1.2: the route set comes from Record-Route; in-dialog requests go through the PBX.
    assert.match(
      r.log,
      /ACK sip:127\.0\.0\.1:15171;transport=UDP SIP\/2\.0[\s\S]*?Route: <sip:127\.0\.0\.1:15150;lr>/,
    );
    assert.match(
      r.log,
      /BYE sip:127\.0\.0\.1:15171;transport=UDP SIP\/2\.0[\s\S]*?Route: <sip:127\.0\.0\.1:15150;lr>/,
    );
  });

  it('call over a trunk prefix from a TCP caller: 91001 -> sip:1001@127.0.0.1:15172 (strip 1), record-routed', async () => {
    const uas = await startUas(15172);
    const r = await call('1000', 'secret-1000', '91001@127.0.0.1:15150', 15161, ['-t', 't1']);
    const u = await uas.exited;
    assert.equal(r.exit.code, 0, r.exit.stderr + r.log.slice(-2000));
    assert.equal(u.code, 0, `UAS: ${u.stdout.slice(-1500)}`);
    assert.deepEqual(statuses(r.lines), [407, 180, 200, 200]);
    assert.match(u.stdout + u.stderr, /Successful call\s+\|\s+\d+\s+\|\s+1/);
  });

  it('unknown target 404, unregistered user 480, foreign domain 403 (not an open relay)', async () => {
    const unknown = await call('1000', 'secret-1000', '5555@127.0.0.1:15150', 15162);
    assert.deepEqual(statuses(unknown.lines), [407, 404]);
    const away = await call('1001', 'secret-1001', '1000@127.0.0.1:15150', 15162);
    assert.deepEqual(statuses(away.lines), [407, 480]);
    const relay = await call('1000', 'secret-1000', 'bob@example.com', 15162);
    assert.deepEqual(statuses(relay.lines), [407, 403]);
    // Caller-ID spoofing: authenticated as 1000, From says 1001.
    const spoof = await sippRun('pbx-uac.xml', [
      ...['-key', 'caller', '1001', '-key', 'target', 'sip:1001@127.0.0.1:15150', '-p', '15162'],
      ...['-au', '1000', '-ap', 'secret-1000', '-auth_uri', '1001@127.0.0.1:15150'],
    ]);
    assert.deepEqual(statuses(spoof.lines), [407, 403]);
  });

  it('tsvoip users add while the PBX runs goes through it; the new user registers at once', async () => {
    const add = await tsvoip([
      'users',
      'add',
      '1002',
      '--password',
      'secret-1002',
      '--display-name',
      'Carol',
      '--config',
      config,
    ]);
    assert.equal(add.code, 0, add.stderr);
    const list = await tsvoip(['users', 'list', '--config', config]);
    assert.match(list.stdout, /^1002\tCarol\tenabled$/m);
    const r = await register('1002', 'secret-1002', 15174);
    assert.deepEqual(statuses(r.lines), [401, 200]);
  });

  it('after 3 wrong passwords a source is banned: 403 without a challenge (AuthThrottle)', async () => {
    const from2 = ['-i', '127.0.0.2'];
    for (let i = 0; i < 3; i++) {
      const r = await register('1000', `wrong${i}`, 15175, from2);
      assert.deepEqual(statuses(r.lines), [401, 403]);
    }
    const banned = await register('1000', 'secret-1000', 15175, from2);
    assert.deepEqual(statuses(banned.lines), [403]);
    // Another source is not affected.
    const ok = await register('1000', 'secret-1000', 15176);
    assert.deepEqual(statuses(ok.lines), [401, 200]);
  });

  it('restart: stops cleanly on SIGTERM; users and registrations persist', async () => {
    assert.ok(pbx !== undefined);
    const exit = await stop(pbx);
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stdout, /tsvoip pbx stopped/);
    pbx = await startPbx();
    // The binding of 1001 made before the restart still routes the call.
    const uas = await startUas(15171);
    const r = await call('1000', 'secret-1000', '1001@127.0.0.1:15150', 15163);
    assert.equal((await uas.exited).code, 0);
    assert.deepEqual(statuses(r.lines), [407, 180, 200, 200]);
    const reg = await register('1002', 'secret-1002', 15177);
    assert.deepEqual(statuses(reg.lines), [401, 200]);
  });
});
