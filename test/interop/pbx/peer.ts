/**
 * A headless baresip 1.0.0 for the PBX interop tests: like `../baresip/baresip.ts` (same
 * `config.template`, ctrl_tcp commands and events, sndfile dumps), but its account may register
 * with digest auth at a registrar (`regint`, `auth_pass`) and send through an outbound proxy
 * (`outbound`), which that helper's fixed account line (`regint=0`) does not allow. Events can be
 * awaited from a given index, so one process serves several calls. Bounded by `-t` and a SIGKILL
 * timer; every process is tracked for {@link killAllPeers}.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), '..', 'baresip', 'config.template');

/** How to start one baresip peer (PCMU only). */
export interface PeerOptions {
  /** Work directory (config, dumps, log). */
  readonly dir: string;
  /** SIP port (baresip binds TLS on the next one; ctrl_tcp goes on the one after). */
  readonly sipPort: number;
  /** RTP port range, `min-max`. */
  readonly rtpPorts: string;
  /** WAV played as the microphone (8 kHz mono for PCMU). */
  readonly toneWav: string;
  /** Account address of record, e.g. `sip:1000@127.0.0.1:15300`. */
  readonly aor: string;
  /** Digest password (`auth_pass`). */
  readonly password?: string;
  /** Register every `regint` seconds (0: never). */
  readonly regint: number;
  /** Outbound proxy URI (every request of the account goes there). */
  readonly outbound?: string;
  /** Answer incoming calls at once. */
  readonly autoAnswer?: boolean;
  /** Quit after this many seconds whatever happens. */
  readonly quitAfterS: number;
}

/** An event reported by ctrl_tcp (`REGISTER_OK`, `CALL_INCOMING`, `CALL_ESTABLISHED`, `CALL_CLOSED`, ...). */
export interface PeerEvent {
  readonly type: string;
  readonly param?: string;
  readonly [key: string]: unknown;
}

const live = new Set<ChildProcess>();

/** Kills (SIGKILL) every peer still running: for `after`. */
export function killAllPeers(): void {
  for (const c of live) c.kill('SIGKILL');
}

/** One running baresip. */
export class Peer {
  readonly options: PeerOptions;
  readonly child: ChildProcess;
  /** Events seen on ctrl_tcp, in order. */
  readonly events: PeerEvent[] = [];
  #log = '';
  #ctrl: Socket | undefined;
  #rx = '';
  #waiting = new Map<string, (r: { ok: boolean; data: string }) => void>();
  #token = 0;
  readonly #exited: Promise<number | null>;

  private constructor(options: PeerOptions, child: ChildProcess) {
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

  /** Writes the config and account, starts baresip, waits until ready and ctrl_tcp is connected. */
  static async start(o: PeerOptions): Promise<Peer> {
    mkdirSync(o.dir, { recursive: true });
    const fill: Record<string, string> = {
      SIP_PORT: String(o.sipPort),
      CTRL_PORT: String(o.sipPort + 2),
      TONE_WAV: o.toneWav,
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
      `regint=${o.regint}`,
      'audio_codecs=PCMU/8000/1',
      ...(o.password === undefined ? [] : [`auth_pass=${o.password}`]),
      ...(o.outbound === undefined ? [] : [`outbound="${o.outbound}"`]),
      ...(o.autoAnswer === true ? ['answermode=auto'] : []),
    ];
    writeFileSync(join(o.dir, 'accounts'), `<${o.aor}>;${params.join(';')}\n`);
    writeFileSync(join(o.dir, 'contacts'), '');
    const child = spawn('baresip', ['-4', '-f', o.dir, '-t', String(o.quitAfterS)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    const b = new Peer(o, child);
    await b.waitForLog('baresip is ready', 5000);
    await b.#connect();
    return b;
  }

  /** Everything baresip printed so far (ANSI colours removed). */
  get log(): string {
    return this.#log.replace(/\x1b\[[0-9;]*m/g, '');
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

  /** Resolves with the first ctrl_tcp event of `type` at index `from` or later (rejects after `ms`). */
  async waitForEvent(type: string, ms: number, from = 0): Promise<PeerEvent> {
    const until = Date.now() + ms;
    for (;;) {
      const e = this.events.slice(from).find((x) => x.type === type);
      if (e !== undefined) return e;
      if (Date.now() > until)
        throw new Error(
          `${this.options.aor}: no ${type} event within ${ms} ms: ${this.events
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
    const [userHost = ''] = this.options.aor.slice(4).split(/[:;]/, 1);
    return this.waitForLog(`${userHost}: {0/UDP/v4} 200 OK`, ms);
  }

  /** Runs a menu command over ctrl_tcp (`dial`, `accept`, `hangup`). */
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

  /** The newest sndfile dump of what it heard (`dec`) or sent (`enc`). */
  dump(kind: 'dec' | 'enc'): string | undefined {
    return readdirSync(this.options.dir)
      .filter((f) => f.startsWith('dump-') && f.endsWith(`-${kind}.wav`))
      .map((f) => join(this.options.dir, f))
      .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
      .at(-1);
  }

  /** Stops baresip (SIGTERM, then SIGKILL after 3 s); saves its log as `baresip.log`. */
  async stop(): Promise<void> {
    this.#ctrl?.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const k = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await this.#exited;
      clearTimeout(k);
    }
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

  /** ctrl_tcp frames are netstrings (`len:json,`); the payloads are ASCII JSON. */
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
      } else if (msg.event === true) this.events.push(msg as unknown as PeerEvent);
    }
  }
}
