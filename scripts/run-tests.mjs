#!/usr/bin/env node
// Runs every `*.test.ts` beside the code (packages/*, scripts/) and the interop tests (test/)
// through node:test + tsx.
// Usage: node scripts/run-tests.mjs [path-filter ...]
// Workspace packages resolve to their TypeScript sources through the "source" export condition,
// so tests need no prior build.
//
// Unit tests run in one node:test invocation. Interop tests (test/) drive real peers (sipp, baresip,
// Kamailio) on real time, so each file runs on its own; a file that fails is run once more and the
// retry is reported by name. A file that fails twice fails the run.
import { spawn } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const files = [
  ...walk(join(root, 'packages'), []),
  ...walk(join(root, 'scripts'), []),
  ...walk(join(root, 'test'), []),
]
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
const unitFiles = files.filter((f) => !f.startsWith('test/'));
const interopFiles = files.filter((f) => f.startsWith('test/'));

// The SQL store tests also run against a real PostgreSQL server: start a throwaway one on loopback
// unless the caller gave one (TSVOIP_TEST_POSTGRES_URL), and stop it afterwards.
const pgScript = join(root, 'packages/registrar/scripts/postgres-test-server.sh');
const env = { ...process.env };
let startedPostgres = false;

/** Runs node:test on `list`, echoing its output; resolves with its exit code and pass/fail counts. */
function runNodeTest(list) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--test', '--test-reporter=spec', ...list],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-4096);
    });
    child.on('close', (code) => {
      const count = (name) => Number(new RegExp(`ℹ ${name} (\\d+)`).exec(tail)?.[1] ?? 0);
      resolve({ code: code ?? 1, pass: count('pass'), fail: count('fail') });
    });
  });
}

let passed = 0;
let failed = 0;
const retried = [];
const failedFiles = [];
try {
  if (unitFiles.some((f) => f.startsWith('packages/registrar/')) && !env.TSVOIP_TEST_POSTGRES_URL) {
    // A run directory and port of this run's own, so two test runs on one machine do not collide.
    env.PG_TEST_RUN_DIR = join(tmpdir(), `tsvoip-registrar-pg-${process.pid}`);
    const port = String(55432 + (process.pid % 500));
    const { spawnSync } = await import('node:child_process');
    const pg = spawnSync('bash', [pgScript, 'start', port], {
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (pg.status !== 0) {
      console.error('run-tests: could not start the PostgreSQL test server');
      process.exit(1);
    }
    env.TSVOIP_TEST_POSTGRES_URL = pg.stdout.trim();
    startedPostgres = true;
  }
  if (unitFiles.length > 0) {
    const r = await runNodeTest(unitFiles);
    passed += r.pass;
    failed += r.fail;
    if (r.code !== 0 && r.fail === 0) failed += 1;
  }
  for (const file of interopFiles) {
    let r = await runNodeTest([file]);
    if (r.code !== 0) {
      console.log(`run-tests: ${file} failed (${r.fail} failing); running it once more`);
      retried.push(file);
      r = await runNodeTest([file]);
      if (r.code !== 0) failedFiles.push(file);
    }
    passed += r.pass;
    failed += r.code !== 0 ? Math.max(r.fail, 1) : 0;
  }
} finally {
  if (startedPostgres) {
    const { spawnSync } = await import('node:child_process');
    spawnSync('bash', [pgScript, 'stop'], { env, stdio: 'inherit' });
    rmSync(env.PG_TEST_RUN_DIR, { recursive: true, force: true });
  }
}
if (retried.length > 0) console.log(`run-tests: retried once: ${retried.join(', ')}`);
if (failedFiles.length > 0) console.log(`run-tests: failed twice: ${failedFiles.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
