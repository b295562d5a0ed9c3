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
import { mergeKeyOf } from './policy.js';
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

/** Stands in for a spiralling request's From while the stack's intake looks (no tag: no merge check). */
const SPIRAL_FROM = '<sip:spiral.invalid>';

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
  /** Vias below ours, stripped from a response before the stack sees it (see {@link #feedResponse}). */
  readonly #strippedVias = new WeakMap<SipMessage, string[]>();

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
   * A request goes to the stack for its server transaction. The stack's intake is a UAS's
   * (RFC 3261 §8.2), and two of its checks are wrong for a proxy, so the headers they read are
   * hidden while the stack looks and put back right after:
   * - Require: a proxy must not reject option tags it does not know (§16.3: only Proxy-Require);
   * - the From tag, when a request with the same From tag, Call-ID and CSeq is being proxied:
   *   the merged-request check (§8.2.2.2, a UAS rule) would answer 482 to a legal spiral; our
   *   own loop detection (§16.3 item 4) tells loops from spirals instead.
   */
  #feedRequest(msg: SipMessage, arrival: Arrival): void {
    this.#arrivals.set(msg, arrival);
    let require: string[] | undefined;
    let from: string | undefined;
    try {
      if (msg.hasHeader('Require')) {
        require = [];
        for (const h of msg.headerEntries()) if (h.name.toLowerCase() === 'require') require.push(h.value);
        msg.setHeader('Require', '');
      }
      const mk = mergeKeyOf(msg);
      if (mk !== undefined && msg.to?.tag === undefined && this.#stateful.isLive(mk)) {
        from = msg.getHeader('From');
        msg.setHeader('From', SPIRAL_FROM);
      }
    } catch {
      // A malformed header: let the stack's intake answer the request as it is.
    }
    try {
      this.stack.handleInput({ type: 'message', message: msg, ...arrival }, this.#now);
    } finally {
      if (require !== undefined) msg.setHeader('Require', require);
      if (from !== undefined) msg.setHeader('From', from);
    }
  }

  /**
   * A response goes to the stack to match its client transaction (RFC 3261 §17.1.3). The stack
   * is a UAC's and drops a response with more than one Via (§8.1.3.3), so the Vias below ours
   * are stripped while it looks and put back (without ours) when its event comes out.
   */
  #feedResponse(msg: SipMessage, arrival: Arrival): void {
    let vias: string[];
    try {
      vias = msg.getHeaders('Via');
    } catch {
      return; // RFC 3261 §16.7: a response we cannot route back is dropped
    }
    if (vias.length > 1) {
      msg.setHeader('Via', vias[0]);
      this.#strippedVias.set(msg, vias.slice(1));
    }
    this.stack.handleInput({ type: 'message', message: msg, ...arrival }, this.#now);
  }

  /** RFC 3261 §16.7 item 3: our Via removed: the Vias the stack did not see are put back. */
  #restoreVias(msg: SipMessage): boolean {
    const rest = this.#strippedVias.get(msg);
    if (rest === undefined) return false;
    this.#strippedVias.delete(msg);
    msg.setHeader('Via', rest);
    return true;
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
        if (this.#restoreVias(e.response)) this.#stateful.onResponse(e.transactionId, e.response);
        break;
      case 'stray-response':
        // RFC 3261 §16.7 / RFC 6026 §8.1: a 2xx matching no transaction is forwarded statelessly.
        if (this.#restoreVias(e.response)) this.#stateless.forwardResponse(e.response);
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
