import { UserExistsError, UserNotFoundError } from './errors.js';
import { computeHa1Set, type DigestAlgorithm } from './ha1.js';
import { booleanOf, integerOf, optionalTextOf, textOf } from './row.js';
import { orNull, type SqlClient, type SqlRow } from './sql-client.js';
import type { NewUser, User, UserStore } from './user-store.js';
import { validateNewUser, validatePassword } from './user-validate.js';

const USER_COLUMNS = 'username, display_name, realm, enabled, created_at, updated_at';

const HA1_COLUMN: Readonly<Record<DigestAlgorithm, string>> = {
  MD5: 'ha1_md5',
  'SHA-256': 'ha1_sha256',
  'SHA-512-256': 'ha1_sha512_256',
};

function userOf(row: SqlRow): User {
  const displayName = optionalTextOf(row, 'display_name');
  return {
    username: textOf(row, 'username'),
    ...(displayName !== undefined ? { displayName } : {}),
    realm: textOf(row, 'realm'),
    enabled: booleanOf(row, 'enabled'),
    createdAt: integerOf(row, 'created_at'),
    updatedAt: integerOf(row, 'updated_at'),
  };
}

/**
 * A {@link UserStore} in PostgreSQL (a server, or PGlite in process) through a {@link SqlClient}.
 * The schema comes from the registrar migrations (`migrate`).
 */
export class SqlUserStore implements UserStore {
  readonly #db: SqlClient;

  /** Uses `db`, whose schema must be migrated; the store does not close it. */
  constructor(db: SqlClient) {
    this.#db = db;
  }

  /** {@inheritDoc UserStore.add} */
  async add(user: NewUser, now: number): Promise<User> {
    validateNewUser(user);
    const ha1 = computeHa1Set(user.username, user.realm, user.password);
    // ON CONFLICT DO NOTHING: a taken username returns no row, without an error that aborts a transaction.
    const rows = await this.#db.query(
      `INSERT INTO registrar_users
         (username, display_name, realm, ha1_md5, ha1_sha256, ha1_sha512_256, enabled, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
       ON CONFLICT (username) DO NOTHING
       RETURNING ${USER_COLUMNS}`,
      [
        user.username,
        orNull(user.displayName),
        user.realm,
        ha1.MD5,
        ha1['SHA-256'],
        ha1['SHA-512-256'],
        user.enabled ?? true,
        now,
      ],
    );
    if (rows.length === 0) throw new UserExistsError(user.username);
    return userOf(rows[0]);
  }

  /** {@inheritDoc UserStore.get} */
  async get(username: string): Promise<User | undefined> {
    const rows = await this.#db.query(`SELECT ${USER_COLUMNS} FROM registrar_users WHERE username = $1`, [
      username,
    ]);
    return rows.length === 1 ? userOf(rows[0]) : undefined;
  }

  /** {@inheritDoc UserStore.list} */
  async list(): Promise<User[]> {
    const rows = await this.#db.query(`SELECT ${USER_COLUMNS} FROM registrar_users`);
    // Sorted in JS (UTF-16 order) so every store agrees whatever the database collation.
    return rows.map(userOf).sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  }

  /** {@inheritDoc UserStore.remove} */
  async remove(username: string): Promise<void> {
    const rows = await this.#db.query('DELETE FROM registrar_users WHERE username = $1 RETURNING username', [
      username,
    ]);
    if (rows.length === 0) throw new UserNotFoundError(username);
  }

  /** {@inheritDoc UserStore.setPassword} */
  async setPassword(username: string, password: string, now: number): Promise<void> {
    validatePassword(password);
    await this.#db.transaction(async (tx) => {
      const rows = await tx.query('SELECT realm FROM registrar_users WHERE username = $1 FOR UPDATE', [
        username,
      ]);
      if (rows.length === 0) throw new UserNotFoundError(username);
      const ha1 = computeHa1Set(username, textOf(rows[0], 'realm'), password);
      await tx.query(
        `UPDATE registrar_users SET ha1_md5 = $2, ha1_sha256 = $3, ha1_sha512_256 = $4, updated_at = $5
         WHERE username = $1`,
        [username, ha1.MD5, ha1['SHA-256'], ha1['SHA-512-256'], now],
      );
    });
  }

  /** {@inheritDoc UserStore.setEnabled} */
  async setEnabled(username: string, enabled: boolean, now: number): Promise<User> {
    const rows = await this.#db.query(
      `UPDATE registrar_users SET enabled = $2, updated_at = $3 WHERE username = $1 RETURNING ${USER_COLUMNS}`,
      [username, enabled, now],
    );
    if (rows.length === 0) throw new UserNotFoundError(username);
    return userOf(rows[0]);
  }

  /** {@inheritDoc UserStore.getHa1} */
  async getHa1(username: string, realm: string, algorithm: DigestAlgorithm): Promise<string | undefined> {
    const column = HA1_COLUMN[algorithm] as string | undefined;
    if (column === undefined) return undefined;
    const rows = await this.#db.query(
      `SELECT ${column} AS ha1 FROM registrar_users WHERE username = $1 AND realm = $2 AND enabled`,
      [username, realm],
    );
    return rows.length === 1 ? textOf(rows[0], 'ha1') : undefined;
  }
}
