import type { Migration } from './migration.js';

/**
 * The location service (RFC 3261 §10.3). One row per binding, keyed by (aor, binding_key) where
 * binding_key is 'outbound <reg-id> <instance-id>' (RFC 5626 §6) or 'contact <uri>'. q is kept in
 * thousandths; times are absolute ms.
 */
export const migration002Locations: Migration = {
  version: 2,
  name: 'locations',
  sql: `
CREATE TABLE registrar_bindings (
  aor                     TEXT NOT NULL,
  binding_key             TEXT NOT NULL,
  contact                 TEXT NOT NULL,
  expires_at              BIGINT NOT NULL,
  q_millis                SMALLINT NOT NULL CHECK (q_millis BETWEEN 0 AND 1000),
  call_id                 TEXT NOT NULL,
  cseq                    BIGINT NOT NULL,
  received_transport      TEXT,
  received_address        TEXT,
  received_port           INTEGER,
  received_listener_id    TEXT,
  received_connection_id  TEXT,
  path                    TEXT[] NOT NULL DEFAULT '{}',
  instance_id             TEXT,
  reg_id                  INTEGER,
  gruu                    TEXT,
  user_agent              TEXT,
  updated_at              BIGINT NOT NULL,
  PRIMARY KEY (aor, binding_key)
);
CREATE INDEX registrar_bindings_expires_at ON registrar_bindings (expires_at);
`,
};
