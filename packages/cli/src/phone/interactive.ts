/**
 * The interactive prompt of `tsvoip phone` (node:readline): one command per line, calls and
 * their events printed as they happen; `quit`, end of input or SIGINT hang up and close.
 * @module
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { PROMPT_HELP, type PromptCommand, parsePromptLine } from './prompt-commands.js';
import type { Softphone } from './softphone.js';

/** Streams of the prompt (process.stdin/stdout by default; injectable for tests). */
export interface PromptIo {
  readonly input: Readable;
  readonly output: Writable;
  /** Show a `phone> ` prompt (on a TTY). */
  readonly terminal: boolean;
}

/** Runs one command on the phone; resolves with the lines to print. */
export async function runPromptCommand(phone: Softphone, c: PromptCommand): Promise<string[]> {
  switch (c.name) {
    case 'dial':
      await phone.dial(c.target);
      return [];
    case 'answer':
      await phone.answer();
      return [];
    case 'reject':
      phone.reject(c.status);
      return [];
    case 'hangup':
      await phone.hangup();
      return [];
    case 'hold':
      await phone.hold();
      return [];
    case 'resume':
      await phone.resume();
      return [];
    case 'dtmf':
      await phone.dtmf(c.digits);
      return [];
    case 'transfer':
      await phone.transfer(c.target);
      return [];
    case 'status':
      return phone.status();
    case 'help':
      return [...PROMPT_HELP];
    case 'quit':
    case 'empty':
      return [];
  }
}

/**
 * Reads commands until `quit`, end of input or `signal`; then closes the phone. Commands run
 * concurrently (a `dial` waiting for an answer does not block `hangup`).
 */
export async function runPrompt(
  phone: Softphone,
  io: PromptIo,
  print: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const rl = createInterface({
    input: io.input,
    output: io.output,
    terminal: io.terminal,
    prompt: 'phone> ',
  });
  const running = new Set<Promise<void>>();
  // No `phone> ` when reading a script from a pipe.
  const prompt = () => {
    if (io.terminal) rl.prompt();
  };
  print(
    `tsvoip phone ready on udp:${phone.ua.address.host}:${phone.ua.address.port} as ${phone.ua.config.uri} (help lists the commands)`,
  );
  prompt();
  await new Promise<void>((resolve) => {
    const finish = () => {
      signal.removeEventListener('abort', finish);
      rl.close();
      resolve();
    };
    signal.addEventListener('abort', finish, { once: true });
    rl.on('SIGINT', finish);
    rl.on('close', finish);
    rl.on('line', (line) => {
      const c = parsePromptLine(line);
      if (c.name === 'quit') return finish();
      if (c.name === 'error') {
        print(`error: ${c.message}`);
        prompt();
        return;
      }
      const p = runPromptCommand(phone, c).then(
        (lines) => {
          for (const l of lines) print(l);
        },
        (e: unknown) => print(`error: ${e instanceof Error ? e.message : String(e)}`),
      );
      running.add(p);
      void p.finally(() => {
        running.delete(p);
        prompt();
      });
    });
  });
  await phone.close();
  await Promise.allSettled([...running]);
}
