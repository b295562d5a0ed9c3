import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import type { SqlClient, SqlQueryable, SqlRow, SqlValue } from './sql-client.js';

/** The subset of PGlite's query surface shared by the database object and its transactions. */
interface PGliteQueryable {
  query<T>(query: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(query: string): Promise<unknown>;
}

function wrap(q: PGliteQueryable): SqlQueryable {
  return {
    async query(text: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
      const result = await q.query<SqlRow>(text, [...params]);
      return result.rows;
    },
    async exec(script: string): Promise<void> {
      await q.exec(script);
    },
  };
}

/**
 * A {@link SqlClient} on an open PGlite database. Durability: in a directory, every committed statement
 * has been written to the files (NODEFS) when its promise resolves, so it survives the process being
 * killed; see the package README for what was measured.
 */
export class PGliteClient implements SqlClient {
  /** Always `'pglite'`. */
  readonly dialect = 'pglite' as const;
  readonly #db: PGlite;
  readonly #q: SqlQueryable;

  /** Wraps an existing PGlite instance; {@link PGliteClient.close} closes it. */
  constructor(db: PGlite) {
    this.#db = db;
    this.#q = wrap(db);
  }

  /**
   * Opens PGlite on `dataDir`: a directory path (created when missing) or `memory://` (nothing kept).
   * `options` go to PGlite as they are (e.g. `loadDataDir` to start a new database from a dump).
   */
  static async open(dataDir: string, options: PGliteOptions = {}): Promise<PGliteClient> {
    const db = await PGlite.create(dataDir, options);
    return new PGliteClient(db);
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
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.#db.transaction((tx) => fn(wrap(tx)));
  }

  /** {@inheritDoc SqlClient.close} */
  async close(): Promise<void> {
    if (!this.#db.closed) await this.#db.close();
  }
}
