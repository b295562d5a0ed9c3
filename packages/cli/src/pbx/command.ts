/** The `tsvoip pbx` command: configuration, start-up banner, signals, clean shutdown. */
import { Command } from 'commander';
import { ENVIRONMENT_OVERRIDES, loadConfig } from '../config/load.js';
import { createLogger } from '../logger.js';
import { parseLogLevel } from '../options.js';
import { startupBanner } from './banner.js';
import { startPbx } from './server.js';

/** What the command needs from the process (injectable for tests). */
export interface PbxCommandIo {
  /** Writes a line to stdout. */
  readonly out: (line: string) => void;
}

interface PbxCliOptions {
  config?: string;
  listen?: string[];
  dataDir?: string;
  database?: string;
  logLevel?: string;
  sipTrace?: boolean;
}

/** The environment variables, for `--help`. */
export function environmentHelp(): string {
  return ENVIRONMENT_OVERRIDES.map(
    ([name, key, what]) => `  ${name.padEnd(22)} ${key.padEnd(13)} ${what}`,
  ).join('\n');
}

/** Builds the `pbx` command. */
export function pbxCommand(io: PbxCommandIo): Command {
  return new Command('pbx')
    .description(
      'SIP PBX: registrar + proxy with digest auth, local extensions, trunks (UDP and TCP 5060 by default)',
    )
    .option('--config <file>', 'configuration file, YAML or JSON (see the README)')
    .option(
      '--listen <transport:host:port>',
      'listener, repeatable (overrides the config): udp, tcp, tls or ws',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .option('--data-dir <dir>', 'data directory (embedded database, lock, admin endpoint); default ./data')
    .option('--database <target>', 'postgres://... URL, or a PGlite directory (default <data-dir>/db)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (default info)', (v) =>
      parseLogLevel(v),
    )
    .option('--sip-trace', 'log every SIP message sent and received')
    .addHelpText(
      'after',
      `\nPrecedence: defaults < config file < environment < command line.\nEnvironment:\n${environmentHelp()}\n\nSignals: SIGINT/SIGTERM stop it cleanly.\nExample: tsvoip pbx --config pbx.yaml`,
    )
    .action(async (opts: PbxCliOptions) => {
      const config = loadConfig(opts.config, process.env, {
        listen: opts.listen,
        dataDir: opts.dataDir,
        database: opts.database,
        logLevel: opts.logLevel,
        sipTrace: opts.sipTrace,
      });
      const logger = createLogger(config.log.level);
      const pbx = await startPbx({ config, logger });
      for (const line of startupBanner(pbx, config)) io.out(line);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      io.out('tsvoip pbx stopping');
      await pbx.close();
      logger.flush();
      io.out('tsvoip pbx stopped');
    });
}
