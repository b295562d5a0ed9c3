import type { Migration } from './migration.js';

/**
 * Users of the registrar (digest credentials). HA1 = H(username:realm:password) per algorithm
 * (RFC 7616 §3.4.2); the password itself is never stored. Times are ms since the epoch.
 */
export const migration001Users: Migration = {
  version: 1,
  name: 'users',
  sql: `
CREATE TABLE registrar_users (
  username        TEXT PRIMARY KEY CHECK (username <> ''),
  display_name    TEXT,
  realm           TEXT NOT NULL,
  ha1_md5         TEXT NOT NULL,
  ha1_sha256      TEXT NOT NULL,
  ha1_sha512_256  TEXT NOT NULL,
  enabled         BOOLEAN NOT NULL DEFAULT TRUE,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
`,
};
