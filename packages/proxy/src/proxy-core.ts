/**
 * The sans-IO proxy core (RFC 3261 §16). It owns a `SipStack` core for the transaction layer and
 * adds what a proxy does around it: validation (§16.3), Route processing (§16.4), forwarding
 * (§16.6), response processing (§16.7), CANCEL (§16.10), Timer C, and stateless forwarding
 * (§16.11). Two questions go out as events (which targets? which address?) and come back as
 * inputs, so routing functions and DNS may be asynchronous without the core knowing.
 */
import { parseMessage, type SipMessage, SipParseError } from '@tsvoip/sip';
import {
  DeadlineQueue,
  InvalidCommandError,
  type SipAddress,
  SipStack,
  type StackEvent,
  UnknownTransactionError,
} from '@tsvoip/stack';
import type { Branch } from './context.js';
import type { ProxyEvent, ProxyInput, ProxyOutput } from './core-io.js';
import type { Locality } from './locality.js';
import { type ProxyCoreOptions, type ResolvedProxyOptions, resolveProxyOptions } from './options.js';
import { StatefulProxy } from './stateful.js';
import { StatelessForwarder } from './stateless.js';
import type { Arrival } from './types.js';

/** What the stateful and stateless parts need from the core. */
export interface CoreHost {
  /** The options. */
  readonly options: ResolvedProxyOptions;
  /** Our addresses and domains. */
  readonly locality: Locality;
  /** The stack core (stateful mode). */
  readonly stack: SipStack;
  /** Timer C deadlines. */
  readonly timers: DeadlineQueue<Branch>;
  /** Current time. */
  readonly now: number;
  /** Queues bytes for the driver. */
  transmit(to: SipAddress, bytes: Uint8Array, connectionId?: string): void;
  /** Queues an event. */
  emit(event: ProxyEvent): void;
  /** A new id for a routing context or a look-up. */
  newId(): number;
  /** Our local address (Via sent-by, Record-Route) for a transport. */
  localFor(transport: SipAddress['transport']): SipAddress | undefined;
  /** Sets the token the stack's next Via branch is made of (our loop hash in it). */
  setNextBranchToken(token: string): void;
  /** A random token. */
  random(): string;
  /** Sends a response on a server transaction; false when the transaction cannot take it. */
  respond(serverTransactionId: string, response: SipMessage): boolean;
  /** Forwards a response (our Via already removed) statelessly, by its top Via (§18.2.2). */
  forwardResponse(response: SipMessage): void;
}

/** The sans-IO proxy core. */
export class ProxyCore implements CoreHost {
  /** @inheritdoc */
  readonly options: ResolvedProxyOptions;
  /** @inheritdoc */
  readonly locality: Locality;
  /** @inheritdoc */
  readonly stack: SipStack;
  /** @inheritdoc */
  readonly timers = new DeadlineQueue<Branch>();
  readonly #out: ProxyOutput[] = [];
  #outHead = 0;
  #reported = Infinity;
  #stackDeadline = Infinity;
  #now = 0;
  #nextId = 0;
  #branchToken: string | undefined;
  readonly #stateful: StatefulProxy;
  readonly #stateless: StatelessForwarder;
  /** Arrival of each request fed to the stack (its events carry no local address). */
  readonly #arrivals = new WeakMap<SipMessage, Arrival>();

  /** Creates a core; see {@link ProxyCoreOptions}. */
  constructor(options: ProxyCoreOptions) {
    this.options = resolveProxyOptions(options);
    this.locality = { localAddresses: this.options.localAddresses, domains: this.options.domains };
    const random = this.options.random;
    this.stack = new SipStack({
      localAddresses: this.options.localAddresses,
      timers: this.options.timers,
      logger: this.options.logger,
      allowedMethods: this.options.allowedMethods,
      uriSchemes: [...this.options.uriSchemes],
      idPrefix: 'p',
      // RFC 3261 §16: a proxy's intake and response matching, not a UA's.
      role: 'proxy',
      // The branch of the Via the stack pushes carries our loop hash (RFC 3261 §16.6 item 8).
      random: () => {
        const t = this.#branchToken;
        if (t === undefined) return random();
        this.#branchToken = undefined;
        return t;
      },
    });
    this.#stateful = new StatefulProxy(this);
    this.#stateless = new StatelessForwarder(this);
  }

  /** @inheritdoc */
  get now(): number {
    return this.#now;
  }

  /** Routing contexts alive (stateful mode). */
  get contextCount(): number {
    return this.#stateful.contextCount;
  }

  /** Feeds one input at `now` (ms). Drain {@link pollOutput} afterwards. */
  handleInput(input: ProxyInput, now: number): void {
    this.#now = now;
    switch (input.type) {
      case 'datagram':
      case 'stream': {
        let msg: SipMessage;
        try {
          msg = parseMessage(input.bytes, { stream: input.type === 'stream' });
        } catch (e) {
          if (!(e instanceof SipParseError)) throw e;
          // The stack's intake answers what it can of an unparsable request (RFC 3261 §16.3 item 1).
          if (!this.options.stateless) this.stack.handleInput(input, now);
          break;
        }
        this.#receive(msg, input);
        break;
      }
      case 'message':
        this.#receive(input.message, input);
        break;
      case 'timer':
        this.stack.handleInput(input, now);
        for (let b = this.timers.popDue(now); b !== undefined; b = this.timers.popDue(now)) {
          this.#stateful.onTimerC(b);
        }
        break;
      case 'send-failed':
        this.stack.handleInput(input, now);
        break;
      case 'route-result':
        if (this.options.stateless) this.#stateless.onRouteResult(input.contextId, input.result);
        else this.#stateful.onRouteResult(input.contextId, input.result);
        break;
      case 'resolved':
        if (!this.#stateful.onResolved(input.lookupId, input.destination, input.alternates ?? [])) {
          this.#stateless.onResolved(input.lookupId, input.destination);
        }
        break;
    }
    this.#pump();
  }

  /**
   * The next output: bytes to send and events in order; then the earliest deadline as `timeout`
   * once per change (Infinity: none); then undefined.
   */
  pollOutput(_now: number): ProxyOutput | undefined {
    if (this.#outHead < this.#out.length) {
      const o = this.#out[this.#outHead++];
      if (this.#outHead === this.#out.length) {
        this.#out.length = 0;
        this.#outHead = 0;
      }
      return o;
    }
    const at = Math.min(this.#stackDeadline, this.timers.peek() ?? Infinity);
    if (at !== this.#reported) {
      this.#reported = at;
      return { type: 'timeout', at };
    }
    return undefined;
  }

  // ---- CoreHost ------------------------------------------------------------------------------

  /** @inheritdoc */
  transmit(to: SipAddress, bytes: Uint8Array, connectionId?: string): void {
    this.#out.push(
      connectionId === undefined
        ? { type: 'transmit', to, bytes }
        : { type: 'transmit', to, bytes, connectionId },
    );
  }

  /** @inheritdoc */
  emit(event: ProxyEvent): void {
    this.#out.push({ type: 'event', event });
  }

  /** @inheritdoc */
  newId(): number {
    return ++this.#nextId;
  }

  /** @inheritdoc */
  localFor(transport: SipAddress['transport']): SipAddress | undefined {
    for (const a of this.options.localAddresses) if (a.transport === transport) return a;
    return undefined;
  }

  /** @inheritdoc */
  setNextBranchToken(token: string): void {
    this.#branchToken = token;
  }

  /** @inheritdoc */
  random(): string {
    return this.options.random();
  }

  // ---- receiving -----------------------------------------------------------------------------

  #receive(msg: SipMessage, a: Arrival): void {
    const arrival: Arrival =
      a.connectionId === undefined
        ? { source: a.source, local: a.local }
        : { source: a.source, local: a.local, connectionId: a.connectionId };
    if (this.options.stateless) {
      if (msg.isRequest) this.#stateless.onRequest(msg, arrival);
      else this.#stateless.onResponse(msg);
      return;
    }
    if (msg.isRequest) this.#feedRequest(msg, arrival);
    else this.#feedResponse(msg, arrival);
  }

  /**
   * A request goes to the stack for its server transaction. The stack runs with the proxy's
   * rules (`role: 'proxy'`): no Require check (RFC 3261 §16.3 looks at Proxy-Require only), no
   * merged-request 482 (§8.2.2.2 is a UAS rule; our own loop detection, §16.3 item 4, tells loops
   * from spirals), no 405/501 for methods it does not know.
   */
  #feedRequest(msg: SipMessage, arrival: Arrival): void {
    this.#arrivals.set(msg, arrival);
    this.stack.handleInput({ type: 'message', message: msg, ...arrival }, this.#now);
  }

  /**
   * A response goes to the stack to match its client transaction by its top Via (RFC 3261
   * §17.1.3; the stack takes several Vias in the proxy role).
   */
  #feedResponse(msg: SipMessage, arrival: Arrival): void {
    this.stack.handleInput({ type: 'message', message: msg, ...arrival }, this.#now);
  }

  /**
   * RFC 3261 §16.7 item 3: our (top) Via removed. False when none is left: the response was
   * for the proxy itself (the answer to a CANCEL it sent) and goes no further.
   */
  #popOurVia(msg: SipMessage): boolean {
    try {
      msg.removeFirstHeader('Via');
      return msg.hasHeader('Via');
    } catch {
      return false; // RFC 3261 §16.7: a response we cannot route back is dropped
    }
  }

  // ---- the stack's outputs -------------------------------------------------------------------

  #pump(): void {
    const now = this.#now;
    for (let o = this.stack.pollOutput(now); o !== undefined; o = this.stack.pollOutput(now)) {
      if (o.type === 'timeout') this.#stackDeadline = o.at;
      else if (o.type === 'transmit') this.#out.push(o);
      else this.#onStackEvent(o.event);
    }
  }

  #onStackEvent(e: StackEvent): void {
    switch (e.type) {
      case 'request': {
        const arrival = this.#arrivals.get(e.request) ?? { source: e.source, local: e.source };
        this.#stateful.onRequest(e.transactionId, e.request, arrival);
        break;
      }
      case 'response':
        if (this.#popOurVia(e.response)) this.#stateful.onResponse(e.transactionId, e.response);
        break;
      case 'stray-response':
        // RFC 3261 §16.7 / RFC 6026 §8.1: a 2xx matching no transaction is forwarded statelessly.
        if (this.#popOurVia(e.response)) this.#stateless.forwardResponse(e.response);
        break;
      case 'ack': {
        // RFC 3261 §16.4/§16.6: the ACK for a 2xx is its own transaction: forwarded statelessly.
        const arrival = this.#arrivals.get(e.request) ?? { source: e.source, local: e.source };
        this.#stateless.forwardInDialog(e.request, arrival);
        break;
      }
      case 'cancel':
        this.#stateful.onCancel(e.transactionId);
        break;
      case 'timeout':
        this.#stateful.onClientFailure(e.transactionId, 408);
        break;
      case 'transport-error':
        if (e.transactionId !== undefined) this.#stateful.onClientFailure(e.transactionId, 503);
        break;
      case 'terminated':
        this.#stateful.onTerminated(e.transactionId);
        break;
    }
  }

  /** @inheritdoc */
  forwardResponse(response: SipMessage): void {
    this.#stateless.forwardResponse(response);
  }

  /** @inheritdoc */
  respond(serverTransactionId: string, response: SipMessage): boolean {
    try {
      this.stack.handleInput(
        { type: 'send-response', transactionId: serverTransactionId, response },
        this.#now,
      );
      return true;
    } catch (e) {
      if (e instanceof InvalidCommandError || e instanceof UnknownTransactionError) return false;
      throw e;
    }
  }
}
