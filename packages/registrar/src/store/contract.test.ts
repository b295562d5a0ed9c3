import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { memoryHarness, type StoreHarness, sqlHarness } from '../test/harness.js';
import { locationStoreContract } from '../test/location-contract.js';
import { freshPGliteOptions } from '../test/pglite-template.js';
import { createTestDatabase, postgresSkip, requirePostgresInCi } from '../test/postgres.js';
import { userStoreContract } from '../test/user-contract.js';

// The same contract, against every backend: memory, PGlite in memory, PGlite in a directory, PostgreSQL.
function backend(
  name: string,
  open: () => Promise<StoreHarness>,
  propertyRuns: number,
  skip: string | false = false,
) {
  describe(name, { skip }, () => {
    let harness: StoreHarness | undefined;
    before(async () => {
      harness = await open();
    });
    after(() => harness?.close());
    const h = () => {
      if (harness === undefined) throw new Error(`${name} backend did not open`);
      return harness;
    };
    locationStoreContract(h, { propertyRuns });
    userStoreContract(h);
  });
}

backend('memory stores', memoryHarness, 100);
backend('PGlite memory://', async () => sqlHarness('memory://', await freshPGliteOptions()), 25);
backend(
  'PGlite directory',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsvoip-registrar-'));
    return sqlHarness(dir, await freshPGliteOptions(), async () =>
      rmSync(dir, { recursive: true, force: true }),
    );
  },
  15,
);

const pgSkip = postgresSkip();
backend(
  'PostgreSQL server',
  async () => {
    const db = await createTestDatabase(requirePostgresInCi());
    return sqlHarness(db.url, {}, () => db.drop());
  },
  25,
  pgSkip,
);
