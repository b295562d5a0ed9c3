import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { computeHa1, MemoryUserStore, openDatabase } from '@tsvoip/registrar';
import { validateConfig } from '../config/load.js';
import type { PbxConfig } from '../config/schema.js';
import { startAdminServer } from '../pbx/admin.js';
import { DataDirLock, DataDirLockedError, LOCK_FILE, lockHolder } from '../pbx/data-lock.js';
import { executeUserOperation, UsersCommandError } from './command.js';
import { runUserOperation } from './operations.js';

const root = mkdtempSync(join(tmpdir(), 'tsvoip-users-'));
after(() => rmSync(root, { recursive: true, force: true }));

function configFor(dataDir: string): PbxConfig {
  return validateConfig({ dataDir, realm: 'pbx.test' });
}

/** The PID of a process that has exited (a stale lock's owner). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  assert.ok(r.pid !== undefined && r.pid > 0);
  return r.pid;
}

describe('tsvoip users on the embedded database', () => {
  const dataDir = join(root, 'direct');
  const config = configFor(dataDir);

  it('add, list, passwd, remove: the database holds what each did (HA1 of the new password)', async () => {
    const now = 1_700_000_000_000;
    const add = await executeUserOperation(
      config,
      { op: 'add', username: '1001', password: 'one', displayName: 'Alice' },
      now,
    );
    assert.deepEqual(add, { result: { ok: true }, path: 'direct' });
    const list = await executeUserOperation(config, { op: 'list' }, now);
    assert.deepEqual(list.result, {
      ok: true,
      users: [{ username: '1001', displayName: 'Alice', enabled: true }],
    });
    await executeUserOperation(config, { op: 'passwd', username: '1001', password: 'changed' }, now);
    // The lock is released after each command.
    assert.equal(existsSync(join(dataDir, LOCK_FILE)), false);
    const db = await openDatabase(join(dataDir, 'db'));
    try {
      assert.equal(
        await db.users.getHa1('1001', 'pbx.test', 'MD5'),
        computeHa1('MD5', '1001', 'pbx.test', 'changed'),
      );
    } finally {
      await db.close();
    }
    await executeUserOperation(config, { op: 'remove', username: '1001' }, now);
    const after = await executeUserOperation(config, { op: 'list' }, now);
    assert.deepEqual(after.result, { ok: true, users: [] });
  });

  it('refuses while another live process holds the data directory without an admin endpoint', async () => {
    const d = join(root, 'locked');
    DataDirLock.acquire(d, 'pbx', 0).release();
    // A live process that is not us: our parent.
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ pid: process.ppid, role: 'pbx', since: 0 }));
    await assert.rejects(
      executeUserOperation(configFor(d), { op: 'list' }, 0),
      (e: unknown) => e instanceof UsersCommandError && e.message.includes(`pid ${process.ppid}`),
    );
    assert.throws(() => DataDirLock.acquire(d, 'pbx', 0), DataDirLockedError);
  });

  it('takes over a stale lock left by a dead process', async () => {
    // Same directory as above (a new PGlite directory costs an initdb of seconds).
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: deadPid(), role: 'pbx', since: 0 }));
    assert.equal(lockHolder(dataDir), undefined);
    const r = await executeUserOperation(config, { op: 'add', username: '7', password: 'p' }, 0);
    assert.deepEqual(r, { result: { ok: true }, path: 'direct' });
  });
});

describe('tsvoip users while a PBX holds the database', () => {
  const d = join(root, 'running');
  const store = new MemoryUserStore();
  let close: (() => Promise<void>) | undefined;

  before(async () => {
    // What `tsvoip pbx` does: the lock with its PID, then the admin endpoint on its store.
    DataDirLock.acquire(d, 'pbx', 0);
    const admin = await startAdminServer(d, (op) => runUserOperation(store, 'pbx.test', op, 1));
    close = admin.close;
  });
  after(async () => {
    await close?.();
  });

  it('goes through the admin endpoint: the PBX store changes, the database is not opened', async () => {
    const r = await executeUserOperation(configFor(d), { op: 'add', username: '1003', password: 'three' }, 0);
    assert.deepEqual(r, { result: { ok: true }, path: 'pbx' });
    assert.equal(
      await store.getHa1('1003', 'pbx.test', 'SHA-256'),
      computeHa1('SHA-256', '1003', 'pbx.test', 'three'),
    );
    assert.equal(existsSync(join(d, 'db')), false);
    const l = await executeUserOperation(configFor(d), { op: 'list' }, 0);
    assert.deepEqual(l.result, { ok: true, users: [{ username: '1003', enabled: true }] });
    const bad = await executeUserOperation(
      configFor(d),
      { op: 'passwd', username: 'nobody', password: 'x' },
      0,
    );
    assert.deepEqual(bad.result, { ok: false, error: 'no user "nobody"' });
    const dup = await executeUserOperation(configFor(d), { op: 'add', username: '1003', password: 'x' }, 0);
    assert.deepEqual(dup.result, { ok: false, error: 'user "1003" exists' });
    await executeUserOperation(configFor(d), { op: 'remove', username: '1003' }, 0);
    assert.equal(await store.get('1003'), undefined);
  });
});
