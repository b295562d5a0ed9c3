/** The logging interface of the stack core: the shape of a pino logger, so one can be passed in. */

/** Fields of a log line (`transactionId`, `callId`, ...). */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** A structured logger (pino-compatible: `logger.warn({ callId }, 'message')`). */
export interface StackLogger {
  /** Detail useful when tracing one call. */
  debug(fields: LogFields, msg: string): void;
  /** Something normal but notable. */
  info(fields: LogFields, msg: string): void;
  /** A message was dropped or something went wrong with input from the network. */
  warn(fields: LogFields, msg: string): void;
}

/** A logger that drops everything. */
export const silentLogger: StackLogger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
});
