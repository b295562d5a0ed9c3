/** The `tsvoip uas` command: options, start-up, signals, exit report. */
import { readFileSync } from 'node:fs';
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
import { listeningLine, startUas, type UasEngine } from './server.js';

interface UasCliOptions {
  listen: ListenSpec[];
  tlsCert?: string;
  tlsKey?: string;
  engine: UasEngine;
  ring: number;
  '100rel'?: boolean;
  auth?: UserPassword;
  realm?: string;
  udp: 'standard' | 'tuned';
  logLevel: LogLevel;
}

/** What the command needs from the process (injectable for tests). */
export interface CommandIo {
  /** Writes a line to stdout. */
  readonly out: (line: string) => void;
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CliUsageError(`${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'cannot read'}`);
  }
}

/** Builds the `uas` command. */
export function uasCommand(io: CommandIo): Command {
  return new Command('uas')
    .description(
      'SIP responder for tests and benchmarks: INVITE -> 180, 200 with an SDP answer (no media); ACK, BYE, CANCEL; OPTIONS and MESSAGE -> 200',
    )
    .option(
      '--listen <transport:host:port>',
      'listen address, repeatable: udp, tcp, tls or ws (default udp:127.0.0.1:5080)',
      (v: string, prev: ListenSpec[] | undefined) => [...(prev ?? []), parseListenSpec(v)],
    )
    .option('--tls-cert <file>', 'PEM certificate for tls listeners')
    .option('--tls-key <file>', 'PEM private key for tls listeners')
    .option(
      '--engine <engine>',
      'transaction (lean transaction-layer responder) or ua (the stack UA core)',
      (v: string) => {
        if (v !== 'transaction' && v !== 'ua')
          throw new CliUsageError(`--engine ${JSON.stringify(v)}: expected transaction or ua`);
        return v;
      },
      'transaction',
    )
    .option(
      '--ring <ms>',
      'time between the 180 and the 200',
      (v: string) => parseNonNegativeInt('--ring', v, 600_000),
      0,
    )
    .option('--100rel', 'send the 180 reliably (RFC 3262) when the caller supports it; needs --engine ua')
    .option(
      '--auth <user:password>',
      'challenge INVITE and MESSAGE with digest auth (401, MD5)',
      (v: string) => parseUserPassword('--auth', v),
    )
    .option('--realm <realm>', 'digest realm (default tsvoip)')
    .option(
      '--udp <kind>',
      'tuned (4 MiB socket buffers, synchronous sends) or standard (@tsvoip/transport UdpTransport)',
      (v: string) => {
        if (v !== 'tuned' && v !== 'standard')
          throw new CliUsageError(`--udp ${JSON.stringify(v)}: expected tuned or standard`);
        return v;
      },
      'tuned',
    )
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent', parseLogLevel, 'warn')
    .addHelpText(
      'after',
      '\nSignals: SIGINT/SIGTERM stop it (counters printed as one JSON line); SIGUSR2 prints the counters.\nExample: tsvoip uas --listen udp:127.0.0.1:5080 --listen tcp:127.0.0.1:5080',
    )
    .action(async (opts: UasCliOptions) => {
      if (opts['100rel'] === true && opts.engine !== 'ua')
        throw new CliUsageError('--100rel needs --engine ua');
      if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined))
        throw new CliUsageError('--tls-cert and --tls-key go together');
      const tls =
        opts.tlsCert !== undefined && opts.tlsKey !== undefined
          ? { cert: readPem(opts.tlsCert, '--tls-cert'), key: readPem(opts.tlsKey, '--tls-key') }
          : undefined;
      const logger = createLogger(opts.logLevel);
      const server = await startUas({
        listen: opts.listen ?? [parseListenSpec('udp:127.0.0.1:5080')],
        tls,
        engine: opts.engine,
        ringMs: opts.ring,
        reliable: opts['100rel'] === true,
        auth: opts.auth === undefined ? undefined : { ...opts.auth, realm: opts.realm },
        logger,
        udp: opts.udp,
        traceCalls: logger.isLevelEnabled('debug'),
      });
      io.out(listeningLine(server.addresses));
      const report = () => {
        const cpu = process.cpuUsage();
        io.out(
          JSON.stringify({
            ...server.stats,
            calls: server.calls(),
            cpuUserMs: cpu.user / 1000,
            cpuSystemMs: cpu.system / 1000,
            rssBytes: process.memoryUsage.rss(),
          }),
        );
      };
      process.on('SIGUSR2', report);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      process.off('SIGUSR2', report);
      await server.close();
      report();
    });
}
