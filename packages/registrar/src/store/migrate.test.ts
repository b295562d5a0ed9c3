import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registrarMigrations } from '../migrations/index.js';
import { freshPGliteOptions } from '../test/pglite-template.js';
import {
  createTestDatabase,
  postgresSkip,
  requirePostgresInCi,
  type TestDatabase,
} from '../test/postgres.js';
import { BindingOutOfOrderError, MigrationError } from './errors.js';
import { migrate, renderMigrationsSql } from './migrate.js';
import { isPostgresUrl, openDatabase, openSqlClient, type RegistrarDatabase } from './open-database.js';
import type { SqlClient } from './sql-client.js';

async function tables(client: SqlClient, schema = 'public'): Promise<string[]> {
  const rows = await client.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
    [schema],
  );
  return rows.map((r) => String(r.table_name));
}

describe('migrate on PGlite', () => {
  let client: SqlClient;
  before(async () => {
    client = await openSqlClient('memory://', await freshPGliteOptions());
  });
  after(() => client.close());

  it('applies every migration once, records them, and is idempotent', async () => {
    assert.equal(client.dialect, 'pglite', 'memory:// opens PGlite');
    assert.deepEqual(await migrate(client), { applied: [1, 2], version: 2 });
    assert.deepEqual(await migrate(client), { applied: [], version: 2 });
    const rows = await client.query(
      `SELECT component, version, name, applied_at FROM schema_migrations ORDER BY version`,
    );
    assert.deepEqual(
      rows.map((r) => [r.component, r.version, r.name]),
      [
        ['registrar', 1, 'users'],
        ['registrar', 2, 'locations'],
      ],
    );
    assert.ok(Number(rows[0].applied_at) > 1_600_000_000_000, 'applied_at is ms since the epoch');
    assert.deepEqual(await tables(client), ['registrar_bindings', 'registrar_users', 'schema_migrations']);
  });

  it('rolls back a failing migration entirely and records nothing for it', async () => {
    const broken = [
      ...registrarMigrations,
      {
        version: 3,
        name: 'broken',
        sql: 'CREATE TABLE half_done (x int); SELECT no_such_column FROM half_done;',
      },
    ];
    await assert.rejects(migrate(client, { migrations: broken }), (err: unknown) => {
      assert.ok(err instanceof MigrationError);
      assert.equal(err.version, 3);
      return true;
    });
    assert.equal((await tables(client)).includes('half_done'), false);
    assert.deepEqual(await migrate(client), { applied: [], version: 2 });
  });

  it('refuses a history that disagrees with the code, and a gap in versions', async () => {
    const renamed = [{ ...registrarMigrations[0], name: 'people' }, registrarMigrations[1]];
    await assert.rejects(migrate(client, { migrations: renamed }), /recorded as 'users'/);
    const gap = [registrarMigrations[0], { ...registrarMigrations[1], version: 3 }];
    await assert.rejects(migrate(client, { migrations: gap }), MigrationError);
  });

  it('keeps each component on its own version sequence in schema_migrations', async () => {
    const other = [{ version: 1, name: 'cdr', sql: 'CREATE TABLE other_cdr (id int primary key);' }];
    assert.deepEqual(await migrate(client, { migrations: other, component: 'cdr' }), {
      applied: [1],
      version: 1,
    });
    assert.deepEqual(await migrate(client), { applied: [], version: 2 });
    assert.ok((await tables(client)).includes('other_cdr'));
  });

  it('renderMigrationsSql is a plain script that builds the same tables', async () => {
    const sql = renderMigrationsSql();
    assert.match(sql, /^-- 001_users\n/);
    assert.match(sql, /\n-- 002_locations\n/);
    await client.exec('CREATE SCHEMA dba; SET search_path TO dba;');
    try {
      await client.exec(sql);
      assert.deepEqual(await tables(client, 'dba'), ['registrar_bindings', 'registrar_users']);
    } finally {
      await client.exec('SET search_path TO public; DROP SCHEMA dba CASCADE;');
    }
  });
});

describe('openDatabase target selection', () => {
  it('treats postgres:// and postgresql:// URLs (any case) as a server, anything else as PGlite', async () => {
    assert.equal(isPostgresUrl('postgres://u@h/db'), true);
    assert.equal(isPostgresUrl('PostgreSQL://u@h:5433/db'), true);
    assert.equal(isPostgresUrl('memory://'), false);
    assert.equal(isPostgresUrl('./data/postgres://x'), false);
    assert.equal(isPostgresUrl('/var/lib/tsvoip'), false);
    const pg = await openSqlClient('postgres://nobody@127.0.0.1:1/none');
    assert.equal(pg.dialect, 'postgres'); // the pool connects lazily: no server needed to pick it
    await pg.close();
  });
});

const skip = postgresSkip();
describe('PostgreSQL server: several nodes', { skip }, () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase(requirePostgresInCi());
  });
  after(() => db?.drop());

  it('four nodes starting at once migrate exactly once (pg_advisory_xact_lock)', async () => {
    const settled = await Promise.allSettled([1, 2, 3, 4].map(() => openDatabase(db.url)));
    const nodes = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      for (const r of settled) if (r.status === 'rejected') throw r.reason;
      const applied = nodes.map((n) => n.migration.applied);
      assert.deepEqual(
        applied.filter((a) => a.length > 0),
        [[1, 2]],
      );
      assert.ok(nodes.every((n) => n.migration.version === 2));
      const rows = await nodes[0].client.query('SELECT count(*)::int AS n FROM schema_migrations');
      assert.equal(rows[0].n, 2);
      // Every node can use the schema at once.
      await Promise.all(
        nodes.map((n, i) => n.users.add({ username: `10${i}`, realm: 'pbx.example', password: 'pw' }, i)),
      );
      assert.equal((await nodes[3].users.list()).length, 4);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  });

  it('RFC 3261 §10.3 step 7 holds across nodes: of two racing equal REGISTERs exactly one wins', async () => {
    const a: RegistrarDatabase = await openDatabase(db.url);
    const b: RegistrarDatabase = await openDatabase(db.url);
    try {
      for (let cseq = 1; cseq <= 20; cseq++) {
        const binding = {
          aor: 'sip:race@pbx.example',
          contact: 'sip:race@192.0.2.1',
          expiresAt: 10_000,
          q: 1,
          callId: 'race',
          cseq,
          path: [],
          updatedAt: cseq,
        };
        const results = await Promise.allSettled([a.locations.upsert(binding), b.locations.upsert(binding)]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        assert.equal(won.length, 1, `round ${cseq}`);
        assert.ok(lost[0].status === 'rejected' && lost[0].reason instanceof BindingOutOfOrderError);
      }
      assert.equal(await a.locations.count(), 1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
