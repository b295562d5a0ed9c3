import type { LocationStore } from '../store/location-store.js';
import { MemoryLocationStore } from '../store/memory-location-store.js';
import { MemoryUserStore } from '../store/memory-user-store.js';
import { type OpenDatabaseOptions, openDatabase, type RegistrarDatabase } from '../store/open-database.js';
import type { UserStore } from '../store/user-store.js';

/** One backend under the contract tests: fresh, empty stores after each `reset`. */
export interface StoreHarness {
  /** The location store under test. */
  locations(): LocationStore;
  /** The user store under test. */
  users(): UserStore;
  /** Empties both stores. */
  reset(): Promise<void>;
  /** Releases the backend. */
  close(): Promise<void>;
}

/** The in-memory stores. */
export function memoryHarness(): Promise<StoreHarness> {
  let locations = new MemoryLocationStore();
  let users = new MemoryUserStore();
  return Promise.resolve({
    locations: () => locations,
    users: () => users,
    async reset() {
      locations = new MemoryLocationStore();
      users = new MemoryUserStore();
    },
    async close() {},
  });
}

/** The SQL stores on `target` (PGlite directory, `memory://`, or a PostgreSQL URL), migrated. */
export async function sqlHarness(
  target: string,
  options: OpenDatabaseOptions = {},
  onClose?: () => Promise<void>,
): Promise<StoreHarness> {
  const db: RegistrarDatabase = await openDatabase(target, options);
  return {
    locations: () => db.locations,
    users: () => db.users,
    async reset() {
      await db.client.query('TRUNCATE registrar_bindings, registrar_users');
    },
    async close() {
      await db.close();
      await onClose?.();
    },
  };
}
