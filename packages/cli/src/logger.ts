/** pino on stderr (stdout carries the command's own output). */
import { type Logger, pino } from 'pino';
import type { LogLevel } from './options.js';

/** A pino logger writing JSON lines to stderr at `level`. */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { name: 'tsvoip' } }, pino.destination({ fd: 2, sync: false }));
}
