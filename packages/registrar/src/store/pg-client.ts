import pg from 'pg';
import type { SqlClient, SqlQueryable, SqlRow, SqlValue } from './sql-client.js';

/** Options of {@link PgClient.open}. */
export interface PgClientOptions {
  /** Most connections the pool opens (default 10). */
  readonly max?: number;
  /** Name reported to the server in `pg_stat_activity` (default `tsvoip-registrar`). */
  readonly applicationName?: string;
  /**
   * Called when an idle pooled connection fails (server restart, network cut); the pool drops that
   * connection and opens a new one on demand. Without a handler `pg` would crash the process; the
   * default reports it with `process.emitWarning`.
   */
  readonly onIdleError?: (err: Error) => void;
}

interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: SqlRow[] }>;
}

function wrap(q: PgQueryable): SqlQueryable {
  return {
    async query(text: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
      const result = await q.query(text, [...params]);
      return result.rows;
    },
    async exec(script: string): Promise<void> {
      // Without parameters `pg` uses the simple query protocol, which runs several statements.
      await q.query(script);
    },
  };
}

/** A {@link SqlClient} on a PostgreSQL server, through a `pg` connection pool. */
export class PgClient implements SqlClient {
  /** Always `'postgres'`. */
  readonly dialect = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #q: SqlQueryable;

  /** Wraps an existing pool; {@link PgClient.close} ends it. */
  constructor(pool: pg.Pool) {
    this.#pool = pool;
    this.#q = wrap(pool);
  }

  /** Opens a pool on a `postgres://` or `postgresql://` connection URL (connections open lazily). */
  static open(url: string, options: PgClientOptions = {}): PgClient {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      application_name: options.applicationName ?? 'tsvoip-registrar',
    });
    const onIdleError =
      options.onIdleError ??
      ((err: Error) =>
        process.emitWarning(`idle PostgreSQL connection failed: ${err.message}`, 'PgClientWarning'));
    pool.on('error', onIdleError);
    return new PgClient(pool);
  }

  /** {@inheritDoc SqlQueryable.query} */
  query(text: string, params?: readonly SqlValue[]): Promise<SqlRow[]> {
    return this.#q.query(text, params);
  }

  /** {@inheritDoc SqlQueryable.exec} */
  exec(script: string): Promise<void> {
    return this.#q.exec(script);
  }

  /** {@inheritDoc SqlClient.transaction} */
  async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const conn = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await conn.query('BEGIN');
      const result = await fn(wrap(conn));
      await conn.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await conn.query('ROLLBACK');
      } catch (rollbackErr) {
        // The connection is unusable: destroy it rather than return it to the pool; report the first error.
        broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
      }
      throw err;
    } finally {
      conn.release(broken);
    }
  }

  /** {@inheritDoc SqlClient.close} */
  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }
}
