/**
 * The sans-IO stack core: the transaction layer of RFC 3261 §17 (with RFC 6026), the request
 * intake of §8.2 and the transport rules of §18, with no sockets, no timers and no clock.
 * `handleInput(input, now)` feeds it; `pollOutput(now)` drains what it wants done.
 */
import {
  createResponse,
  newBranch,
  parseMessage,
  type SipMessage,
  SipParseError,
  serializeMessage,
} from '@tsvoip/sip';
import type { ClientTransaction } from '../transaction/client-transaction.js';
import { InviteClientTransaction } from '../transaction/invite-client.js';
import { NonInviteClientTransaction } from '../transaction/non-invite-client.js';
import type { ResponseRoute, ServerTransaction } from '../transaction/server-transaction.js';
import type { TransactionHost } from '../transaction/transaction.js';
import { bracketHost, defaultPort, isReliable, type SipAddress, stripBrackets } from './address.js';
import { InvalidCommandError, UnknownTransactionError } from './errors.js';
import type { Rejection } from './intake.js';
import type { ReceiveInput, StackEvent, StackInput, StackOutput } from './io.js';
import type { StackLogger } from './logger.js';
import { clientKey } from './matching.js';
import { type ResolvedStackOptions, resolveStackOptions, type SipStackOptions } from './options.js';
import { responseRoute, routeByVia } from './response-route.js';
import { type Arrival, ServerIntake, safeCallId } from './server-intake.js';
import type { TimerConfig } from './timer-config.js';
import { TransactionTable } from './transaction-table.js';

/** The sans-IO SIP stack core. One per UA or server instance; a driver carries its I/O. */
export class SipStack implements TransactionHost {
  /** Timer values in force. */
  readonly timers: TimerConfig;
  /** The logger. */
  readonly log: StackLogger;
  readonly #o: ResolvedStackOptions;
  readonly #table = new TransactionTable((t) => this.emit({ type: 'terminated', transactionId: t.id }));
  readonly #intake: ServerIntake;
  readonly #out: Array<StackOutput | undefined> = [];
  #outHead = 0;
  #reportedDeadline = Infinity;
  #now = 0;
  #nextId = 0;
  readonly #streamParse;
  readonly #datagramParse;
  readonly #proxy: boolean;

  /** Creates a core; see {@link SipStackOptions}. */
  constructor(options: SipStackOptions) {
    this.#o = resolveStackOptions(options);
    this.timers = this.#o.timers;
    this.log = this.#o.logger;
    this.#streamParse = { ...this.#o.parseOptions, stream: true };
    this.#datagramParse = { ...this.#o.parseOptions, stream: false };
    this.#proxy = this.#o.role === 'proxy';
    this.#intake = new ServerIntake({
      table: this.#table,
      options: this.#o,
      host: this,
      newId: () => this.#newId(),
      respondStateless: (request, rejection, route) => this.#respondStateless(request, rejection, route),
    });
  }

  // ---- getters ------------------------------------------------------------------------------

  /** Live transactions. */
  get transactionCount(): number {
    return this.#table.byId.size;
  }

  /** Entries in the deadline queue (one per transaction with a running timer, plus lazily cancelled ones). */
  get deadlineEntries(): number {
    return this.#table.queue.entries;
  }

  /** The earliest deadline, Infinity when none. */
  nextDeadline(): number {
    return this.#table.queue.peek() ?? Infinity;
  }

  /** The state of a transaction (`calling`, `proceeding`, ...), undefined once it is gone. */
  transactionState(transactionId: string): string | undefined {
    return this.#table.get(transactionId)?.state;
  }

  // ---- handle_* -----------------------------------------------------------------------------

  /**
   * Feeds one input at time `now` (ms, monotonic). Returns the id of the transaction a command
   * created or addressed (`send-request`: the new client transaction; `cancel`: the CANCEL's
   * transaction when sent at once), otherwise undefined. Commands throw {@link InvalidCommandError}
   * or {@link UnknownTransactionError} when they cannot be carried out; network input never throws.
   */
  handleInput(input: StackInput, now: number): string | undefined {
    this.#now = now;
    switch (input.type) {
      case 'datagram':
      case 'stream':
        this.#receiveBytes(input, now);
        return undefined;
      case 'message':
        this.#receive(input.message, input, now);
        return undefined;
      case 'timer':
        this.#table.runTimers(now);
        return undefined;
      case 'send-failed': {
        const t = input.transactionId === undefined ? undefined : this.#table.get(input.transactionId);
        // The transaction may already be gone (over TCP a final response ends it at once): the TU
        // still learns which transaction's message failed.
        if (t === undefined) {
          this.emit({
            type: 'transport-error',
            transactionId: input.transactionId,
            to: input.to,
            error: input.error,
          });
        } else {
          (t as ClientTransaction | ServerTransaction).onTransportError(input.error);
          this.#table.reschedule(t);
        }
        return undefined;
      }
      case 'send-request':
        return this.#sendRequest(input.request, input.destination, input.connectionId, now);
      case 'send-response': {
        const t = this.#table.get(input.transactionId);
        if (t === undefined || !('respond' in t)) throw new UnknownTransactionError(input.transactionId);
        if (input.response.isRequest) throw new InvalidCommandError('send-response needs a response', t.id);
        (t as ServerTransaction).respond(input.response, now);
        this.#table.reschedule(t);
        return t.id;
      }
      case 'send-stateless':
        this.#sendStatelessCommand(input.message, input.destination, input.connectionId);
        return undefined;
      case 'cancel': {
        const t = this.#table.get(input.transactionId);
        if (!(t instanceof InviteClientTransaction)) throw new UnknownTransactionError(input.transactionId);
        let sent: string | undefined;
        const previous = t.onCancelReady;
        t.onCancelReady = (cancel) => {
          sent = this.#startClient(cancel, t.destination, t.connectionId, now, false);
        };
        const ok = t.requestCancel(input.headers);
        t.onCancelReady = previous;
        if (!ok) this.log.debug({ transactionId: t.id }, 'CANCEL not sent: a final response was received');
        return sent;
      }
    }
  }

  /** Sends a request in a new client transaction; see {@link SendRequestCommand}. Returns its id. */
  sendRequest(request: SipMessage, destination: SipAddress, now: number, connectionId?: string): string {
    return this.handleInput({ type: 'send-request', request, destination, connectionId }, now)!;
  }

  /** Sends a response on a server transaction; see {@link SendResponseCommand}. */
  sendResponse(transactionId: string, response: SipMessage, now: number): void {
    this.handleInput({ type: 'send-response', transactionId, response }, now);
  }

  /** Cancels an INVITE client transaction (RFC 3261 §9.1); see {@link CancelCommand}. */
  cancel(
    transactionId: string,
    now: number,
    headers?: ReadonlyArray<readonly [string, string]>,
  ): string | undefined {
    return this.handleInput({ type: 'cancel', transactionId, headers }, now);
  }

  // ---- poll_* -------------------------------------------------------------------------------

  /**
   * The next output: bytes to send and events, in order; then, once per change, the earliest
   * deadline as `timeout` (Infinity when none); then undefined. Drain it after every input.
   */
  pollOutput(_now: number): StackOutput | undefined {
    if (this.#outHead < this.#out.length) {
      const o = this.#out[this.#outHead];
      this.#out[this.#outHead++] = undefined;
      if (this.#outHead === this.#out.length) {
        this.#out.length = 0;
        this.#outHead = 0;
      }
      return o;
    }
    const at = this.#table.queue.peek() ?? Infinity;
    if (at !== this.#reportedDeadline) {
      this.#reportedDeadline = at;
      return { type: 'timeout', at };
    }
    return undefined;
  }

  // ---- TransactionHost ----------------------------------------------------------------------

  /** @internal Queues bytes for the driver. */
  transmit(
    transactionId: string | undefined,
    to: SipAddress,
    bytes: Uint8Array,
    connectionId?: string,
  ): void {
    this.#out.push({ type: 'transmit', to, bytes, connectionId, transactionId });
  }

  /** @internal Queues an event for the TU. */
  emit(event: StackEvent): void {
    this.#out.push({ type: 'event', event });
  }

  #newId(): string {
    return `${this.#o.idPrefix}${++this.#nextId}`;
  }

  // ---- sending ------------------------------------------------------------------------------

  #localFor(transport: string): SipAddress {
    for (const a of this.#o.localAddresses) if (a.transport === transport) return a;
    throw new InvalidCommandError(`no local address for transport ${transport}`);
  }

  /** RFC 3261 §8.1.1.7/§18.1.1: our Via, with a new magic-cookie branch. Returns the branch. */
  #pushVia(request: SipMessage, transport: SipAddress['transport']): string {
    const local = this.#localFor(transport);
    const branch = newBranch(this.#o.random);
    const rport = this.#o.rport ? ';rport' : '';
    request.addHeader(
      'Via',
      `SIP/2.0/${transport} ${bracketHost(local.host)}:${local.port};branch=${branch}${rport}`,
      {
        position: 'first',
      },
    );
    return branch;
  }

  #sendRequest(
    request: SipMessage,
    destination: SipAddress,
    connectionId: string | undefined,
    now: number,
  ): string {
    if (!request.isRequest) throw new InvalidCommandError('send-request needs a request');
    if (request.method === 'ACK')
      throw new InvalidCommandError('an ACK has no transaction: use send-stateless');
    return this.#startClient(request, destination, connectionId, now, true);
  }

  #startClient(
    request: SipMessage,
    destination: SipAddress,
    connectionId: string | undefined,
    now: number,
    pushVia: boolean,
  ) {
    const branch = pushVia ? this.#pushVia(request, destination.transport) : request.via[0]?.branch;
    if (branch === undefined) throw new InvalidCommandError('request without a Via branch');
    const key = clientKey(branch, request.method);
    const id = this.#newId();
    const reliable = isReliable(destination.transport);
    const t =
      request.method === 'INVITE'
        ? new InviteClientTransaction(this, id, key, request, destination, connectionId, reliable)
        : new NonInviteClientTransaction(this, id, key, request, destination, connectionId, reliable);
    if (t instanceof InviteClientTransaction) {
      // RFC 3261 §9.1: a CANCEL held until the first provisional response goes out then.
      t.onCancelReady = (cancel) => {
        this.#startClient(cancel, t.destination, t.connectionId, this.#now, false);
      };
    }
    this.#table.addClient(t);
    t.start(now);
    this.#table.reschedule(t);
    return id;
  }

  #sendStatelessCommand(
    message: SipMessage,
    destination: SipAddress | undefined,
    connectionId: string | undefined,
  ): void {
    if (message.isRequest) {
      if (destination === undefined) throw new InvalidCommandError('a stateless request needs a destination');
      if (message.via.length === 0) this.#pushVia(message, destination.transport);
      this.transmit(undefined, destination, serializeMessage(message), connectionId);
      return;
    }
    let to = destination;
    if (to === undefined) {
      const via = message.via[0];
      if (via === undefined) throw new InvalidCommandError('a response without Via cannot be routed');
      to = routeByVia(via);
    }
    this.transmit(undefined, to, serializeMessage(message), connectionId);
  }

  #respondStateless(request: SipMessage, rejection: Rejection, route: ResponseRoute): void {
    const response = createResponse(request, rejection.status, rejection.reason, {
      toTag: this.#o.random(),
      headers: rejection.headers,
    });
    this.transmit(undefined, route.to, serializeMessage(response), route.connectionId);
  }

  // ---- receiving ----------------------------------------------------------------------------

  #receiveBytes(input: ReceiveInput, now: number): void {
    let msg: SipMessage;
    try {
      msg = parseMessage(input.bytes, input.type === 'stream' ? this.#streamParse : this.#datagramParse);
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      this.#intake.onUnparsable(input, e);
      return;
    }
    this.#receive(msg, input, now);
  }

  #receive(msg: SipMessage, input: Arrival, now: number): void {
    try {
      if (msg.isRequest) this.#intake.receiveRequest(msg, input, now);
      else this.#receiveResponse(msg, input, now);
    } catch (e) {
      // A header parsed lazily (Require, Contact...) can still be malformed: answer 400 or drop.
      if (!(e instanceof SipParseError)) throw e;
      this.log.warn({ callId: safeCallId(msg), reason: e.message }, 'malformed header in received message');
      const via = safeTopVia(msg);
      if (msg.isRequest && msg.method !== 'ACK' && via !== undefined) {
        this.#respondStateless(
          msg,
          { status: e.status },
          responseRoute(via, input.source, input.connectionId),
        );
      }
    }
  }

  #receiveResponse(msg: SipMessage, input: Arrival, now: number): void {
    const vias = msg.via;
    const top = vias[0];
    const cseq = msg.cseq;
    if (top === undefined || cseq === undefined || top.branch === undefined) {
      this.log.warn({ callId: safeCallId(msg) }, 'dropped response without Via branch or CSeq');
      return;
    }
    // RFC 3261 §8.1.3.3: a UAC discards a response with more than one Via (a proxy matches it by
    // its top Via, §17.1.3, and removes that one, §16.7 item 3); §18.1.2: and one whose sent-by is
    // not ours.
    if ((vias.length > 1 && !this.#proxy) || !this.#isOurSentBy(top.host, top.port, top.transport)) {
      this.log.warn(
        { callId: safeCallId(msg), source: input.source.host },
        'dropped response not sent-by us',
      );
      return;
    }
    const t = this.#table.clients.get(clientKey(top.branch, cseq.method));
    if (t !== undefined) {
      t.onResponse(msg, now);
      this.#table.reschedule(t);
      return;
    }
    if (cseq.method === 'INVITE' && msg.status >= 200 && msg.status < 300) {
      // RFC 6026 §7.2 / RFC 3261 §13.2.2.4: a 2xx with no transaction is the TU's (fork, or after M).
      this.emit({ type: 'stray-response', response: msg, source: input.source });
      return;
    }
    this.log.debug({ callId: safeCallId(msg), status: msg.status }, 'dropped stray response');
  }

  #isOurSentBy(host: string, port: number | undefined, transport: string): boolean {
    const h = stripBrackets(host).toLowerCase();
    for (const a of this.#o.localAddresses) {
      if (
        a.host.toLowerCase() === h &&
        a.port === (port ?? defaultPort(a.transport)) &&
        a.transport === transport
      )
        return true;
    }
    return false;
  }
}

function safeTopVia(msg: SipMessage) {
  try {
    return msg.via[0];
  } catch {
    return undefined; // the Via itself is malformed: nothing to answer
  }
}
