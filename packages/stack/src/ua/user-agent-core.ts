/**
 * The user agent core (RFC 3261 §8, §12-§15 and the extensions): the transaction user of a
 * {@link SipStack}. Still sans-IO: `handleInput(input, now)` feeds the stack and runs the UA's
 * own deadlines; `pollOutput(now)` yields the stack's transmits and one combined timeout.
 * Usages report through Node-style events emitted synchronously while an input is handled.
 */
import { createRequest, createResponse, type RandomToken, type SipMessage } from '@tsvoip/sip';
import type { SipAddress } from '../core/address.js';
import { type Deadline, DeadlineQueue } from '../core/deadline-queue.js';
import type {
  AckEvent,
  RequestEvent,
  StackEvent,
  StackInput,
  StackOutput,
  StrayResponseEvent,
} from '../core/io.js';
import type { StackLogger } from '../core/logger.js';
import type { SipStack } from '../core/stack.js';
import type { TimerConfig } from '../core/timer-config.js';
import type { Dialog } from '../dialog/dialog.js';
import { dialogKey, dialogKeyOfRequest, dialogKeyOfResponse, dialogSetKey } from '../dialog/dialog-id.js';
import { type TargetResolver, uriOfRoute } from '../dialog/resolve.js';
import { ClientRequest } from '../usage/client-request.js';
import type { IncomingInvite } from '../usage/incoming-invite.js';
import { InviteSession } from '../usage/invite-session.js';
import { type InviteOptions, OutgoingInvite } from '../usage/outgoing-invite.js';
import { PublishClient, type PublishOptions } from '../usage/publish.js';
import { formatReferTo, OutgoingRefer, type ReferOptions } from '../usage/refer.js';
import { ClientSubscription } from '../usage/subscription.js';
import { formatEvent, parseEvent } from '../usage/subscription-state.js';
import { type AuthenticateHook, AuthRetry } from './auth-retry.js';
import { TypedEmitter } from './emitter.js';
import type { UserAgentEvents } from './events.js';
import type {
  ClientHandlers,
  DialogUsages,
  NotifyCatcher,
  TimerHandle,
  UsageConfig,
  UsageHost,
} from './host.js';
import { resolveUserAgentOptions, type UserAgentOptions } from './options.js';
import { type RouterTables, routeRequest } from './request-router.js';

export type { UserAgentEvents } from './events.js';

/** Options of an out-of-dialog MESSAGE / OPTIONS. */
export interface OutOfDialogOptions {
  /** To header value. */
  readonly to: string;
  /** Body. */
  readonly body?: string;
  /** Content-Type. */
  readonly contentType?: string;
  /** Extra headers. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** Options of {@link UserAgentCore.subscribe}. */
export interface SubscribeOptions {
  /** The resource (To and Request-URI). */
  readonly to: string;
  /** Event package, optionally with `;id=`. */
  readonly event: string;
  /** Requested duration, seconds (default 3600). */
  readonly expires?: number;
  /** Accept header (the body types we take in NOTIFY). */
  readonly accept?: string;
}

interface ClientEntry {
  readonly request: SipMessage;
  readonly handlers: ClientHandlers;
}

/** The user agent core: dialogs and usages on top of a sans-IO stack core. */
export class UserAgentCore extends TypedEmitter<UserAgentEvents> implements UsageHost {
  /** The stack core underneath. */
  readonly stack: SipStack;
  /** @internal */
  readonly config: UsageConfig;
  readonly #resolve: TargetResolver;
  readonly #random: () => number;
  readonly #token: RandomToken;
  readonly #authenticate: AuthenticateHook | undefined;
  readonly #queue = new DeadlineQueue<(now: number) => void>();
  readonly #out: StackOutput[] = [];
  readonly #clients = new Map<string, ClientEntry>();
  readonly #dialogs = new Map<string, DialogUsages>();
  readonly #incoming = new Map<string, IncomingInvite>();
  readonly #tables: RouterTables;
  readonly #outgoing = new Map<string, OutgoingInvite>();
  readonly #notifyCatchers = new Map<string, NotifyCatcher>();
  #now = 0;
  #pumping = false;
  #reported = Number.NaN;

  /** Creates a UA core on `stack` (see {@link createUserAgentCore}). */
  constructor(stack: SipStack, options: UserAgentOptions) {
    super();
    this.stack = stack;
    const r = resolveUserAgentOptions(options);
    this.config = r.config;
    this.#resolve = r.resolve;
    this.#random = r.random;
    this.#token = r.token;
    this.#authenticate = r.authenticate;
    this.#tables = { dialogs: this.#dialogs, notifyCatchers: this.#notifyCatchers, incoming: this.#incoming };
  }

  // ---- getters ------------------------------------------------------------------------------

  /** The time of the last input (ms). Commands called between inputs act at this time. */
  get now(): number {
    return this.#now;
  }

  /** @internal */
  get timers(): TimerConfig {
    return this.stack.timers;
  }

  /** @internal */
  get log(): StackLogger {
    return this.stack.log;
  }

  /** The earliest deadline of the stack and the UA, Infinity when none. */
  nextDeadline(): number {
    return Math.min(this.stack.nextDeadline(), this.#queue.peek() ?? Infinity);
  }

  /** Live dialogs. */
  get dialogCount(): number {
    return this.#dialogs.size;
  }

  /** The usages of the dialog `callId` / local tag / remote tag (RFC 3261 §12). */
  findDialog(callId: string, localTag: string, remoteTag: string): DialogUsages | undefined {
    return this.#dialogs.get(dialogKey(callId, localTag, remoteTag));
  }

  // ---- handle_* / poll_* --------------------------------------------------------------------

  /** Feeds an input to the stack (bytes, timer, send failure, raw command) and runs due UA timers. */
  handleInput(input: StackInput, now: number): void {
    this.#now = now;
    this.stack.handleInput(input, now);
    this.#pump();
    if (input.type === 'timer') {
      for (let fire = this.#queue.popDue(now); fire !== undefined; fire = this.#queue.popDue(now)) {
        fire(now);
        this.#pump();
      }
    }
  }

  /** Advances the clock to `now` and runs what is due (same as a `timer` input). */
  tick(now: number): void {
    this.handleInput({ type: 'timer' }, now);
  }

  /** Transmits, then (once per change) the earliest deadline of the stack and the UA, then undefined. */
  pollOutput(_now: number): StackOutput | undefined {
    this.#pump();
    const o = this.#out.shift();
    if (o !== undefined) return o;
    const at = this.nextDeadline();
    if (at !== this.#reported) {
      this.#reported = at;
      return { type: 'timeout', at };
    }
    return undefined;
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (let o = this.stack.pollOutput(this.#now); o !== undefined; o = this.stack.pollOutput(this.#now)) {
        if (o.type === 'transmit') this.#out.push(o);
        else if (o.type === 'event') this.#onEvent(o.event);
      }
    } finally {
      this.#pumping = false;
    }
  }

  // ---- commands (Node idiom) ----------------------------------------------------------------

  /** Starts a call (RFC 3261 §13.2.1). */
  invite(options: InviteOptions): OutgoingInvite {
    let key = '';
    const inv = new OutgoingInvite(this, options, () => {
      if (this.#outgoing.get(key) === inv) this.#outgoing.delete(key);
    });
    key = dialogSetKey(inv.request.callId ?? '', inv.request.from?.tag ?? '');
    this.#outgoing.set(key, inv);
    inv.start();
    this.#pump();
    return inv;
  }

  /** Sends a MESSAGE out of any dialog (RFC 3428 §4). */
  message(options: OutOfDialogOptions): ClientRequest {
    return this.#outOfDialog('MESSAGE', options);
  }

  /** Sends an OPTIONS (RFC 3261 §11.1). */
  options(options: OutOfDialogOptions): ClientRequest {
    return this.#outOfDialog('OPTIONS', options);
  }

  #outOfDialog(method: string, o: OutOfDialogOptions): ClientRequest {
    const request = this.#newRequest(method, o.to, o.headers ?? [], o.body, o.contentType ?? 'text/plain');
    const cr = new ClientRequest(request);
    this.sendRequest(request, cr);
    return cr;
  }

  #newRequest(
    method: string,
    to: string,
    headers: ReadonlyArray<readonly [string, string]>,
    body?: string,
    contentType?: string,
  ): SipMessage {
    return createRequest({
      method,
      requestUri: uriOfRoute(to).kind === 'sip' ? to.replace(/^.*<|>.*$/g, '').trim() : to,
      from: this.config.from,
      to,
      callId: this.#token(),
      contact: method === 'MESSAGE' ? undefined : this.config.contact,
      headers,
      body,
      contentType: body !== undefined ? contentType : undefined,
      random: this.#token,
    });
  }

  /** Subscribes to an event package (RFC 6665 §4.1.2.1). */
  subscribe(options: SubscribeOptions): ClientSubscription {
    const event = parseEvent(options.event) ?? { type: options.event };
    const expires = options.expires ?? 3600;
    const headers: Array<readonly [string, string]> = [
      ['Event', formatEvent(event)],
      ['Expires', String(expires)],
    ];
    if (options.accept !== undefined) headers.push(['Accept', options.accept]);
    const sub = new ClientSubscription(
      this,
      this.#newRequest('SUBSCRIBE', options.to, headers),
      event,
      expires,
      undefined,
    );
    this.#pump();
    return sub;
  }

  /** Sends a REFER out of any dialog (RFC 3515 §2.4): asks `to` to contact `referTo`. */
  refer(to: string, referTo: string, options?: ReferOptions): OutgoingRefer {
    const headers: Array<readonly [string, string]> = [
      ['Refer-To', formatReferTo(referTo, options?.replaces)],
    ];
    if (options?.referredBy !== undefined) headers.push(['Referred-By', options.referredBy]);
    headers.push(...(options?.headers ?? []));
    const request = this.#newRequest('REFER', to, headers);
    const event = { type: 'refer', id: String(request.cseq?.seq ?? 1) };
    const r = new OutgoingRefer(new ClientSubscription(this, request, event, 0, undefined));
    this.#pump();
    return r;
  }

  /** Publishes event state (RFC 3903). */
  publish(options: PublishOptions): PublishClient {
    const p = new PublishClient(this, options);
    this.#pump();
    return p;
  }

  // ---- UsageHost ----------------------------------------------------------------------------

  /** @internal */
  random(): number {
    return this.#random();
  }

  /** @internal */
  token(): string {
    return this.#token();
  }

  /** @internal */
  destinationOf(request: SipMessage): SipAddress {
    const route = request.getHeader('Route');
    const uri = route !== undefined ? uriOfRoute(route) : request.parsedRequestUri;
    if (uri === undefined) throw new TypeError('destinationOf needs a request');
    return this.#resolve(uri);
  }

  /** @internal */
  authenticate(
    response: SipMessage,
    request: SipMessage,
  ): ReadonlyArray<readonly [string, string]> | undefined {
    return this.#authenticate?.(response, request);
  }

  /** @internal */
  sendRequest(request: SipMessage, handlers: ClientHandlers): string {
    const hook = handlers.authenticate === false ? undefined : (handlers.authenticate ?? this.#authenticate);
    const id =
      hook === undefined
        ? this.#startClient(request, handlers)
        : new AuthRetry(
            { start: (r, h) => this.#startClient(r, h), nextCSeq: (r) => this.#nextCSeq(r) },
            request,
            handlers,
            hook,
          ).start();
    this.#pump();
    return id;
  }

  #startClient(request: SipMessage, handlers: ClientHandlers): string {
    const id =
      this.stack.handleInput(
        { type: 'send-request', request, destination: this.destinationOf(request) },
        this.#now,
      ) ?? '';
    this.#clients.set(id, { request, handlers });
    return id;
  }

  /** RFC 3261 §8.1.3.5 / §12.2.1.1: the CSeq of a request sent again: the dialog's next local CSeq, or one more. */
  #nextCSeq(request: SipMessage): number {
    const seq = (request.cseq?.seq ?? 0) + 1;
    const toTag = request.to?.tag;
    if (toTag === undefined) return seq;
    const dialog = this.#dialogs.get(dialogKey(request.callId ?? '', request.from?.tag ?? '', toTag))?.dialog;
    if (dialog === undefined) return seq;
    dialog.localSeq = Math.max(dialog.localSeq + 1, seq);
    return dialog.localSeq;
  }

  /** @internal */
  sendResponse(transactionId: string, response: SipMessage): void {
    this.stack.handleInput({ type: 'send-response', transactionId, response }, this.#now);
    this.#pump();
  }

  /** @internal */
  hasTransaction(transactionId: string): boolean {
    return this.stack.transactionState(transactionId) !== undefined;
  }

  /** @internal */
  sendStateless(message: SipMessage, destination?: SipAddress): void {
    this.stack.handleInput({ type: 'send-stateless', message, destination }, this.#now);
    this.#pump();
  }

  /** @internal */
  cancel(transactionId: string): void {
    this.stack.handleInput({ type: 'cancel', transactionId }, this.#now);
    this.#pump();
  }

  /** @internal */
  schedule(at: number, fire: (now: number) => void): TimerHandle {
    return this.#queue.schedule(at, fire);
  }

  /** @internal */
  cancelTimer(handle: TimerHandle | undefined): void {
    if (handle !== undefined) this.#queue.cancel(handle as Deadline<(now: number) => void>);
  }

  /** @internal */
  addDialog(dialog: Dialog, usages: DialogUsages): void {
    this.#dialogs.set(dialog.id, usages);
    this.log.debug(
      { callId: dialog.callId, localTag: dialog.localTag, remoteTag: dialog.remoteTag, state: dialog.state },
      'dialog created',
    );
  }

  /** @internal */
  removeDialog(dialog: Dialog): void {
    if (this.#dialogs.get(dialog.id)?.dialog !== dialog) return;
    this.#dialogs.delete(dialog.id);
    this.log.debug(
      { callId: dialog.callId, localTag: dialog.localTag, remoteTag: dialog.remoteTag },
      'dialog removed',
    );
  }

  /** @internal */
  dialogUsages(dialogId: string): DialogUsages | undefined {
    return this.#dialogs.get(dialogId);
  }

  /** @internal */
  awaitNotify(callId: string, localTag: string, catcher: NotifyCatcher): void {
    this.#notifyCatchers.set(dialogSetKey(callId, localTag), catcher);
  }

  /** @internal */
  stopAwaitingNotify(callId: string, localTag: string): void {
    this.#notifyCatchers.delete(dialogSetKey(callId, localTag));
  }

  // ---- stack events -------------------------------------------------------------------------

  #onEvent(e: StackEvent): void {
    switch (e.type) {
      case 'request':
        this.#onRequest(e);
        return;
      case 'response':
        this.#clients.get(e.transactionId)?.handlers.onResponse(e.response, false);
        return;
      case 'timeout':
      case 'transport-error': {
        // RFC 3261 §8.1.3.1: a timeout is a 408, a transport failure a 503, to the TU.
        const c = e.transactionId === undefined ? undefined : this.#clients.get(e.transactionId);
        if (c !== undefined)
          c.handlers.onResponse(createResponse(c.request, e.type === 'timeout' ? 408 : 503), true);
        return;
      }
      case 'terminated': {
        const c = this.#clients.get(e.transactionId);
        if (c !== undefined) {
          this.#clients.delete(e.transactionId);
          c.handlers.onTerminated?.();
        }
        this.#incoming.delete(e.transactionId);
        return;
      }
      case 'ack':
        this.#onAck(e);
        return;
      case 'stray-response':
        this.#onStray(e);
        return;
      case 'cancel':
        this.#incoming.get(e.transactionId)?.onCancel(e.request);
        return;
    }
  }

  #onAck(e: AckEvent): void {
    const key = dialogKeyOfRequest(e.request);
    const invite = key === undefined ? undefined : this.#dialogs.get(key)?.invite;
    if (invite instanceof InviteSession) invite.onAck(e.request);
    else this.log.debug({ callId: e.request.callId }, 'ACK for no dialog dropped');
  }

  /** RFC 3261 §13.2.2.4 / RFC 6026 §7.2: a 2xx after the INVITE transaction ended, or from another fork. */
  #onStray(e: StrayResponseEvent): void {
    const r = e.response;
    const key = dialogKeyOfResponse(r);
    const invite = key === undefined ? undefined : this.#dialogs.get(key)?.invite;
    if (invite instanceof InviteSession && invite.hasAck(r.cseq?.seq ?? 0)) {
      invite.on2xx(r);
      return;
    }
    const set = this.#outgoing.get(dialogSetKey(r.callId ?? '', r.from?.tag ?? ''));
    if (set !== undefined) set.on2xx(r);
    else this.log.info({ callId: r.callId, status: r.status }, 'stray 2xx for no INVITE dropped');
  }

  #onRequest(e: RequestEvent): void {
    routeRequest(
      this,
      this.#tables,
      (event, ...args) => this.emit(event, ...args),
      e.request,
      e.transactionId,
    );
  }
}

/** Creates the user agent core on a stack core (create the stack with `allowedMethods: UA_METHODS, supportedOptionTags: UA_OPTION_TAGS`). */
export function createUserAgentCore(stack: SipStack, options: UserAgentOptions): UserAgentCore {
  return new UserAgentCore(stack, options);
}
