/** The `tsvoip` program: commands, help, and one-line errors with a non-zero exit. */
import { Command, CommanderError } from 'commander';
import { CliUsageError } from './errors.js';
import { pbxCommand } from './pbx/command.js';
import { phoneCommand } from './phone/command.js';
import { uacCommand } from './uac/command.js';
import { uasCommand } from './uas/command.js';
import { usersCommand } from './users/command.js';

/** Where the program writes (injectable for tests). */
export interface ProgramIo {
  /** A line of output (stdout). */
  readonly out: (line: string) => void;
  /** A line of error (stderr). */
  readonly err: (line: string) => void;
}

/** Builds the program. */
export function buildProgram(io: ProgramIo): Command {
  const program = new Command('tsvoip')
    .description('tsvoip: a pure-TypeScript SIP/VoIP stack for Node.js')
    .version('0.1.0', '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
      outputError: (s, write) => write(s.trim().split('\n')[0] ?? s),
    });
  for (const c of [uasCommand(io), uacCommand(io), phoneCommand(io), pbxCommand(io), usersCommand(io)]) {
    c.exitOverride().configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
      outputError: (s, write) => write(s.trim().split('\n')[0] ?? s),
    });
    program.addCommand(c);
  }
  return program;
}

/**
 * Runs the program on `argv` (without `node` and the script); resolves to the exit code.
 * Usage errors print one line on stderr and give 2; other failures one line and 1.
 */
export async function runCli(argv: readonly string[], io: ProgramIo): Promise<number> {
  const program = buildProgram(io);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof CliUsageError) {
      io.err(`tsvoip: ${err.message}`);
      return err.exitCode;
    }
    const e = err as NodeJS.ErrnoException;
    io.err(`tsvoip: ${e.code !== undefined ? `${e.code}: ` : ''}${e.message ?? String(err)}`);
    return 1;
  }
}
