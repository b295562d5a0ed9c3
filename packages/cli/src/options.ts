/** Option value parsers shared by the commands (each throws {@link CliUsageError} with one line). */
import { CliUsageError } from './errors.js';

/** The pino levels `--log-level` accepts. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A pino level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Parses `--log-level`. */
export function parseLogLevel(value: string): LogLevel {
  const v = value.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(v))
    throw new CliUsageError(`--log-level ${JSON.stringify(value)}: expected one of ${LOG_LEVELS.join(', ')}`);
  return v as LogLevel;
}

/** Parses a non-negative integer option (`--ring 2000`). */
export function parseNonNegativeInt(name: string, value: string, max = 2 ** 31 - 1): number {
  if (!/^[0-9]+$/.test(value) || Number(value) > max)
    throw new CliUsageError(`${name} ${JSON.stringify(value)}: expected an integer from 0 to ${max}`);
  return Number(value);
}

/** `user:password` credentials. */
export interface UserPassword {
  /** Username. */
  readonly username: string;
  /** Password. */
  readonly password: string;
}

/** Parses `--auth user:password` (the password may contain colons). */
export function parseUserPassword(name: string, value: string): UserPassword {
  const c = value.indexOf(':');
  if (c <= 0) throw new CliUsageError(`${name}: expected user:password`);
  return { username: value.slice(0, c), password: value.slice(c + 1) };
}
