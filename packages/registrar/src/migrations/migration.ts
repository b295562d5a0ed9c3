/**
 * One schema change: plain PostgreSQL (run by PGlite and by a server alike), applied once, in version
 * order, inside the migration transaction. Never edit a released migration: add a new one.
 */
export interface Migration {
  /** Position in the sequence, from 1, without gaps. */
  readonly version: number;
  /** Short name, recorded beside the version (a mismatch at start-up is an error). */
  readonly name: string;
  /** The SQL script; several `;`-separated statements, no parameters. */
  readonly sql: string;
}
