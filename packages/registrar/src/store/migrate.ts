import { type Migration, registrarMigrations } from '../migrations/index.js';
import { MigrationError } from './errors.js';
import { integerOf, textOf } from './row.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** The migrations to apply (default: the registrar's). */
  readonly migrations?: readonly Migration[];
  /**
   * Name under which they are recorded in `schema_migrations` (default `registrar`), so the stores of
   * several packages can share one database, each with its own version sequence.
   */
  readonly component?: string;
}

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Versions applied by this call, in order (empty when the schema was already up to date). */
  readonly applied: number[];
  /** The schema version after the call. */
  readonly version: number;
}

/**
 * Key of the PostgreSQL advisory lock that serializes migrations across nodes: the bytes of "tsvoipmg"
 * as a big-endian 64-bit integer.
 */
export const MIGRATION_LOCK_KEY = '8391180751603789159';

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  component   TEXT NOT NULL,
  version     INTEGER NOT NULL,
  name        TEXT NOT NULL,
  applied_at  BIGINT NOT NULL,
  PRIMARY KEY (component, version)
)`;

function checkSequence(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new MigrationError(`migration ${m.name} has version ${m.version}, expected ${i + 1}`, m.version);
    }
  });
}

async function applyPending(
  tx: SqlQueryable,
  migrations: readonly Migration[],
  component: string,
): Promise<MigrateResult> {
  // Serialize concurrent starts: the lock is held until this transaction ends, and it is taken before
  // CREATE TABLE IF NOT EXISTS, which is not safe against a concurrent creator on its own.
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
  await tx.exec(CREATE_TABLE);
  const rows = await tx.query(
    'SELECT version, name FROM schema_migrations WHERE component = $1 ORDER BY version',
    [component],
  );
  const recorded = new Map<number, string>();
  for (const row of rows) recorded.set(integerOf(row, 'version'), textOf(row, 'name'));
  const applied: number[] = [];
  for (const m of migrations) {
    const name = recorded.get(m.version);
    if (name !== undefined) {
      if (name !== m.name) {
        throw new MigrationError(
          `${component} migration ${m.version} is recorded as '${name}' but the code has '${m.name}'`,
          m.version,
        );
      }
      continue;
    }
    try {
      await tx.exec(m.sql);
    } catch (cause) {
      throw new MigrationError(`${component} migration ${m.version} (${m.name}) failed`, m.version, {
        cause,
      });
    }
    await tx.query(
      `INSERT INTO schema_migrations (component, version, name, applied_at)
       VALUES ($1, $2, $3, (extract(epoch from clock_timestamp()) * 1000)::bigint)`,
      [component, m.version, m.name],
    );
    applied.push(m.version);
  }
  // A newer node may have applied later versions: they are kept, and reported as the version.
  const version = Math.max(migrations.length, ...recorded.keys());
  return { applied, version };
}

/**
 * Brings the schema up to date: applies, in order and in one transaction, every migration not yet
 * recorded in `schema_migrations`. Idempotent. Safe when several nodes start at once against one
 * PostgreSQL server (they queue on `pg_advisory_xact_lock`; the first applies, the others find nothing
 * to do). On failure nothing is applied.
 * @throws MigrationError when a migration fails or the recorded history disagrees with the code.
 */
export async function migrate(client: SqlClient, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = options.migrations ?? registrarMigrations;
  const component = options.component ?? 'registrar';
  checkSequence(migrations);
  return client.transaction((tx) => applyPending(tx, migrations, component));
}

/** Every migration as one plain SQL script, with a comment line before each (for a DBA or psql). */
export function renderMigrationsSql(migrations: readonly Migration[] = registrarMigrations): string {
  return migrations
    .map((m) => `-- ${String(m.version).padStart(3, '0')}_${m.name}\n${m.sql.trim()}\n`)
    .join('\n');
}
