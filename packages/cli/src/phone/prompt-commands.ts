/**
 * The commands of the interactive prompt of `tsvoip phone`, parsed from one typed line.
 * @module
 */

/** A command typed at the prompt. */
export type PromptCommand =
  | { readonly name: 'dial'; readonly target: string }
  | { readonly name: 'answer' }
  | { readonly name: 'reject'; readonly status: number }
  | { readonly name: 'hangup' }
  | { readonly name: 'hold' }
  | { readonly name: 'resume' }
  | { readonly name: 'dtmf'; readonly digits: string }
  | { readonly name: 'transfer'; readonly target: string }
  | { readonly name: 'status' }
  | { readonly name: 'help' }
  | { readonly name: 'quit' }
  | { readonly name: 'empty' };

/** A line that is not a command: what is wrong with it. */
export interface PromptError {
  readonly name: 'error';
  readonly message: string;
}

/** Help text of the prompt, one line per command. */
export const PROMPT_HELP: readonly string[] = [
  'dial <sip-uri>      call (alias: call)',
  'answer              answer the incoming call (alias: a)',
  'reject [status]     reject the incoming call (default 486)',
  'hangup              end, cancel or decline the call (alias: h, bye)',
  'hold | resume       put the call on hold / take it off hold',
  'dtmf <digits>       send DTMF (0-9 * # A-D)',
  'transfer <sip-uri>  blind transfer (REFER)',
  'status              the phone and its call',
  'quit                hang up and exit (alias: exit, Ctrl-D)',
];

const ALIASES: Readonly<Record<string, string>> = {
  call: 'dial',
  a: 'answer',
  h: 'hangup',
  bye: 'hangup',
  exit: 'quit',
  q: 'quit',
  '?': 'help',
};

const isSipUri = (s: string): boolean => /^sips?:\S+$/i.test(s);

/** Parses one line typed at the prompt. */
export function parsePromptLine(line: string): PromptCommand | PromptError {
  const words = line
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return { name: 'empty' };
  const typed = words[0].toLowerCase();
  const name = ALIASES[typed] ?? typed;
  const args = words.slice(1);
  const error = (message: string): PromptError => ({ name: 'error', message });
  const noArgs = <T extends PromptCommand>(c: T): T | PromptError =>
    args.length === 0 ? c : error(`${name} takes no argument`);
  switch (name) {
    case 'dial':
    case 'transfer': {
      if (args.length !== 1 || !isSipUri(args[0])) return error(`usage: ${name} <sip-uri>`);
      return { name, target: args[0] };
    }
    case 'reject': {
      if (args.length === 0) return { name, status: 486 };
      const s = Number(args[0]);
      if (args.length > 1 || !/^[4-6][0-9][0-9]$/.test(args[0])) return error('usage: reject [400-699]');
      return { name, status: s };
    }
    case 'dtmf': {
      const digits = args.join('').toUpperCase();
      if (digits === '' || ![...digits].every((d) => '0123456789*#ABCD'.includes(d)))
        return error('usage: dtmf <digits 0-9 * # A-D>');
      return { name, digits };
    }
    case 'answer':
    case 'hangup':
    case 'hold':
    case 'resume':
    case 'status':
    case 'help':
    case 'quit':
      return noArgs({ name });
    default:
      return error(`unknown command ${JSON.stringify(words[0])} (help lists them)`);
  }
}

/** Formats a command back to a line the parser reads as the same command. */
export function formatPromptCommand(c: PromptCommand): string {
  switch (c.name) {
    case 'dial':
    case 'transfer':
      return `${c.name} ${c.target}`;
    case 'reject':
      return `reject ${c.status}`;
    case 'dtmf':
      return `dtmf ${c.digits}`;
    case 'empty':
      return '';
    default:
      return c.name;
  }
}
