/** A value bound to a `$n` placeholder. Arrays bind as PostgreSQL arrays (e.g. `text[]`). */
export type SqlValue = string | number | boolean | null | readonly string[];

/** A result row: column name to value, not yet narrowed (see `row.ts`). */
export type SqlRow = Record<string, unknown>;

/** What can run statements: a client, or a transaction handed to {@link SqlClient.transaction}. */
export interface SqlQueryable {
  /** Runs one statement with `$1..$n` parameters and returns its rows (empty for statements without). */
  query(text: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Runs a script of several `;`-separated statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/** Which engine a {@link SqlClient} talks to. */
export type SqlDialect = 'pglite' | 'postgres';

/**
 * The one database interface the SQL stores use, implemented for PGlite (in-process PostgreSQL) and for
 * a PostgreSQL server through `pg`. Both speak the same SQL, so the stores have one code path.
 */
export interface SqlClient extends SqlQueryable {
  /** The engine behind this client. */
  readonly dialect: SqlDialect;
  /**
   * Runs `fn` inside BEGIN/COMMIT on one connection; rolls back and rethrows when `fn` throws.
   * Statements must go through the `tx` argument, not the client, while `fn` runs.
   */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Closes the connection(s); on PGlite, also flushes and releases the data directory. */
  close(): Promise<void>;
}

/** Maps `undefined` (absent optional field) to SQL NULL. */
export function orNull<T extends SqlValue>(v: T | undefined): T | null {
  return v === undefined ? null : v;
}
