/**
 * Test fixtures: a proxy and user agents (raw `SipStack` cores playing UAC/UAS) on the simulated
 * network, on virtual time.
 */
import {
  createRequest,
  createResponse,
  parseMessage,
  parseNameAddr,
  type SipMessage,
  type SipUri,
} from '@tsvoip/sip';
import {
  SimDriver,
  type SimStackNode,
  type SipAddress,
  SipStack,
  type StackEvent,
  type TransportName,
} from '@tsvoip/stack';
import { type Delivery, type LinkConditions, SimNetwork } from '@tsvoip/transport';
import { type ProxyOptions, SipProxy } from './proxy.js';
import { ProxySimNode } from './sim-node.js';

/** Hosts. */
export const PROXY = '192.0.2.10';
export const ALICE = '10.0.0.1';
export const BOB = '10.0.0.2';
export const CAROL = '10.0.0.3';
export const RAW = '10.0.0.9';

/** An address. */
export function addr(host: string, transport: TransportName = 'UDP', port = 5060): SipAddress {
  return { transport, host, port };
}

/** A deterministic token source. */
export function counter(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

/** What a UAS does with an INVITE. */
export interface UasScript {
  /** Send 180 after this many ms (none when undefined). */
  readonly ringAfter?: number;
  /** Final response: status, delay after the INVITE, extra headers. None when undefined. */
  readonly final?: {
    readonly status: number;
    readonly after: number;
    readonly headers?: ReadonlyArray<readonly [string, string]>;
  };
  /** Contact written in 18x/2xx (default `<sip:NAME@HOST>` with the transport of the UA). */
  readonly contact?: string;
  /** Option tags the UA's stack supports (Require). */
  readonly supported?: readonly string[];
  /** Delay of the stack's automatic 100 Trying (ms). */
  readonly tryingMs?: number;
}

/** A user agent: a stack core with a scripted TU that records everything. */
export class Ua {
  readonly node: SimStackNode;
  readonly name: string;
  readonly address: SipAddress;
  readonly requests: SipMessage[] = [];
  readonly responses: SipMessage[] = [];
  readonly acks: SipMessage[] = [];
  readonly cancels: SipMessage[] = [];
  readonly arrivals: Array<{ at: number; request: SipMessage }> = [];
  script: UasScript;
  #finalSent = new Set<string>();
  readonly #world: World;

  constructor(world: World, name: string, address: SipAddress, script: UasScript) {
    this.#world = world;
    this.name = name;
    this.address = address;
    this.script = script;
    const stack = new SipStack({
      localAddresses: [address],
      random: counter(`${name}-`),
      idPrefix: `${name}/`,
      allowedMethods: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'MESSAGE', 'REGISTER'],
      supportedOptionTags: script.supported,
      timers: script.tryingMs === undefined ? undefined : { trying: script.tryingMs },
    });
    this.node = world.driver.add(stack, [address], (e, _node, now) => this.#onEvent(e, now));
  }

  get contact(): string {
    const t = this.address.transport === 'UDP' ? '' : `;transport=${this.address.transport.toLowerCase()}`;
    return this.script.contact ?? `<sip:${this.name}@${this.address.host}:${this.address.port}${t}>`;
  }

  #onEvent(e: StackEvent, now: number): void {
    switch (e.type) {
      case 'request': {
        this.requests.push(e.request);
        this.arrivals.push({ at: now, request: e.request });
        if (e.request.method !== 'INVITE') {
          this.#respond(e.transactionId, e.request, 200);
          return;
        }
        const { ringAfter, final } = this.script;
        if (ringAfter !== undefined) {
          this.#world.clock.after(ringAfter, () => this.#respond(e.transactionId, e.request, 180));
        }
        if (final !== undefined) {
          this.#world.clock.after(final.after, () =>
            this.#respond(e.transactionId, e.request, final.status, final.headers),
          );
        }
        return;
      }
      case 'cancel':
        this.cancels.push(e.request);
        this.#respond(e.transactionId, this.requests.find((r) => r.method === 'INVITE') as SipMessage, 487);
        return;
      case 'ack':
        this.acks.push(e.request);
        return;
      case 'response':
      case 'stray-response':
        this.responses.push(e.response);
        return;
      default:
    }
  }

  #respond(
    transactionId: string,
    request: SipMessage,
    status: number,
    headers: ReadonlyArray<readonly [string, string]> = [],
  ): void {
    if (this.#finalSent.has(transactionId)) return;
    if (status >= 200) this.#finalSent.add(transactionId);
    const extra: Array<readonly [string, string]> = [...headers];
    if (status > 100 && status < 300) extra.push(['Contact', this.contact]);
    const res = createResponse(request, status, undefined, {
      toTag: `${this.name}tag`,
      copyRecordRoute: true,
      headers: extra,
    });
    this.node.run(this.#world.clock.now, (s) => s.sendResponse(transactionId, res, this.#world.clock.now));
  }

  /** Sends an INVITE (or `method`) to `uri` through the proxy. Returns the request. */
  send(
    uri: string,
    o: {
      method?: string;
      headers?: ReadonlyArray<readonly [string, string]>;
      maxForwards?: number;
      to?: SipAddress;
    } = {},
  ): SipMessage {
    const method = o.method ?? 'INVITE';
    const req = createRequest({
      method,
      requestUri: uri,
      from: `<sip:${this.name}@${this.address.host}>`,
      to: `<${uri}>`,
      callId: `call-${this.name}-${++this.#world.calls}`,
      cseq: 1,
      contact: this.contact,
      maxForwards: o.maxForwards,
      headers: o.headers,
      random: counter(`${this.name}ftag`),
    });
    const to = o.to ?? this.#world.proxyAddress(this.address.transport);
    this.node.run(this.#world.clock.now, (s) => s.sendRequest(req, to, this.#world.clock.now));
    return req;
  }

  /** Cancels the pending INVITE client transaction. */
  cancel(): void {
    const txId = [...this.node.events].reverse().find((e) => e.event.type === 'response')?.event as
      | { transactionId: string }
      | undefined;
    if (txId === undefined) throw new Error('no INVITE transaction to cancel');
    this.node.run(this.#world.clock.now, (s) => s.cancel(txId.transactionId, this.#world.clock.now));
  }

  /**
   * An in-dialog request built from a dialog response or request (RFC 3261 §12.2.1.1): Route set
   * from Record-Route (reversed for the UAC), Request-URI = remote target, sent to the first Route.
   */
  inDialog(
    method: string,
    o: { asUac: SipMessage; invite: SipMessage } | { asUas: SipMessage },
    cseq = 2,
  ): SipMessage {
    let rr: string[];
    let target: string;
    let from: string;
    let to: string;
    const isUac = 'asUac' in o;
    if (isUac) {
      rr = o.asUac.getHeaders('Record-Route').reverse();
      target = formatContact(o.asUac);
      from = o.invite.getHeader('From') as string;
      to = o.asUac.getHeader('To') as string;
    } else {
      rr = o.asUas.getHeaders('Record-Route');
      target = formatContact(o.asUas);
      from = `${o.asUas.getHeader('To') as string};tag=${this.name}tag`;
      to = o.asUas.getHeader('From') as string;
    }
    const callId = (isUac ? o.invite.callId : o.asUas.callId) as string;
    const req = createRequest({
      method,
      requestUri: target,
      from,
      to,
      callId,
      cseq: method === 'ACK' && isUac ? (o.invite.cseq?.seq ?? 1) : cseq,
      headers: rr.map((r) => ['Route', r] as const),
    });
    const first = parseNameAddr(rr[0] ?? `<${target}>`).uri as SipUri;
    const t = first.params.get('transport');
    const transport = (typeof t === 'string' ? t.toUpperCase() : 'UDP') as TransportName;
    const dest = { transport, host: first.host, port: first.port ?? 5060 };
    const now = this.#world.clock.now;
    if (method === 'ACK')
      this.node.run(now, (s) =>
        s.handleInput({ type: 'send-stateless', message: req, destination: dest }, now),
      );
    else this.node.run(now, (s) => s.sendRequest(req, dest, now));
    return req;
  }

  /** Final responses to `method` received, by status. */
  finalsOf(method: string): number[] {
    return this.responses.filter((r) => r.status >= 200 && r.cseq?.method === method).map((r) => r.status);
  }

  /** Final responses received, by status. */
  finals(): number[] {
    return this.responses.filter((r) => r.status >= 200).map((r) => r.status);
  }
}

function formatContact(m: SipMessage): string {
  const c = m.getHeader('Contact') as string;
  const na = parseNameAddr(c);
  const u = na.uri as SipUri;
  const port = u.port === undefined ? '' : `:${u.port}`;
  const t = u.params.get('transport');
  return `sip:${u.user === undefined ? '' : `${u.user}@`}${u.host}${port}${typeof t === 'string' ? `;transport=${t}` : ''}`;
}

/** A proxy and user agents on one simulated network and virtual clock. */
export class World {
  readonly network: SimNetwork;
  readonly driver: SimDriver;
  readonly proxy: SipProxy;
  readonly proxyNode: ProxySimNode;
  readonly raw: Delivery[] = [];
  calls = 0;

  constructor(
    o: { proxy?: Partial<ProxyOptions>; delayMs?: number; conditions?: LinkConditions; seed?: number } = {},
  ) {
    this.network = new SimNetwork({
      seed: o.seed ?? 1,
      defaults: { delayMs: o.delayMs ?? 10, ...o.conditions },
    });
    this.driver = new SimDriver(this.network);
    this.proxy = new SipProxy({
      localAddresses: [addr(PROXY, 'UDP'), addr(PROXY, 'TCP')],
      domains: ['example.com'],
      random: counter('px'),
      ...o.proxy,
    });
    this.proxyNode = new ProxySimNode(this.network, this.driver.clock, this.proxy);
  }

  get clock() {
    return this.driver.clock;
  }

  proxyAddress(transport: TransportName = 'UDP'): SipAddress {
    return addr(PROXY, transport);
  }

  ua(name: string, host: string, script: UasScript = {}, transport: TransportName = 'UDP', port = 5060): Ua {
    return new Ua(this, name, addr(host, transport, port), script);
  }

  /** Binds a raw endpoint that records what it receives. */
  bindRaw(a: SipAddress): void {
    this.network.bind(a, (d) => this.raw.push(d));
  }

  /** Sends raw bytes from a raw endpoint. */
  sendRaw(from: SipAddress, to: SipAddress, text: string): void {
    this.network.send(from, to, Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8'), this.clock.now);
  }

  /** Distinct statuses of the responses received by raw endpoints, in order (retransmissions once). */
  rawStatuses(): number[] {
    return [...new Set(this.rawMessages().map((m) => m.status))];
  }

  /** Messages received by raw endpoints, parsed. */
  rawMessages(): SipMessage[] {
    return this.raw.map((d) => parseMessage(d.bytes, { stream: false }));
  }

  run(ms: number): void {
    this.clock.advance(ms);
  }
}
