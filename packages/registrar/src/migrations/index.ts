import { migration001Users } from './001_users.js';
import { migration002Locations } from './002_locations.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';
export { migration001Users, migration002Locations };

/**
 * Every migration of the registrar schema, in order. This TypeScript module is the single source of
 * truth (tsc does not copy .sql files into dist, so there are none); `renderMigrationsSql()` prints them
 * as one plain SQL file for a DBA.
 */
export const registrarMigrations: readonly Migration[] = [migration001Users, migration002Locations];
