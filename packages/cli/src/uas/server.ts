/**
 * `tsvoip uas` as a library: opens the listeners, runs a stack core (transaction-layer responder
 * by default, or the UA core) with a Node driver, and reports counters.
 */
import { randomBytes } from 'node:crypto';
import {
  createUserAgentCore,
  NodeStackDriver,
  SipStack,
  type StackLogger,
  UA_METHODS,
  UA_OPTION_TAGS,
} from '@tsvoip/stack';
import type { Transport, TransportAddress } from '@tsvoip/transport';
import { formatListenSpec, type ListenSpec } from '../listen-spec.js';
import { openTransports, type TlsFiles } from '../transports.js';
import { UasResponder, type UasStats } from './responder.js';
import { SdpAnswerer } from './sdp-answerer.js';
import { attachUaResponder } from './ua-responder.js';

/** Which transaction user answers: the lean transaction-layer responder or the UA core. */
export type UasEngine = 'transaction' | 'ua';

/** Options of {@link startUas}. */
export interface UasOptions {
  /** Listeners (one per transport). */
  readonly listen: readonly ListenSpec[];
  /** Key and certificate for `tls` listeners. */
  readonly tls?: TlsFiles;
  /** Default `transaction`. */
  readonly engine?: UasEngine;
  /** Time between 180 and 200 (ms; default 0). */
  readonly ringMs?: number;
  /** Send the 180 reliably when the UAC supports 100rel (`ua` engine only). */
  readonly reliable?: boolean;
  /** Challenge INVITE and MESSAGE with digest auth for this user. */
  readonly auth?: { readonly username: string; readonly password: string; readonly realm?: string };
  /** User part of our Contact (default `uas`). */
  readonly user?: string;
  /** Logger (pino). */
  readonly logger: StackLogger;
  /** Log every call at debug level. */
  readonly traceCalls?: boolean;
  /** UDP transport: `tuned` (default; UdpTransport with 4 MiB buffers and synchronous sends) or `standard` (@tsvoip/transport's). */
  readonly udp?: 'standard' | 'tuned';
}

/** A running UAS. */
export interface UasServer {
  /** The bound addresses. */
  readonly addresses: readonly TransportAddress[];
  /** Live counters. */
  readonly stats: UasStats;
  /** Live calls. */
  readonly calls: () => number;
  /** Stops the driver and closes the listeners. */
  close(): Promise<void>;
}

function contactOf(a: TransportAddress, user: string): string {
  const host = a.host.includes(':') ? `[${a.host}]` : a.host;
  const t = a.transport === 'UDP' ? '' : `;transport=${a.transport.toLowerCase()}`;
  return `<sip:${user}@${host}:${a.port}${t}>`;
}

/** Starts a UAS on the given listeners. */
export async function startUas(o: UasOptions): Promise<UasServer> {
  const engine = o.engine ?? 'transaction';
  const transports: Transport[] = await openTransports(o.listen, o.tls, { udp: o.udp ?? 'tuned' });
  const addresses = transports.map((t) => t.listening as TransportAddress);
  const first = addresses[0];
  if (first === undefined) throw new Error('no listener');
  const user = o.user ?? 'uas';
  const contact = contactOf(first, user);
  const mediaHost = first.host === '0.0.0.0' || first.host === '::' ? '127.0.0.1' : first.host;
  const answerer = new SdpAnswerer({
    address: mediaHost,
    port: 40000,
    sessionId: String(randomBytes(4).readUInt32BE(0)),
  });
  const auth = o.auth === undefined ? undefined : { ...o.auth, secret: randomBytes(32) };
  const closeTransports = async () => {
    await Promise.allSettled(transports.map((t) => t.close()));
  };

  if (engine === 'ua') {
    const stack = new SipStack({
      localAddresses: addresses,
      logger: o.logger,
      allowedMethods: [...UA_METHODS, 'REGISTER'],
      supportedOptionTags: UA_OPTION_TAGS,
    });
    const ua = createUserAgentCore(stack, { contact, from: contact });
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const driver = new NodeStackDriver(ua, transports);
    const stats = attachUaResponder(ua, {
      answerer,
      ringMs: o.ringMs ?? 0,
      reliable: o.reliable === true,
      auth,
      now: () => driver.now(),
      logger: o.logger,
      later: (ms, fire) => {
        const t = setTimeout(() => {
          timers.delete(t);
          driver.run(() => fire());
        }, ms);
        timers.add(t);
      },
    });
    return {
      addresses,
      stats,
      calls: () => ua.dialogCount,
      async close() {
        for (const t of timers) clearTimeout(t);
        driver.close();
        await closeTransports();
      },
    };
  }

  const stack = new SipStack({
    localAddresses: addresses,
    logger: o.logger,
    allowedMethods: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'MESSAGE', 'INFO', 'REGISTER'],
  });
  const responder = new UasResponder({
    contact,
    answerer,
    ringMs: o.ringMs,
    auth,
    tagPrefix: randomBytes(6).toString('hex'),
    t1: stack.timers.t1,
    t2: stack.timers.t2,
    logger: o.logger,
    traceCalls: o.traceCalls,
  });
  // The responder's deadlines (2xx retransmissions, ring timers): ONE lazy timer. It is re-armed
  // only when a deadline comes earlier than the armed one, so a call answered and ACKed within T1
  // costs no timer call; a wake-up with nothing due just re-arms.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Infinity;
  let closed = false;
  const arm = (now: number) => {
    const at = responder.nextDeadline();
    if (closed || at >= timerAt) return;
    if (timer !== undefined) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(onTimer, Math.max(0, at - now));
  };
  const driver = new NodeStackDriver(stack, transports, {
    onEvent: (event, d) => {
      const now = d.now();
      responder.handleEvent(event, d.core, now);
      arm(now);
    },
  });
  function onTimer(): void {
    timer = undefined;
    timerAt = Infinity;
    const now = driver.run((s, t) => {
      responder.handleTimer(s, t);
      return t;
    });
    arm(now);
  }
  return {
    addresses,
    stats: responder.stats,
    calls: () => responder.callCount,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      driver.close();
      await closeTransports();
    },
  };
}

/** The `listening on` line printed at start. */
export function listeningLine(addresses: readonly TransportAddress[]): string {
  return `tsvoip uas listening on ${addresses
    .map((a) =>
      formatListenSpec({
        transport: a.transport.toLowerCase() as ListenSpec['transport'],
        host: a.host,
        port: a.port,
      }),
    )
    .join(' ')}`;
}
