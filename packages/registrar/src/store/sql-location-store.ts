import {
  type Binding,
  type BindingKey,
  bindingKeyOf,
  compareBindings,
  isInOrder,
  qToMillis,
  type ReceivedSource,
  type RegisterOrder,
  validateBinding,
} from './binding.js';
import { BindingOutOfOrderError } from './errors.js';
import type { CountOptions, LocationStore, UpsertOutcome } from './location-store.js';
import { booleanOf, integerOf, optionalIntegerOf, optionalTextOf, textArrayOf, textOf } from './row.js';
import { orNull, type SqlClient, type SqlQueryable, type SqlRow } from './sql-client.js';

const COLUMNS = `aor, binding_key, contact, expires_at, q_millis, call_id, cseq,
  received_transport, received_address, received_port, received_listener_id, received_connection_id,
  path, instance_id, reg_id, gruu, user_agent, updated_at`;

// RFC 3261 §10.3 step 7, in one statement: the conflicting row is updated only when the Call-ID differs
// or the CSeq is higher; otherwise no row comes back and the caller reports the request out of order.
const UPSERT = `
INSERT INTO registrar_bindings (${COLUMNS})
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text[], $14, $15, $16, $17, $18)
ON CONFLICT (aor, binding_key) DO UPDATE SET
  contact = EXCLUDED.contact, expires_at = EXCLUDED.expires_at, q_millis = EXCLUDED.q_millis,
  call_id = EXCLUDED.call_id, cseq = EXCLUDED.cseq,
  received_transport = EXCLUDED.received_transport, received_address = EXCLUDED.received_address,
  received_port = EXCLUDED.received_port, received_listener_id = EXCLUDED.received_listener_id,
  received_connection_id = EXCLUDED.received_connection_id, path = EXCLUDED.path,
  instance_id = EXCLUDED.instance_id, reg_id = EXCLUDED.reg_id, gruu = EXCLUDED.gruu,
  user_agent = EXCLUDED.user_agent, updated_at = EXCLUDED.updated_at
WHERE registrar_bindings.call_id <> EXCLUDED.call_id OR EXCLUDED.cseq > registrar_bindings.cseq
RETURNING (xmax = 0) AS inserted`;

function paramsOf(b: Binding): (string | number | readonly string[] | null)[] {
  const r = b.received;
  return [
    b.aor,
    bindingKeyOf(b),
    b.contact,
    b.expiresAt,
    qToMillis(b.q),
    b.callId,
    b.cseq,
    orNull(r?.transport),
    orNull(r?.address),
    orNull(r?.port),
    orNull(r?.listenerId),
    orNull(r?.connectionId),
    b.path,
    orNull(b.instanceId),
    orNull(b.regId),
    orNull(b.gruu),
    orNull(b.userAgent),
    b.updatedAt,
  ];
}

/** Reads a `registrar_bindings` row back into a {@link Binding}; absent optional fields stay absent. */
function bindingOf(row: SqlRow): Binding {
  const b: { -readonly [K in keyof Binding]: Binding[K] } = {
    aor: textOf(row, 'aor'),
    contact: textOf(row, 'contact'),
    expiresAt: integerOf(row, 'expires_at'),
    q: integerOf(row, 'q_millis') / 1000,
    callId: textOf(row, 'call_id'),
    cseq: integerOf(row, 'cseq'),
    path: textArrayOf(row, 'path'),
    updatedAt: integerOf(row, 'updated_at'),
  };
  const transport = optionalTextOf(row, 'received_transport');
  if (transport !== undefined) {
    const received: { -readonly [K in keyof ReceivedSource]: ReceivedSource[K] } = {
      transport,
      address: textOf(row, 'received_address'),
      port: integerOf(row, 'received_port'),
    };
    const listenerId = optionalTextOf(row, 'received_listener_id');
    if (listenerId !== undefined) received.listenerId = listenerId;
    const connectionId = optionalTextOf(row, 'received_connection_id');
    if (connectionId !== undefined) received.connectionId = connectionId;
    b.received = received;
  }
  const instanceId = optionalTextOf(row, 'instance_id');
  if (instanceId !== undefined) b.instanceId = instanceId;
  const regId = optionalIntegerOf(row, 'reg_id');
  if (regId !== undefined) b.regId = regId;
  const gruu = optionalTextOf(row, 'gruu');
  if (gruu !== undefined) b.gruu = gruu;
  const userAgent = optionalTextOf(row, 'user_agent');
  if (userAgent !== undefined) b.userAgent = userAgent;
  return b;
}

async function upsertOne(q: SqlQueryable, b: Binding): Promise<UpsertOutcome> {
  validateBinding(b);
  const rows = await q.query(UPSERT, paramsOf(b));
  if (rows.length === 1) return booleanOf(rows[0], 'inserted') ? 'created' : 'updated';
  // The row exists and the ordering rule refused the update: read it to report the stored CSeq.
  const key = bindingKeyOf(b);
  const stored = await q.query('SELECT cseq FROM registrar_bindings WHERE aor = $1 AND binding_key = $2', [
    b.aor,
    key,
  ]);
  const storedCseq = stored.length === 1 ? integerOf(stored[0], 'cseq') : b.cseq;
  throw new BindingOutOfOrderError(b.aor, key, b.callId, storedCseq, b.cseq);
}

/**
 * A {@link LocationStore} in PostgreSQL (a server, or PGlite in process) through a {@link SqlClient}.
 * The schema comes from the registrar migrations (`migrate`). Several nodes may share one server: the
 * ordering rule is checked in the same statement (or transaction) that writes.
 */
export class SqlLocationStore implements LocationStore {
  readonly #db: SqlClient;

  /** Uses `db`, whose schema must be migrated; the store does not close it. */
  constructor(db: SqlClient) {
    this.#db = db;
  }

  /** {@inheritDoc LocationStore.upsert} */
  upsert(binding: Binding): Promise<UpsertOutcome> {
    return upsertOne(this.#db, binding);
  }

  /** {@inheritDoc LocationStore.upsertMany} */
  async upsertMany(bindings: readonly Binding[]): Promise<UpsertOutcome[]> {
    for (const b of bindings) validateBinding(b);
    return this.#db.transaction(async (tx) => {
      const outcomes: UpsertOutcome[] = [];
      for (const b of bindings) outcomes.push(await upsertOne(tx, b));
      return outcomes;
    });
  }

  /** {@inheritDoc LocationStore.remove} */
  async remove(key: BindingKey, order?: RegisterOrder): Promise<Binding | undefined> {
    const k = bindingKeyOf(key);
    if (order === undefined) {
      const rows = await this.#db.query(
        `DELETE FROM registrar_bindings WHERE aor = $1 AND binding_key = $2 RETURNING ${COLUMNS}`,
        [key.aor, k],
      );
      return rows.length === 1 ? bindingOf(rows[0]) : undefined;
    }
    return this.#db.transaction(async (tx) => {
      const rows = await tx.query(
        `SELECT ${COLUMNS} FROM registrar_bindings WHERE aor = $1 AND binding_key = $2 FOR UPDATE`,
        [key.aor, k],
      );
      if (rows.length === 0) return undefined;
      const existing = bindingOf(rows[0]);
      // RFC 3261 §10.3 step 7: removal follows the same Call-ID/CSeq rule as an update.
      if (!isInOrder(existing, order)) {
        throw new BindingOutOfOrderError(key.aor, k, order.callId, existing.cseq, order.cseq);
      }
      await tx.query('DELETE FROM registrar_bindings WHERE aor = $1 AND binding_key = $2', [key.aor, k]);
      return existing;
    });
  }

  /** {@inheritDoc LocationStore.removeAll} */
  async removeAll(aor: string, order?: RegisterOrder): Promise<Binding[]> {
    if (order === undefined) {
      const rows = await this.#db.query(
        `DELETE FROM registrar_bindings WHERE aor = $1 RETURNING ${COLUMNS}`,
        [aor],
      );
      return rows.map(bindingOf).sort(compareBindings);
    }
    return this.#db.transaction(async (tx) => {
      const rows = await tx.query(`SELECT ${COLUMNS} FROM registrar_bindings WHERE aor = $1 FOR UPDATE`, [
        aor,
      ]);
      const existing = rows.map(bindingOf);
      // RFC 3261 §10.3 step 6 (Contact: *): a binding with the same Call-ID needs a higher CSeq.
      for (const b of existing) {
        if (!isInOrder(b, order)) {
          throw new BindingOutOfOrderError(aor, bindingKeyOf(b), order.callId, b.cseq, order.cseq);
        }
      }
      // Delete exactly the rows checked: a binding inserted meanwhile by another node is not ours to drop.
      await tx.query('DELETE FROM registrar_bindings WHERE aor = $1 AND binding_key = ANY($2::text[])', [
        aor,
        existing.map(bindingKeyOf),
      ]);
      return existing.sort(compareBindings);
    });
  }

  /** {@inheritDoc LocationStore.lookup} */
  async lookup(aor: string, now: number): Promise<Binding[]> {
    const rows = await this.#db.query(
      `SELECT ${COLUMNS} FROM registrar_bindings WHERE aor = $1 AND expires_at > $2
       ORDER BY q_millis DESC, updated_at DESC`,
      [aor, now],
    );
    // Final tie-break by key in JS, so every store orders identically whatever the database collation.
    return rows.map(bindingOf).sort(compareBindings);
  }

  /** {@inheritDoc LocationStore.expire} */
  async expire(now: number): Promise<Binding[]> {
    const rows = await this.#db.query(
      `DELETE FROM registrar_bindings WHERE expires_at <= $1 RETURNING ${COLUMNS}`,
      [now],
    );
    return rows.map(bindingOf);
  }

  /** {@inheritDoc LocationStore.count} */
  async count(options: CountOptions = {}): Promise<number> {
    const rows = await this.#db.query(
      `SELECT count(*)::int AS n FROM registrar_bindings
       WHERE ($1::text IS NULL OR aor = $1) AND ($2::bigint IS NULL OR expires_at > $2)`,
      [orNull(options.aor), orNull(options.now)],
    );
    return integerOf(rows[0], 'n');
  }
}
