import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { OpenDatabaseOptions } from '../store/open-database.js';

/**
 * Test speed-up: a fresh PGlite database runs initdb (seconds of WASM on a busy 2-core machine). The
 * test files start new databases from one dump of a freshly initialized, empty cluster instead, cached
 * in the temp directory and keyed by the PGlite build. Migrations still run on every new database.
 */
async function templateTar(): Promise<Uint8Array> {
  const wasm = fileURLToPath(import.meta.resolve('@electric-sql/pglite/pglite.wasm'));
  const st = statSync(wasm);
  const file = join(tmpdir(), `tsvoip-pglite-template-${st.size}-${Math.floor(st.mtimeMs)}.tar`);
  if (existsSync(file)) return readFileSync(file);
  const db = await PGlite.create('memory://');
  const dump = new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer());
  await db.close();
  // Write then rename, so a test file running in parallel never reads a half-written template.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, dump);
  renameSync(partial, file);
  return dump;
}

/** `openDatabase` options that start a new PGlite database from the cached empty cluster. */
export async function freshPGliteOptions(): Promise<OpenDatabaseOptions> {
  const tar = await templateTar();
  return { pglite: { loadDataDir: new Blob([tar]) } };
}
