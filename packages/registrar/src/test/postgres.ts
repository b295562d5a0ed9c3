import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Environment variable holding the URL of the PostgreSQL server the SQL store tests use. */
export const POSTGRES_URL_ENV = 'TSVOIP_TEST_POSTGRES_URL';

/**
 * The test server URL, or why the PostgreSQL suites are skipped. Outside CI a missing URL skips them;
 * in CI (`CI` set) it is an error, reported by {@link requirePostgresInCi}.
 */
export function postgresTestUrl(): string | undefined {
  const url = process.env[POSTGRES_URL_ENV];
  return url === undefined || url === '' ? undefined : url;
}

/** Why the PostgreSQL suites are skipped, or `false` when they run. */
export function postgresSkip(): string | false {
  if (postgresTestUrl() !== undefined) return false;
  if (process.env.CI) return false; // must not skip in CI: the suite fails in requirePostgresInCi
  return `${POSTGRES_URL_ENV} not set (start one with packages/registrar/scripts/postgres-test-server.sh start)`;
}

/** The URL, or a thrown error naming the variable (in CI, where skipping is not allowed). */
export function requirePostgresInCi(): string {
  const url = postgresTestUrl();
  if (url === undefined) {
    throw new Error(`${POSTGRES_URL_ENV} is not set: CI must run the PostgreSQL store tests`);
  }
  return url;
}

/** A fresh database on the test server, dropped by `drop`. */
export interface TestDatabase {
  /** Connection URL of the new database. */
  readonly url: string;
  /** Drops the database (closing its other sessions first). */
  drop(): Promise<void>;
}

/** Creates an empty database named `tsvoip_test_<random>` on the server at `serverUrl`. */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `tsvoip_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
