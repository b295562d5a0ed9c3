/** The `tsvoip phone` command: options, the three modes (prompt, `call`, `listen`), signals. */
import { Command } from 'commander';
import { CliUsageError } from '../errors.js';
import { formatListenSpec, type ListenSpec, parseListenSpec } from '../listen-spec.js';
import { createLogger } from '../logger.js';
import { type LogLevel, parseLogLevel } from '../options.js';
import type { CommandIo } from '../uas/command.js';
import { runPrompt } from './interactive.js';
import {
  type PhoneOptions,
  type PortRange,
  parseCodecs,
  parseDtmfDigits,
  parsePortRange,
  parseSeconds,
  parseSipUri,
} from './options.js';
import { runScriptedCall, runScriptedListen } from './scripted.js';
import { type CallPlan, Softphone } from './softphone.js';
import { readPlayFile } from './wav-input.js';

interface PhoneCliOptions {
  account?: string;
  password?: string;
  username?: string;
  registrar?: string;
  register?: boolean;
  listen?: ListenSpec;
  rtpPorts: PortRange;
  rtpAddress?: string;
  codecs: PhoneOptions['codecs'];
  srtp?: boolean;
  play?: string;
  record?: string;
  duration?: number;
  dtmf?: string;
  autoAnswer?: boolean;
  answerTimeout: number;
  logLevel: LogLevel;
}

type Mode = 'prompt' | 'call' | 'listen';

/** Checks the positional arguments and options together; returns the mode and the phone's options. */
export function resolvePhoneOptions(
  modeArg: string | undefined,
  target: string | undefined,
  opts: PhoneCliOptions,
): { mode: Mode; target?: string; options: PhoneOptions } {
  let mode: Mode;
  if (modeArg === undefined) mode = 'prompt';
  else if (modeArg === 'call' || modeArg === 'listen') mode = modeArg;
  else
    throw new CliUsageError(
      `unknown mode ${JSON.stringify(modeArg)}: expected call <uri>, listen, or nothing for the prompt`,
    );
  if (mode === 'call' && target === undefined)
    throw new CliUsageError('call needs a target, e.g. tsvoip phone call sip:600@127.0.0.1:5060');
  if (mode !== 'call' && target !== undefined)
    throw new CliUsageError(`unexpected argument ${JSON.stringify(target)}`);
  if (mode === 'listen' && opts.autoAnswer !== true)
    throw new CliUsageError(
      'listen needs --auto-answer (answer by hand at the interactive prompt: tsvoip phone)',
    );
  const listen = opts.listen ?? parseListenSpec(mode === 'call' ? 'udp:127.0.0.1:0' : 'udp:127.0.0.1:5060');
  if (listen.transport !== 'udp')
    throw new CliUsageError(`--listen ${formatListenSpec(listen)}: the phone signals over udp only`);
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  const options: PhoneOptions = {
    account: opts.account ?? `sip:tsvoip@${host}`,
    password: opts.password,
    username: opts.username,
    registrar: opts.registrar,
    register: opts.register === true || opts.password !== undefined,
    listen,
    rtpPorts: opts.rtpPorts,
    rtpAddress:
      opts.rtpAddress ?? (listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : listen.host),
    codecs: opts.codecs,
    srtp: opts.srtp === true,
    play: opts.play,
    record: opts.record,
    durationMs: opts.duration,
    dtmf: opts.dtmf,
    autoAnswer: opts.autoAnswer === true,
    answerTimeoutMs: opts.answerTimeout,
  };
  return { mode, target: target === undefined ? undefined : parseSipUri('target', target), options };
}

/** Resolves with an AbortSignal that fires on SIGINT/SIGTERM, and a function removing the handlers. */
function processSignals(): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

/** Builds the `phone` command. */
export function phoneCommand(io: CommandIo): Command {
  return new Command('phone')
    .description(
      'command-line softphone: an interactive prompt (dial, answer, hangup, hold, resume, dtmf, transfer, status), or scripted: call <uri> | listen',
    )
    .argument('[mode]', 'call or listen (none: the interactive prompt)')
    .argument('[target]', 'with call: the SIP URI to call')
    .option('--account <uri>', 'our address-of-record (default sip:tsvoip@<listen host>)', (v: string) =>
      parseSipUri('--account', v),
    )
    .option('--password <password>', 'digest password: REGISTER at the registrar before anything else')
    .option('--username <name>', 'digest username (default: the user of --account)')
    .option('--registrar <uri>', 'registrar (default: the domain of --account)', (v: string) =>
      parseSipUri('--registrar', v),
    )
    .option('--register', 'REGISTER even without --password')
    .option(
      '--listen <udp:host:port>',
      'SIP address (default udp:127.0.0.1:5060; call: udp:127.0.0.1:0)',
      parseListenSpec,
    )
    .option('--rtp-ports <min-max>', 'RTP port range', parsePortRange, parsePortRange('20000-29999'))
    .option('--rtp-address <ip>', 'address RTP binds to and puts in SDP (default: the --listen host)')
    .option(
      '--codecs <list>',
      'codecs in preference order: PCMU,PCMA,G722,opus',
      parseCodecs,
      parseCodecs('PCMU,PCMA,G722,opus'),
    )
    .option('--srtp', 'SRTP with SDES keys (RTP/SAVP, RFC 4568)')
    .option('--play <wav>', 'play this WAV once answered (any rate: resampled to the codec)')
    .option('--record <wav>', 'record what we hear to this WAV')
    .option('--duration <seconds>', 'hang up this long after the answer', (v: string) =>
      parseSeconds('--duration', v),
    )
    .option('--dtmf <digits>', 'send these DTMF digits once answered', (v: string) =>
      parseDtmfDigits('--dtmf', v),
    )
    .option('--auto-answer', 'answer incoming calls at once')
    .option(
      '--answer-timeout <seconds>',
      'give up (CANCEL) on an unanswered call',
      (v: string) => parseSeconds('--answer-timeout', v),
      60_000,
    )
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent', parseLogLevel, 'warn')
    .addHelpText(
      'after',
      [
        '',
        'Prints call progress on stdout and, when a call ends, its statistics: one readable line and one',
        'JSON line ("stats {...}"). A failed call prints one line on stderr and exits 1.',
        'Examples:',
        '  tsvoip phone --account sip:alice@127.0.0.1 --password secret',
        '  tsvoip phone call sip:600@127.0.0.1:5060 --play tone.wav --record heard.wav --duration 5',
        '  tsvoip phone listen --listen udp:127.0.0.1:5066 --auto-answer --play prompt.wav --record heard.wav --duration 12',
      ].join('\n'),
    )
    .action(async (modeArg: string | undefined, targetArg: string | undefined, opts: PhoneCliOptions) => {
      const { mode, target, options } = resolvePhoneOptions(modeArg, targetArg, opts);
      const play = options.play === undefined ? undefined : await readPlayFile(options.play);
      const plan: CallPlan = {
        play,
        record: options.record,
        dtmf: options.dtmf,
        durationMs: options.durationMs,
        autoAnswer: options.autoAnswer,
      };
      const logger = createLogger(opts.logLevel);
      const phone = await Softphone.create(options, plan, io.out, { logger });
      const signals = processSignals();
      try {
        const script = { register: options.register, answerTimeoutMs: options.answerTimeoutMs };
        if (mode === 'call' && target !== undefined)
          await runScriptedCall(phone, target, script, signals.signal);
        else if (mode === 'listen') {
          io.out(
            `tsvoip phone listening on ${formatListenSpec({ ...options.listen, port: phone.ua.address.port })} as ${options.account}`,
          );
          await runScriptedListen(phone, script, signals.signal);
        } else {
          if (options.register) await phone.register();
          await runPrompt(
            phone,
            { input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true },
            io.out,
            signals.signal,
          );
        }
      } finally {
        signals.dispose();
        await phone.close();
      }
    });
}
