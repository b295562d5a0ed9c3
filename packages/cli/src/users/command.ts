/**
 * `tsvoip users add|list|remove|passwd`: on the PBX's database (same config, same defaults).
 * While a PBX holds the embedded database the operation goes through its admin endpoint; a lock
 * left by a dead process is taken over; the data directory is never opened by two processes.
 */
import { isPostgresUrl, openDatabase } from '@tsvoip/registrar';
import { Command } from 'commander';
import { databaseTarget, loadConfig } from '../config/load.js';
import type { PbxConfig } from '../config/schema.js';
import { CliUsageError } from '../errors.js';
import { callAdmin, readAdminEndpoint } from '../pbx/admin.js';
import { DataDirLock, lockHolder } from '../pbx/data-lock.js';
import {
  randomPassword,
  runUserOperation,
  type UserOperation,
  type UserOperationResult,
} from './operations.js';

/** What the command needs from the process. */
export interface UsersCommandIo {
  /** Writes a line to stdout. */
  readonly out: (line: string) => void;
}

/** A `tsvoip users` failure: one line, exit code 1. */
export class UsersCommandError extends Error {
  /** Exit code. */
  readonly exitCode = 1;
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = 'UsersCommandError';
  }
}

interface CommonOptions {
  config?: string;
  dataDir?: string;
  database?: string;
}

/** Where an operation ran. */
export type OperationPath = 'direct' | 'pbx';

/**
 * Runs `op` on the users of `config`: through the running PBX when it holds the embedded database,
 * else on the database itself (under the data-directory lock).
 */
export async function executeUserOperation(
  config: PbxConfig,
  op: UserOperation,
  now: number,
): Promise<{ readonly result: UserOperationResult; readonly path: OperationPath }> {
  const target = databaseTarget(config);
  const embedded = !isPostgresUrl(target) && target !== 'memory://';
  if (embedded) {
    const holder = lockHolder(config.dataDir);
    if (holder !== undefined) {
      const endpoint = holder.role === 'pbx' ? readAdminEndpoint(config.dataDir) : undefined;
      if (endpoint === undefined || endpoint.pid !== holder.pid)
        throw new UsersCommandError(
          `${config.dataDir} is in use by ${holder.role === 'pbx' ? 'tsvoip pbx' : 'another tsvoip users'} (pid ${holder.pid}) and no admin endpoint answers; try again, or stop it first`,
        );
      try {
        return { result: await callAdmin(endpoint, op), path: 'pbx' };
      } catch (err) {
        throw new UsersCommandError(
          `the running tsvoip pbx (pid ${holder.pid}) did not answer: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
  }
  const lock = embedded ? DataDirLock.acquire(config.dataDir, 'users', now) : undefined;
  try {
    const db = await openDatabase(target);
    try {
      return { result: await runUserOperation(db.users, config.realm, op, now), path: 'direct' };
    } finally {
      await db.close();
    }
  } finally {
    lock?.release();
  }
}

function withCommon(c: Command): Command {
  return c
    .option('--config <file>', 'the PBX configuration file (YAML or JSON)')
    .option('--data-dir <dir>', 'data directory (default ./data)')
    .option('--database <target>', 'postgres://... URL or a PGlite directory (default <data-dir>/db)');
}

/** Builds the `users` command and its subcommands. */
export function usersCommand(io: UsersCommandIo): Command {
  const run = async (opts: CommonOptions, op: UserOperation): Promise<UserOperationResult> => {
    const config = loadConfig(opts.config, process.env, { dataDir: opts.dataDir, database: opts.database });
    const { result } = await executeUserOperation(config, op, Date.now());
    if (!result.ok) throw new UsersCommandError(result.error);
    return result;
  };
  const users = new Command('users').description(
    'manage the PBX users (on its database; through the running PBX when it holds the embedded one)',
  );
  // The program configures `users` (exit override, output) after building it: pass that down.
  users.hook('preSubcommand', (parent, sub) => {
    sub.copyInheritedSettings(parent);
  });
  users.addCommand(
    withCommon(new Command('add'))
      .description('add a user (extension); without --password a random one is generated and printed')
      .argument('<username>', 'login name, e.g. 1002')
      .option('--password <password>', 'password (visible in the process list: prefer the generated one)')
      .option('--display-name <name>', 'name shown to callees; also dialable')
      .action(async (username: string, opts: CommonOptions & { password?: string; displayName?: string }) => {
        if (opts.password === '') throw new CliUsageError('--password must not be empty');
        const password = opts.password ?? randomPassword();
        await run(
          opts,
          opts.displayName === undefined
            ? { op: 'add', username, password }
            : { op: 'add', username, password, displayName: opts.displayName },
        );
        io.out(opts.password === undefined ? `added ${username} password ${password}` : `added ${username}`);
      }),
  );
  users.addCommand(
    withCommon(new Command('list'))
      .description('list the users (no credentials)')
      .action(async (opts: CommonOptions) => {
        const r = await run(opts, { op: 'list' });
        for (const u of r.ok ? (r.users ?? []) : [])
          io.out(`${u.username}\t${u.displayName ?? ''}\t${u.enabled ? 'enabled' : 'disabled'}`);
      }),
  );
  users.addCommand(
    withCommon(new Command('remove'))
      .description('remove a user')
      .argument('<username>')
      .action(async (username: string, opts: CommonOptions) => {
        await run(opts, { op: 'remove', username });
        io.out(`removed ${username}`);
      }),
  );
  users.addCommand(
    withCommon(new Command('passwd'))
      .description("change a user's password; without --password a random one is generated and printed")
      .argument('<username>')
      .option('--password <password>', 'the new password')
      .action(async (username: string, opts: CommonOptions & { password?: string }) => {
        if (opts.password === '') throw new CliUsageError('--password must not be empty');
        const password = opts.password ?? randomPassword();
        await run(opts, { op: 'passwd', username, password });
        io.out(
          opts.password === undefined
            ? `password of ${username} set to ${password}`
            : `password of ${username} changed`,
        );
      }),
  );
  return users;
}
