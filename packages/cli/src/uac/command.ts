/** The `tsvoip uac` command: a scriptable caller for interop tests. */
import { Command } from 'commander';
import { CliUsageError } from '../errors.js';
import { type ListenSpec, parseListenSpec } from '../listen-spec.js';
import { createLogger } from '../logger.js';
import {
  type LogLevel,
  parseLogLevel,
  parseNonNegativeInt,
  parseUserPassword,
  type UserPassword,
} from '../options.js';
import type { CommandIo } from '../uas/command.js';
import { runUac } from './caller.js';

interface UacCliOptions {
  listen: ListenSpec;
  calls: number;
  hold: number;
  auth?: UserPassword;
  cancelAfter?: number;
  reinvite?: boolean;
  '100rel': 'supported' | 'required' | 'none';
  callTimeout: number;
  user: string;
  register?: boolean;
  logLevel: LogLevel;
}

/** Builds the `uac` command. */
export function uacCommand(io: CommandIo): Command {
  return new Command('uac')
    .description('Scriptable SIP caller (UA core): INVITE with an SDP offer, then BYE; for interop tests')
    .argument('<target>', 'Request-URI to call, e.g. sip:service@127.0.0.1:5080')
    .option(
      '--listen <transport:host:port>',
      'local address and transport',
      parseListenSpec,
      parseListenSpec('udp:127.0.0.1:0'),
    )
    .option(
      '--calls <n>',
      'calls to place, one after the other',
      (v: string) => parseNonNegativeInt('--calls', v, 1_000_000),
      1,
    )
    .option(
      '--hold <ms>',
      'time between the ACK and the BYE',
      (v: string) => parseNonNegativeInt('--hold', v),
      0,
    )
    .option('--auth <user:password>', 'credentials for 401/407 challenges', (v: string) =>
      parseUserPassword('--auth', v),
    )
    .option('--cancel-after <ms>', 'CANCEL each call this long after its INVITE', (v: string) =>
      parseNonNegativeInt('--cancel-after', v),
    )
    .option('--reinvite', 'send a re-INVITE with a new offer before the BYE')
    .option(
      '--100rel <mode>',
      'supported, required or none',
      (v: string) => {
        if (v !== 'supported' && v !== 'required' && v !== 'none')
          throw new CliUsageError(`--100rel ${JSON.stringify(v)}: expected supported, required or none`);
        return v;
      },
      'supported',
    )
    .option('--user <name>', 'user part of our From and Contact', 'uac')
    .option('--register', 'REGISTER our Contact at the target host before the calls')
    .option(
      '--call-timeout <ms>',
      'give up on a call after this long',
      (v: string) => parseNonNegativeInt('--call-timeout', v),
      10_000,
    )
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent', parseLogLevel, 'warn')
    .addHelpText(
      'after',
      '\nPrints one JSON line with the outcome of each call; exits 1 unless every call ended as expected\n(completed, or cancelled with --cancel-after).\nExample: tsvoip uac sip:service@127.0.0.1:5080 --calls 3 --reinvite',
    )
    .action(async (target: string, opts: UacCliOptions) => {
      if (!/^sips?:/i.test(target))
        throw new CliUsageError(`target ${JSON.stringify(target)}: expected a sip: URI`);
      const result = await runUac({
        listen: opts.listen,
        target,
        calls: opts.calls,
        holdMs: opts.hold,
        auth: opts.auth,
        cancelAfterMs: opts.cancelAfter,
        reinvite: opts.reinvite === true,
        reliable: opts['100rel'],
        callTimeoutMs: opts.callTimeout,
        user: opts.user,
        register: opts.register === true,
        logger: createLogger(opts.logLevel),
      });
      io.out(JSON.stringify(result));
      const expected = opts.cancelAfter !== undefined ? 'cancelled' : 'completed';
      if (!result.outcomes.every((x) => x === expected))
        throw new UacFailed(
          `${result.outcomes.filter((x) => x !== expected).length} call(s) did not end ${expected}`,
        );
    });
}

/** Some calls of `tsvoip uac` did not end as expected (exit code 1). */
export class UacFailed extends Error {
  /** Creates it. */
  constructor(message: string) {
    super(message);
    this.name = 'UacFailed';
  }
}
