/**
 * baresip's ctrl_tcp module as a client: menu commands sent as JSON and the responses and events
 * it sends back, every message framed as a netstring (`len:json,`).
 */
import { connect, type Socket } from 'node:net';

/** An event reported by ctrl_tcp (`REGISTER_OK`, `CALL_ESTABLISHED`, `CALL_DTMF_START`, ...). */
export interface BaresipEvent {
  readonly type: string;
  readonly param?: string;
  readonly [key: string]: unknown;
}

/** The response to a command. */
export interface CommandResult {
  readonly ok: boolean;
  readonly data: string;
}

/** A connected ctrl_tcp session. */
export interface CtrlTcp {
  /** Runs a menu command (`dial`, `accept`, `hangup`, `hold`, `resume`, `sndcode`, `transfer`). */
  command(command: string, params?: string): Promise<CommandResult>;
  /** Closes the connection. */
  close(): void;
}

/** How long a command waits for its response, ms. */
const COMMAND_TIMEOUT_MS = 3000;

/** Connects to ctrl_tcp on 127.0.0.1:`port`; every event it reports is pushed onto `events`. */
export function connectCtrlTcp(port: number, events: BaresipEvent[]): Promise<CtrlTcp> {
  const waiting = new Map<string, (r: CommandResult) => void>();
  let rx = '';
  let token = 0;

  const onData = (d: string): void => {
    rx += d;
    for (;;) {
      const colon = rx.indexOf(':');
      if (colon < 0) return;
      const len = Number(rx.slice(0, colon));
      // Lengths count bytes; the payloads here are ASCII JSON.
      if (rx.length < colon + 1 + len + 1) return;
      const body = rx.slice(colon + 1, colon + 1 + len);
      rx = rx.slice(colon + 1 + len + 1);
      const msg = JSON.parse(body) as Record<string, unknown>;
      if (msg.response === true) {
        const w = waiting.get(String(msg.token));
        waiting.delete(String(msg.token));
        w?.({ ok: msg.ok === true, data: String(msg.data ?? '') });
      } else if (msg.event === true) events.push(msg as unknown as BaresipEvent);
    }
  };

  const session = (s: Socket): CtrlTcp => ({
    command: (command, params = '') => {
      const t = `t${++token}`;
      const json = JSON.stringify({ command, params, token: t });
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(t);
          reject(new Error(`baresip ${command}: no response`));
        }, COMMAND_TIMEOUT_MS);
        waiting.set(t, (r) => {
          clearTimeout(timer);
          resolve(r);
        });
        s.write(`${Buffer.byteLength(json)}:${json},`);
      });
    },
    close: () => s.destroy(),
  });

  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    s.setEncoding('utf8');
    s.once('connect', () => resolve(session(s)));
    s.once('error', reject);
    s.on('data', onData);
  });
}
