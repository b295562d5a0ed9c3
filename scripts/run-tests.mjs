#!/usr/bin/env node
// Runs every `*.test.ts` beside the code (packages/*, scripts/) and the interop tests (test/)
// through node:test + tsx.
// Usage: node scripts/run-tests.mjs [path-filter ...]
// Workspace packages resolve to their TypeScript sources through the "source" export condition,
// so tests need no prior build.
import { spawnSync } from 'node:child_process';
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
// The SQL store tests also run against a real PostgreSQL server: start a throwaway one on loopback
// unless the caller gave one (TSVOIP_TEST_POSTGRES_URL), and stop it afterwards.
const pgScript = join(root, 'packages/registrar/scripts/postgres-test-server.sh');
const env = { ...process.env };
let startedPostgres = false;
if (!env.TSVOIP_TEST_POSTGRES_URL && files.some((f) => f.startsWith('packages/registrar/'))) {
  // A run directory and port of this run's own, so two test runs on one machine do not collide.
  env.PG_TEST_RUN_DIR = join(tmpdir(), `tsvoip-registrar-pg-${process.pid}`);
  const port = String(55432 + (process.pid % 500));
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
let status = 1;
try {
  const r = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--test', '--test-reporter=spec', ...files],
    { cwd: root, stdio: 'inherit', env },
  );
  status = r.status ?? 1;
} finally {
  if (startedPostgres) {
    spawnSync('bash', [pgScript, 'stop'], { env, stdio: 'inherit' });
    rmSync(env.PG_TEST_RUN_DIR, { recursive: true, force: true });
  }
}
process.exit(status);
