/**
 * The data-directory lock: one process at a time opens an embedded (PGlite) database. The lock
 * file holds the owner's PID; a lock left by a dead process is stale and taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The lock file's name in the data directory. */
export const LOCK_FILE = 'tsvoip.lock';

/** Who holds a lock. */
export interface LockHolder {
  /** Process id. */
  readonly pid: number;
  /** What it is: the PBX, or a `tsvoip users` command. */
  readonly role: 'pbx' | 'users';
  /** When it took the lock (ms since the epoch). */
  readonly since: number;
}

/** The data directory is in use by another live process. */
export class DataDirLockedError extends Error {
  /** The live holder. */
  readonly holder: LockHolder;
  /** Creates the error. */
  constructor(dir: string, holder: LockHolder) {
    super(
      `${dir} is in use by ${holder.role === 'pbx' ? 'a running tsvoip pbx' : 'tsvoip users'} (pid ${holder.pid})`,
    );
    this.name = 'DataDirLockedError';
    this.holder = holder;
  }
}

/** Whether process `pid` exists (signal 0; EPERM means it exists under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid !== 'number' || !Number.isInteger(v.pid) || v.pid <= 0) return undefined;
    return {
      pid: v.pid,
      role: v.role === 'users' ? 'users' : 'pbx',
      since: typeof v.since === 'number' ? v.since : 0,
    };
  } catch {
    return undefined;
  }
}

/** The live holder of the lock of `dir`, or undefined (no lock, or a stale one). */
export function lockHolder(dir: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, LOCK_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const h = parseHolder(text);
  return h !== undefined && processAlive(h.pid) ? h : undefined;
}

/** A held lock. */
export class DataDirLock {
  readonly #path: string;
  #held = true;

  private constructor(path: string) {
    this.#path = path;
  }

  /**
   * Takes the lock of `dir` (created if missing) for this process; a stale lock (dead PID, or
   * unreadable) is removed first. @throws DataDirLockedError when a live process holds it.
   */
  static acquire(dir: string, role: LockHolder['role'], now: number): DataDirLock {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, LOCK_FILE);
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        try {
          writeSync(fd, JSON.stringify({ pid: process.pid, role, since: now }));
        } finally {
          closeSync(fd);
        }
        return new DataDirLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err;
      }
      let text = '';
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        continue; // removed meanwhile: try again
      }
      const h = parseHolder(text);
      if (h !== undefined && h.pid !== process.pid && processAlive(h.pid))
        throw new DataDirLockedError(dir, h);
      try {
        unlinkSync(path); // stale: its process is gone
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
  }

  /** Releases the lock (idempotent). */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    try {
      unlinkSync(this.#path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}
