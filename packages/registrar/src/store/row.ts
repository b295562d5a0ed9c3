import { StoreDataError } from './errors.js';
import type { SqlRow } from './sql-client.js';

/** A text column that must not be NULL. */
export function textOf(row: SqlRow, column: string): string {
  const v = row[column];
  if (typeof v !== 'string') throw new StoreDataError(column, `expected text, got ${typeof v}`);
  return v;
}

/** A text column that may be NULL (read as `undefined`). */
export function optionalTextOf(row: SqlRow, column: string): string | undefined {
  const v = row[column];
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'string') throw new StoreDataError(column, `expected text, got ${typeof v}`);
  return v;
}

/**
 * An integer column (int4 or int8) that must not be NULL. `pg` returns int8 as a string and PGlite may
 * return it as a bigint; both are converted, and values beyond 2^53 are refused.
 */
export function integerOf(row: SqlRow, column: string): number {
  const v = row[column];
  const n =
    typeof v === 'number' ? v : typeof v === 'bigint' || typeof v === 'string' ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new StoreDataError(column, `expected an integer, got ${String(v)}`);
  return n;
}

/** An integer column that may be NULL (read as `undefined`). */
export function optionalIntegerOf(row: SqlRow, column: string): number | undefined {
  const v = row[column];
  if (v === null || v === undefined) return undefined;
  return integerOf(row, column);
}

/** A boolean column that must not be NULL. */
export function booleanOf(row: SqlRow, column: string): boolean {
  const v = row[column];
  if (typeof v !== 'boolean') throw new StoreDataError(column, `expected boolean, got ${typeof v}`);
  return v;
}

/** A `text[]` column that must not be NULL. */
export function textArrayOf(row: SqlRow, column: string): string[] {
  const v = row[column];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
    throw new StoreDataError(column, 'expected text[]');
  }
  return v as string[];
}
