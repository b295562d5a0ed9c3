import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freshPGliteOptions } from '../test/pglite-template.js';
import { openDatabase } from './open-database.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tsvoip-registrar-durable-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs durability-child.ts on `dir`, SIGKILLs it as soon as it reports the write, returns its signal. */
function writeThenKill(dir: string): Promise<NodeJS.Signals | null> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      fileURLToPath(new URL('../test/durability-child.ts', import.meta.url)),
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    // Fixed bound so a hung child cannot hang the suite.
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child did not report the write in time: ${stderr}`));
    }, 60_000);
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('written')) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal === null) reject(new Error(`child exited with ${code} before being killed: ${stderr}`));
      else resolve(signal);
    });
  });
}

describe('PGlite durability', () => {
  it('data written in a directory is there after close and reopen', async () => {
    const dir = tempDir();
    const first = await openDatabase(dir, await freshPGliteOptions());
    assert.deepEqual(first.migration.applied, [1, 2]);
    await first.users.add(
      { username: '1001', realm: 'pbx.example', password: 'pw', displayName: 'Alice' },
      5,
    );
    await first.locations.upsert({
      aor: 'sip:1001@pbx.example',
      contact: 'sip:1001@192.0.2.1',
      expiresAt: 9_000,
      q: 0.5,
      callId: 'c',
      cseq: 3,
      path: ['<sip:edge;lr>'],
      updatedAt: 5,
    });
    await first.close();

    const second = await openDatabase(dir);
    try {
      assert.deepEqual(second.migration.applied, [], 'the schema is already there');
      assert.equal((await second.users.get('1001'))?.displayName, 'Alice');
      const [b] = await second.locations.lookup('sip:1001@pbx.example', 0);
      assert.deepEqual([b.contact, b.cseq, b.q, b.path], ['sip:1001@192.0.2.1', 3, 0.5, ['<sip:edge;lr>']]);
    } finally {
      await second.close();
    }
  });

  it('a write whose promise resolved survives SIGKILL of the process right after', async () => {
    const dir = tempDir();
    await (await openDatabase(dir, await freshPGliteOptions())).close();
    assert.equal(await writeThenKill(dir), 'SIGKILL');
    const db = await openDatabase(dir);
    try {
      assert.equal((await db.users.get('1001'))?.realm, 'pbx.example');
      assert.equal((await db.locations.lookup('sip:1001@pbx.example', 0))[0]?.callId, 'kill-9');
    } finally {
      await db.close();
    }
  });
});
