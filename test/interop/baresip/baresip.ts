/**
 * A headless baresip 1.0.0 on loopback for the interop tests: a config directory filled from
 * `config.template`, the process bounded in time (`-t` and a SIGKILL timer), commands over
 * ctrl_tcp (JSON netstrings) and its events, and the sndfile dumps of what it heard.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Codecs both sides offer, with what baresip's `audio_codecs` needs (name/rate/channels). */
export const BARESIP_CODECS = {
  PCMU: { rate: 8000, channels: 1 },
  PCMA: { rate: 8000, channels: 1 },
  G722: { rate: 16000, channels: 1 },
  opus: { rate: 48000, channels: 2 },
} as const;

/** A codec name of {@link BARESIP_CODECS}. */
export type BaresipCodec = keyof typeof BARESIP_CODECS;

/** How to start one baresip. */
export interface BaresipOptions {
  /** Work directory (config, dumps, log). */
  readonly dir: string;
  /** SIP port (TLS takes the next one; ctrl_tcp the one after). */
  readonly sipPort: number;
  /** RTP port range, `min-max`. */
  readonly rtpPorts: string;
  /** The only codec offered/accepted. */
  readonly codec: BaresipCodec;
  /** WAV played as the microphone (at the codec's rate and channels). */
  readonly toneWav: string;
  /** Answer incoming calls at once. */
  readonly autoAnswer: boolean;
  /** Require SRTP (SDES, RTP/SAVP). */
  readonly srtp?: boolean;
  /** Quit after this many seconds whatever happens. */
  readonly quitAfterS: number;
  /** Our user (sip:user@127.0.0.1:port). */
  readonly user?: string;
}

/** An event reported by ctrl_tcp (`CALL_ESTABLISHED`, `CALL_DTMF_START`, ...). */
export interface BaresipEvent {
  readonly type: string;
  readonly param?: string;
  readonly [key: string]: unknown;
}

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
  #ctrl: Socket | undefined;
  #rx = '';
  #waiting = new Map<string, (r: { ok: boolean; data: string }) => void>();
  #token = 0;
  readonly #exited: Promise<number | null>;

  private constructor(options: BaresipOptions, child: ChildProcess) {
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

  /** Writes the config, starts baresip, waits until it is ready and ctrl_tcp is connected. */
  static async start(o: BaresipOptions): Promise<Baresip> {
    mkdirSync(o.dir, { recursive: true });
    const { rate, channels } = BARESIP_CODECS[o.codec];
    const fill: Record<string, string> = {
      SIP_PORT: String(o.sipPort),
      CTRL_PORT: String(o.sipPort + 2),
      TONE_WAV: o.toneWav,
      RUN_DIR: o.dir,
      RTP_PORTS: o.rtpPorts,
    };
    const config = readFileSync(join(HERE, 'config.template'), 'utf8').replace(
      /@([A-Z_]+)@/g,
      (_m, k: string) => {
        const v = fill[k];
        if (v === undefined) throw new Error(`config.template: no value for @${k}@`);
        return v;
      },
    );
    writeFileSync(join(o.dir, 'config'), config);
    // regint=0: no REGISTER; audio_codecs needs name/rate/channels (a bare name offers them all).
    const params = [
      'regint=0',
      `audio_codecs=${o.codec}/${rate}/${channels}`,
      ...(o.autoAnswer ? ['answermode=auto'] : []),
      ...(o.srtp === true ? ['mediaenc=srtp-mand'] : []),
    ];
    writeFileSync(
      join(o.dir, 'accounts'),
      `<sip:${o.user ?? 'bob'}@127.0.0.1:${o.sipPort}>;${params.join(';')}\n`,
    );
    writeFileSync(join(o.dir, 'contacts'), '');
    const child = spawn('baresip', ['-4', '-f', o.dir, '-t', String(o.quitAfterS)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    const b = new Baresip(o, child);
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
    return `sip:${this.options.user ?? 'bob'}@127.0.0.1:${this.options.sipPort}`;
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

  /** Resolves with the first ctrl_tcp event of `type` (after `ms`: rejects). */
  async waitForEvent(type: string, ms: number): Promise<BaresipEvent> {
    const until = Date.now() + ms;
    for (;;) {
      const e = this.events.find((x) => x.type === type);
      if (e !== undefined) return e;
      if (Date.now() > until)
        throw new Error(
          `no baresip ${type} event within ${ms} ms: ${this.events.map((x) => x.type).join(', ')}`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Runs a menu command over ctrl_tcp (`dial`, `accept`, `hangup`, `hold`, `resume`, `sndcode`). */
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

  /** ctrl_tcp frames are netstrings (`len:json,`), RFC-less but simple. */
  #onData(d: string): void {
    this.#rx += d;
    for (;;) {
      const colon = this.#rx.indexOf(':');
      if (colon < 0) return;
      const len = Number(this.#rx.slice(0, colon));
      // Lengths count bytes; the payloads here are ASCII JSON.
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
