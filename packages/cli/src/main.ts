/** The `tsvoip` executable's entry: runs the program on process.argv and exits with its code. */
import { runCli } from './cli.js';

const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = code;
// Commands that keep sockets or timers open return only once they closed them; anything left
// (a pending DNS lookup, a socket in TIME_WAIT) must not keep a finished command alive.
if (code !== 0 || process.argv.length > 2) setImmediate(() => process.exit(code)).unref();
