export type { Migration } from './migrations/index.js';
export { migration001Users, migration002Locations, registrarMigrations } from './migrations/index.js';
export * from './registrar/index.js';
export {
  type Binding,
  type BindingKey,
  bindingKeyOf,
  compareBindings,
  isInOrder,
  MAX_CSEQ,
  type ReceivedSource,
  type RegisterOrder,
  validateBinding,
} from './store/binding.js';
export {
  BindingOutOfOrderError,
  InvalidBindingError,
  InvalidUserError,
  MigrationError,
  RegistrarStoreError,
  StoreDataError,
  UserExistsError,
  UserNotFoundError,
} from './store/errors.js';
export {
  computeHa1,
  computeHa1Set,
  DIGEST_ALGORITHMS,
  type DigestAlgorithm,
  digestAlgorithmOf,
  type Ha1Set,
} from './store/ha1.js';
export type { CountOptions, LocationStore, UpsertOutcome } from './store/location-store.js';
export { MemoryLocationStore } from './store/memory-location-store.js';
export { MemoryUserStore } from './store/memory-user-store.js';
export {
  MIGRATION_LOCK_KEY,
  type MigrateOptions,
  type MigrateResult,
  migrate,
  renderMigrationsSql,
} from './store/migrate.js';
export {
  isPostgresUrl,
  type OpenDatabaseOptions,
  openDatabase,
  openSqlClient,
  type RegistrarDatabase,
} from './store/open-database.js';
export { PgClient, type PgClientOptions } from './store/pg-client.js';
export { PGliteClient } from './store/pglite-client.js';
export type { SqlClient, SqlDialect, SqlQueryable, SqlRow, SqlValue } from './store/sql-client.js';
export { SqlLocationStore } from './store/sql-location-store.js';
export { SqlUserStore } from './store/sql-user-store.js';
export type { NewUser, User, UserStore } from './store/user-store.js';
