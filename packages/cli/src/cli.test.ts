import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createRequest, serializeMessage } from '@tsvoip/sip';
import { UdpTransport } from '@tsvoip/transport';
import { runCli } from './cli.js';

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err };
}

const BIN = fileURLToPath(new URL('../bin/tsvoip.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function launch(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve(code);
    }),
  );
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('tsvoip program', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await cli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /uas \[options\]/);
    assert.match(r.out, /uac \[options\] <target>/);
  });

  it('uas --help documents --listen, --auth and --log-level', async () => {
    const r = await cli(['uas', '--help']);
    assert.equal(r.code, 0);
    for (const o of ['--listen', '--tls-cert', '--engine', '--ring', '--auth', '--log-level'])
      assert.ok(r.out.includes(o), o);
  });

  for (const [argv, what] of [
    [['uas', '--listen', 'udp:nowhere'], '--listen'],
    [['uas', '--bogus'], 'unknown option'],
    [['uas', '--log-level', 'loud'], '--log-level'],
    [['uas', '--100rel'], '--100rel needs --engine ua'],
    [['uas', '--listen', 'tls:127.0.0.1:0'], '--tls-cert'],
    [['uas', '--ring', '-5'], '--ring'],
    [['nope'], 'unknown command'],
    [['uac', 'mailto:x@y'], 'target'],
  ] as const) {
    it(`${argv.join(' ')}: one line on stderr, exit 2`, async () => {
      const r = await cli([...argv]);
      assert.equal(r.code, 2);
      assert.equal(r.err.length, 1, r.err.join('\n'));
      assert.ok(r.err[0]?.includes(what), r.err[0]);
    });
  }

  it('a port already taken: one line on stderr, exit 1', async () => {
    const t = new UdpTransport();
    const a = await t.listen('127.0.0.1', 0);
    try {
      const r = await cli(['uas', '--listen', `udp:127.0.0.1:${a.port}`]);
      assert.equal(r.code, 1);
      assert.equal(r.err.length, 1);
      assert.match(r.err[0] ?? '', /EADDRINUSE/);
    } finally {
      await t.close();
    }
  });
});

describe('bin/tsvoip.mjs', () => {
  it('runs from source (tsx) when told to', async () => {
    const p = launch(['--help'], { TSVOIP_FROM_SOURCE: '1' });
    assert.equal(await p.exited, 0);
    assert.match(p.output().stdout, /Usage: tsvoip/);
  });

  it('runs the build (dist/main.js) when there is one', {
    skip: !existsSync(DIST) && 'no build',
  }, async () => {
    const p = launch(['uas', '--help']);
    assert.equal(await p.exited, 0);
    assert.match(p.output().stdout, /Usage: tsvoip uas/);
  });

  it('uas answers OPTIONS, prints its counters on SIGUSR2 and stops cleanly on SIGTERM', async () => {
    const p = launch(['uas', '--listen', 'udp:127.0.0.1:0'], { TSVOIP_FROM_SOURCE: '1' });
    const started = Date.now();
    while (!p.output().stdout.includes('listening on') && Date.now() - started < 15_000)
      await new Promise((r) => setTimeout(r, 20));
    const port = Number(/udp:127\.0\.0\.1:(\d+)/.exec(p.output().stdout)?.[1]);
    assert.ok(port > 0, p.output().stderr);
    const client = new UdpTransport();
    await client.listen('127.0.0.1', 0);
    const got = new Promise<number>((resolve) => client.on('message', (m) => resolve(m.message.status)));
    const options = createRequest({
      method: 'OPTIONS',
      requestUri: `sip:uas@127.0.0.1:${port}`,
      from: '<sip:t@127.0.0.1>',
      to: `<sip:uas@127.0.0.1:${port}>`,
      via: `SIP/2.0/UDP 127.0.0.1:${client.listening?.port};branch=z9hG4bK-cli-test`,
    });
    await client.send({ address: '127.0.0.1', port }, serializeMessage(options));
    assert.equal(await got, 200);
    await client.close();
    p.child.kill('SIGUSR2');
    while (!p.output().stdout.includes('"other":1') && Date.now() - started < 15_000)
      await new Promise((r) => setTimeout(r, 20));
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
    const last = JSON.parse(p.output().stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;
    assert.equal(last.other, 1);
    assert.equal(typeof last.cpuUserMs, 'number');
    assert.equal(p.output().stderr, '');
  });
});
