/**
 * A headless baresip 1.0.0 for the TCP and transfer interop tests: a copy of
 * `../baresip/baresip.ts` (which stays untouched) with what those tests need on top: baresip's
 * SIP trace (`-s`, every message with its transport and addresses, in the log), extra account
 * parameters (`;transport=tcp` for the outbound transport), a chosen user name, and the parsing
 * of that trace into messages.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeToneWav } from '../baresip/audio.js';

const TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), '..', 'baresip', 'config.template');

/** How to start one baresip (G.711 µ-law only). */
export interface TracedBaresipOptions {
  /** Work directory (config, dumps, log). */
  readonly dir: string;
  /** SIP port (UDP and TCP; TLS takes the next one, ctrl_tcp the one after). */
  readonly sipPort: number;
  /** RTP port range, `min-max`. */
  readonly rtpPorts: string;
  /** The tone it plays as its microphone, Hz (8 kHz mono WAV, 25 s). */
  readonly toneHz: number;
  /** Answer incoming calls at once. */
  readonly autoAnswer: boolean;
  /** Quit after this many seconds whatever happens. */
  readonly quitAfterS: number;
  /** Our user (sip:user@127.0.0.1:port). */
  readonly user: string;
  /** Extra account parameters (e.g. `transport=tcp`). */
  readonly accountParams?: readonly string[];
}

/** An event reported by ctrl_tcp (`CALL_ESTABLISHED`, `CALL_CLOSED`, ...). */
export interface BaresipEvent {
  readonly type: string;
  readonly param?: string;
  readonly [key: string]: unknown;
}

/** One SIP message of baresip's trace (`-s`). */
export interface TracedMessage {
  /** `UDP` or `TCP`. */
  readonly transport: string;
  /** `sent` by baresip or `received` by it. */
  readonly way: 'sent' | 'received';
  /** The first line (`INVITE sip:... SIP/2.0`, `SIP/2.0 200 OK`). */
  readonly startLine: string;
  /** Method (requests) or CSeq method (responses). */
  readonly method: string;
  /** Status code of a response, 0 for a request. */
  readonly status: number;
  /** The whole message text. */
  readonly text: string;
}

const live = new Set<ChildProcess>();

/** Kills (SIGKILL) every baresip of this helper still running: for `after`. */
export function killAllTracedBaresip(): void {
  for (const c of live) c.kill('SIGKILL');
}

/** One running baresip with its SIP trace. */
export class TracedBaresip {
  readonly options: TracedBaresipOptions;
  readonly child: ChildProcess;
  /** Events seen on ctrl_tcp, in order. */
  readonly events: BaresipEvent[] = [];
  #log = '';
  #ctrl: Socket | undefined;
  #rx = '';
  #waiting = new Map<string, (r: { ok: boolean; data: string }) => void>();
  #token = 0;
  readonly #exited: Promise<number | null>;

  private constructor(options: TracedBaresipOptions, child: ChildProcess) {
    this.options = options;
    this.child = child;
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      this.#log += d;
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      this.#log += d;
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), (options.quitAfterS + 5) * 1000);
    this.#exited = new Promise((resolve) =>
      child.on('close', (code) => {
        clearTimeout(killer);
        live.delete(child);
        resolve(code);
      }),
    );
  }

  /** Writes the config and the tone, starts baresip, waits until ctrl_tcp is connected. */
  static async start(o: TracedBaresipOptions): Promise<TracedBaresip> {
    mkdirSync(o.dir, { recursive: true });
    const toneWav = join(o.dir, `tone-${o.toneHz}.wav`);
    // aufile ends the call when its file ends: longer than any call here.
    writeToneWav(toneWav, o.toneHz, 8000, 1, 25);
    const fill: Record<string, string> = {
      SIP_PORT: String(o.sipPort),
      CTRL_PORT: String(o.sipPort + 2),
      TONE_WAV: toneWav,
      RUN_DIR: o.dir,
      RTP_PORTS: o.rtpPorts,
    };
    const config = readFileSync(TEMPLATE, 'utf8').replace(/@([A-Z_]+)@/g, (_m, k: string) => {
      const v = fill[k];
      if (v === undefined) throw new Error(`config.template: no value for @${k}@`);
      return v;
    });
    writeFileSync(join(o.dir, 'config'), config);
    const params = [
      'regint=0',
      'audio_codecs=PCMU/8000/1',
      ...(o.autoAnswer ? ['answermode=auto'] : []),
      ...(o.accountParams ?? []),
    ];
    writeFileSync(join(o.dir, 'accounts'), `<sip:${o.user}@127.0.0.1:${o.sipPort}>;${params.join(';')}\n`);
    writeFileSync(join(o.dir, 'contacts'), '');
    // -s: SIP trace (every message, its transport and addresses) on stdout.
    const child = spawn('baresip', ['-4', '-s', '-f', o.dir, '-t', String(o.quitAfterS)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    const b = new TracedBaresip(o, child);
    await b.waitForLog('baresip is ready', 5000);
    await b.#connect();
    return b;
  }

  /** Everything baresip printed so far (ANSI colours removed). */
  get log(): string {
    return this.#log.replace(/\x1b\[[0-9;]*m/g, '');
  }

  /** SIP URI of its account. */
  get uri(): string {
    return `sip:${this.options.user}@127.0.0.1:${this.options.sipPort}`;
  }

  /** The SIP messages of the trace so far, in order. */
  messages(): TracedMessage[] {
    return parseSipTrace(this.log, this.options.sipPort);
  }

  /** Resolves once the log contains `text` (rejects after `ms` or when baresip exits). */
  async waitForLog(text: string, ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!this.log.includes(text)) {
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`baresip exited before logging ${JSON.stringify(text)}:\n${this.log}`);
      if (Date.now() > until)
        throw new Error(`baresip did not log ${JSON.stringify(text)} within ${ms} ms:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Resolves with the `nth` (0-based) ctrl_tcp event of `type` (after `ms`: rejects). */
  async waitForEvent(type: string, ms: number, nth = 0): Promise<BaresipEvent> {
    const until = Date.now() + ms;
    for (;;) {
      const e = this.events.filter((x) => x.type === type)[nth];
      if (e !== undefined) return e;
      if (Date.now() > until)
        throw new Error(
          `no baresip ${type} event within ${ms} ms: ${this.events.map((x) => x.type).join(', ')}`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Runs a menu command over ctrl_tcp (`dial`, `hangup`, `transfer`, ...). */
  command(command: string, params = ''): Promise<{ ok: boolean; data: string }> {
    const s = this.#ctrl;
    if (s === undefined) return Promise.reject(new Error('ctrl_tcp not connected'));
    const token = `t${++this.#token}`;
    const json = JSON.stringify({ command, params, token });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(token);
        reject(new Error(`baresip ${command}: no response`));
      }, 3000);
      this.#waiting.set(token, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      s.write(`${Buffer.byteLength(json)}:${json},`);
    });
  }

  /** The last sndfile dump written of what it heard (`dec`) or sent (`enc`). */
  dump(kind: 'dec' | 'enc'): string | undefined {
    return readdirSync(this.options.dir)
      .filter((f) => f.startsWith('dump-') && f.endsWith(`-${kind}.wav`))
      .map((f) => join(this.options.dir, f))
      .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
      .at(-1);
  }

  /** Stops baresip (SIGTERM, then SIGKILL after 3 s); resolves once it exited. */
  async stop(): Promise<void> {
    this.#ctrl?.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const k = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await this.#exited;
      clearTimeout(k);
    }
    // Kept beside the dumps for a failing test's post-mortem.
    writeFileSync(join(this.options.dir, 'baresip.log'), this.log);
  }

  #connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = connect(this.options.sipPort + 2, '127.0.0.1');
      s.setEncoding('utf8');
      s.once('connect', () => {
        this.#ctrl = s;
        resolve();
      });
      s.once('error', reject);
      s.on('data', (d: string) => this.#onData(d));
    });
  }

  /** ctrl_tcp frames are netstrings (`len:json,`). */
  #onData(d: string): void {
    this.#rx += d;
    for (;;) {
      const colon = this.#rx.indexOf(':');
      if (colon < 0) return;
      const len = Number(this.#rx.slice(0, colon));
      if (this.#rx.length < colon + 1 + len + 1) return;
      const body = this.#rx.slice(colon + 1, colon + 1 + len);
      this.#rx = this.#rx.slice(colon + 1 + len + 1);
      const msg = JSON.parse(body) as Record<string, unknown>;
      if (msg.response === true) {
        const w = this.#waiting.get(String(msg.token));
        this.#waiting.delete(String(msg.token));
        w?.({ ok: msg.ok === true, data: String(msg.data ?? '') });
      } else if (msg.event === true) this.events.push(msg as unknown as BaresipEvent);
    }
  }
}

/**
 * Splits baresip 1.0's SIP trace into messages. Each message is printed as a line
 * `<TCP|UDP> <src> -> <dst>` followed by the message (and whatever else baresip logged up to the
 * next one).
 */
export function parseSipTrace(log: string, ownPort: number): TracedMessage[] {
  const out: TracedMessage[] = [];
  const lines = log.split(/\r?\n/);
  const head = /^(UDP|TCP|TLS) (\S+):(\d+) -> (\S+):(\d+)\s*$/;
  for (let i = 0; i < lines.length; i++) {
    const m = head.exec(lines[i]);
    if (m === null) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !head.test(lines[j]); j++) body.push(lines[j]);
    const startLine = body[0] ?? '';
    const text = body.join('\n');
    const cseq = /^CSeq:\s*\d+\s+(\S+)/im.exec(text);
    const status = /^SIP\/2\.0 (\d{3})/.exec(startLine);
    // The top Via is the request's sender (RFC 3261 §8.1.1.7, §8.2.6.2): ours on what we sent and
    // on the responses to our requests. Ports alone do not tell: TCP connections use ephemeral ones.
    const via = /^Via:\s*SIP\/2\.0\/\S+\s+[^:;\s]+:(\d+)/im.exec(text);
    const viaIsOurs = via !== null && Number(via[1]) === ownPort;
    out.push({
      transport: m[1],
      way: viaIsOurs === (status === null) ? 'sent' : 'received',
      startLine,
      method: status === null ? startLine.split(' ')[0] : (cseq?.[1] ?? ''),
      status: status === null ? 0 : Number(status[1]),
      text,
    });
    i = j - 1;
  }
  return out;
}
