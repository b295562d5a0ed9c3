import type { PGliteOptions } from '@electric-sql/pglite';
import type { LocationStore } from './location-store.js';
import { type MigrateResult, migrate } from './migrate.js';
import { PgClient, type PgClientOptions } from './pg-client.js';
import { PGliteClient } from './pglite-client.js';
import type { SqlClient } from './sql-client.js';
import { SqlLocationStore } from './sql-location-store.js';
import { SqlUserStore } from './sql-user-store.js';
import type { UserStore } from './user-store.js';

/** The registrar's stores on one opened, migrated database. */
export interface RegistrarDatabase {
  /** The connection the stores use (for a health check, or another package's tables). */
  readonly client: SqlClient;
  /** Users and digest credentials. */
  readonly users: UserStore;
  /** The location service. */
  readonly locations: LocationStore;
  /** What the start-up migration did. */
  readonly migration: MigrateResult;
  /** Closes the connection (PGlite: flushes and releases the data directory). */
  close(): Promise<void>;
}

/** Options of {@link openDatabase} and {@link openSqlClient}. */
export interface OpenDatabaseOptions {
  /** Pool options when the target is a PostgreSQL server. */
  readonly pg?: PgClientOptions;
  /** PGlite options when the target is a data directory or `memory://`. */
  readonly pglite?: PGliteOptions;
}

/** Whether `target` names a PostgreSQL server (`postgres://` or `postgresql://`, any case). */
export function isPostgresUrl(target: string): boolean {
  const lower = target.slice(0, 13).toLowerCase();
  return lower.startsWith('postgres://') || lower.startsWith('postgresql://');
}

/**
 * Opens a {@link SqlClient} without migrating: a `postgres://` or `postgresql://` URL opens a `pg` pool;
 * anything else opens PGlite with that data directory (`memory://` keeps nothing on disk).
 */
export async function openSqlClient(target: string, options: OpenDatabaseOptions = {}): Promise<SqlClient> {
  if (isPostgresUrl(target)) return PgClient.open(target, options.pg);
  return PGliteClient.open(target, options.pglite);
}

/**
 * Opens the registrar database named by `target` (see {@link openSqlClient}), applies the pending
 * migrations, and returns the SQL stores on it. On a migration failure the connection is closed and
 * the `MigrationError` rethrown.
 */
export async function openDatabase(
  target: string,
  options: OpenDatabaseOptions = {},
): Promise<RegistrarDatabase> {
  const client = await openSqlClient(target, options);
  let migration: MigrateResult;
  try {
    migration = await migrate(client);
  } catch (err) {
    await client.close();
    throw err;
  }
  return {
    client,
    users: new SqlUserStore(client),
    locations: new SqlLocationStore(client),
    migration,
    close: () => client.close(),
  };
}
