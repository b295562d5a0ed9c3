/**
 * A headless baresip 1.0.0 on loopback for every interop test: a config directory filled from
 * `config.template` and the options (codec and tone, SRTP, account: user or AOR, registration with
 * digest auth, outbound proxy, extra parameters such as `transport=tcp`), the process bounded in
 * time (`-t` and a SIGKILL timer, every process tracked for {@link killAllBaresip}), commands over
 * ctrl_tcp and its events, the sndfile dumps of what it heard, and its SIP trace when asked for.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BaresipEvent, type CommandResult, type CtrlTcp, connectCtrlTcp } from './ctrl.js';
import { accountAor, accountUser, type BaresipOptions, writeBaresipFiles } from './options.js';
import { parseSipTrace, type TracedMessage } from './trace.js';

export type { BaresipEvent, CommandResult } from './ctrl.js';
export {
  BARESIP_CODECS,
  type BaresipAccount,
  type BaresipCodec,
  type BaresipMicrophone,
  type BaresipOptions,
} from './options.js';
export type { TracedMessage } from './trace.js';

const live = new Set<ChildProcess>();

/** Kills (SIGKILL) every baresip still running: for `after`. */
export function killAllBaresip(): void {
  for (const c of live) c.kill('SIGKILL');
}

/** One running baresip. */
export class Baresip {
  readonly options: BaresipOptions;
  readonly child: ChildProcess;
  /** Events seen on ctrl_tcp, in order. */
  readonly events: BaresipEvent[] = [];
  #log = '';
  #ctrl: CtrlTcp | undefined;
  readonly #exited: Promise<number | null>;

  private constructor(options: BaresipOptions, child: ChildProcess) {
    this.options = options;
    this.child = child;
    const add = (d: string) => {
      this.#log += d;
    };
    child.stdout?.setEncoding('utf8').on('data', add);
    child.stderr?.setEncoding('utf8').on('data', add);
    const killer = setTimeout(() => child.kill('SIGKILL'), (options.quitAfterS + 5) * 1000);
    this.#exited = new Promise((resolve) =>
      child.on('close', (code) => {
        clearTimeout(killer);
        live.delete(child);
        resolve(code);
      }),
    );
  }

  /** Writes its files, starts baresip, waits until it is ready and ctrl_tcp is connected. */
  static async start(o: BaresipOptions): Promise<Baresip> {
    writeBaresipFiles(o);
    // -s: SIP trace (every message, its transport and addresses) on stdout.
    const args = ['-4', ...(o.trace === true ? ['-s'] : []), '-f', o.dir, '-t', String(o.quitAfterS)];
    const child = spawn('baresip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    const b = new Baresip(o, child);
    await b.waitForLog('baresip is ready', 5000);
    b.#ctrl = await connectCtrlTcp(o.sipPort + 2, b.events);
    return b;
  }

  /** Everything baresip printed so far (ANSI colours removed). */
  get log(): string {
    return this.#log.replace(/\x1b\[[0-9;]*m/g, '');
  }

  /** SIP URI that reaches it directly (`sip:user@127.0.0.1:port`). */
  get uri(): string {
    return `sip:${accountUser(this.options)}@127.0.0.1:${this.options.sipPort}`;
  }

  /** The SIP messages of its trace so far, in order (none unless started with `trace`). */
  messages(): TracedMessage[] {
    return parseSipTrace(this.log, this.options.sipPort);
  }

  /** Resolves once the log contains (or matches) `text`; rejects after `ms` or when baresip exits. */
  async waitForLog(text: string | RegExp, ms: number): Promise<void> {
    const has = () => (typeof text === 'string' ? this.log.includes(text) : text.test(this.log));
    const what = typeof text === 'string' ? JSON.stringify(text) : String(text);
    const until = Date.now() + ms;
    while (!has()) {
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`baresip exited before logging ${what}:\n${this.log}`);
      if (Date.now() > until) throw new Error(`baresip did not log ${what} within ${ms} ms:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Resolves with the first ctrl_tcp event of `type` at index `from` or later (rejects after `ms`). */
  async waitForEvent(type: string, ms: number, from = 0): Promise<BaresipEvent> {
    const until = Date.now() + ms;
    for (;;) {
      const e = this.events.slice(from).find((x) => x.type === type);
      if (e !== undefined) return e;
      if (Date.now() > until)
        throw new Error(
          `${accountAor(this.options)}: no ${type} event within ${ms} ms: ${this.events
            .slice(from)
            .map((x) => `${x.type}(${x.param ?? ''})`)
            .join(', ')}\n${this.log.slice(-3000)}`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /**
   * Resolves once the account registered (its log line `user@host: {0/UDP/v4} 200 OK`: the
   * REGISTER_OK event may come before ctrl_tcp is connected, with a registrar that does not challenge).
   */
  waitForRegistered(ms: number): Promise<void> {
    // baresip names the account user@host (no port).
    const [userHost = ''] = accountAor(this.options)
      .replace(/^sips?:/, '')
      .split(/[:;]/, 1);
    return this.waitForLog(`${userHost}: {0/UDP/v4} 200 OK`, ms);
  }

  /** Runs a menu command over ctrl_tcp (`dial`, `accept`, `hangup`, `hold`, `resume`, `sndcode`, `transfer`). */
  command(command: string, params = ''): Promise<CommandResult> {
    const c = this.#ctrl;
    if (c === undefined) return Promise.reject(new Error('ctrl_tcp not connected'));
    return c.command(command, params);
  }

  /** sndfile dumps of what it heard (`dec`) or sent (`enc`), oldest first (a re-INVITE may start a new one). */
  dumps(kind: 'dec' | 'enc'): string[] {
    return readdirSync(this.options.dir)
      .filter((f) => f.startsWith('dump-') && f.endsWith(`-${kind}.wav`))
      .map((f) => join(this.options.dir, f))
      .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
  }

  /** The last sndfile dump written of what it heard (`dec`) or sent (`enc`). */
  dump(kind: 'dec' | 'enc'): string | undefined {
    return this.dumps(kind).at(-1);
  }

  /** Stops baresip (SIGTERM, then SIGKILL after 3 s); resolves once it exited. */
  async stop(): Promise<void> {
    this.#ctrl?.close();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const k = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await this.#exited;
      clearTimeout(k);
    }
    // Kept beside the dumps for a failing test's post-mortem.
    writeFileSync(join(this.options.dir, 'baresip.log'), this.log);
  }
}
