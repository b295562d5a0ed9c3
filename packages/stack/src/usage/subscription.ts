/**
 * The SUBSCRIBE/NOTIFY framework (RFC 6665): the subscriber's usage ({@link ClientSubscription},
 * also used for REFER's implicit subscription, RFC 3515) and the notifier's
 * ({@link NotifierSubscription}). Each is a usage of a dialog, keyed by its Event type and id.
 */
import type { SipMessage } from '@tsvoip/sip';
import { Dialog } from '../dialog/dialog.js';
import { dialogKey } from '../dialog/dialog-id.js';
import { UsageStateError } from '../dialog/errors.js';
import { TypedEmitter } from '../ua/emitter.js';
import type { DialogUsage, DialogUsages, NotifyCatcher, TimerHandle, UsageHost } from '../ua/host.js';
import { finishDialogUsage } from './dialog-requests.js';
import { bodyText, ServerRequest } from './server-request.js';
import {
  type EventHeader,
  formatEvent,
  formatSubscriptionState,
  parseEvent,
  parseSubscriptionState,
  type SubscriptionState,
  type SubscriptionStateName,
  subscriptionKey,
} from './subscription-state.js';

/** Events of a {@link ClientSubscription}. */
export type ClientSubscriptionEvents = {
  /** A NOTIFY arrived (already answered 200). */
  notify: [request: SipMessage, state: SubscriptionState, body: string];
  /** The SUBSCRIBE (or REFER) was accepted with this response. */
  accepted: [response: SipMessage];
  /** The subscription ended: `reason` from Subscription-State, or `rejected:<status>` / `refresh-failed:<status>` / `timeout`. */
  terminated: [reason: string];
};

/** When to refresh a subscription of `expires` seconds: 32 s (or half) before it ends (ms). */
function refreshDelay(expires: number): number {
  const s = expires * 1000;
  return s - Math.min(32_000, s / 2);
}

/** The subscriber's side of a subscription (RFC 6665 §4.1). */
export class ClientSubscription
  extends TypedEmitter<ClientSubscriptionEvents>
  implements DialogUsage, NotifyCatcher
{
  /** The Event of the subscription (REFER's `id` follows the CSeq of a REFER sent again with credentials). */
  event: EventHeader;
  /** `init` until the first 2xx or NOTIFY, then the last Subscription-State. */
  state: 'init' | SubscriptionStateName = 'init';
  /** The dialog, once created by the 2xx or the first NOTIFY (RFC 6665 §4.1.2.4). */
  usages: DialogUsages | undefined;
  /** Requested duration, seconds (0 for REFER's implicit subscription: no refresh). */
  expires: number;
  readonly #host: UsageHost;
  #request: SipMessage;
  #refreshTimer: TimerHandle | undefined = undefined;
  #guardTimer: TimerHandle | undefined = undefined;
  #refreshing = false;
  #ended = false;

  /**
   * @internal Sends `request` (an out-of-dialog SUBSCRIBE or REFER, or one built in `usages`'s
   * dialog) and follows the subscription it creates.
   */
  constructor(
    host: UsageHost,
    request: SipMessage,
    event: EventHeader,
    expires: number,
    usages: DialogUsages | undefined,
  ) {
    super();
    this.#host = host;
    this.#request = request;
    this.event = event;
    this.expires = expires;
    this.usages = usages;
    if (usages !== undefined) usages.subscriptions.set(subscriptionKey(event), this);
    else {
      const callId = request.callId ?? '';
      host.awaitNotify(callId, request.from?.tag ?? '', this);
    }
    host.sendRequest(request, {
      onResponse: (r) => this.#onInitialResponse(r),
      onResend: (retry) => this.#onResend(retry),
    });
  }

  /** The initial SUBSCRIBE/REFER went again with credentials (RFC 3261 §22.2): the dialog starts from it. */
  #onResend(retry: SipMessage): void {
    const before = this.#request.cseq?.seq;
    this.#request = retry;
    // RFC 3515 §2.4.6: the implicit subscription's id is the CSeq of the REFER.
    if (this.event.type === 'refer' && this.event.id === String(before)) {
      const old = subscriptionKey(this.event);
      this.event = { ...this.event, id: String(retry.cseq?.seq ?? 0) };
      const u = this.usages;
      if (u !== undefined && u.subscriptions.get(old) === this) {
        u.subscriptions.delete(old);
        u.subscriptions.set(subscriptionKey(this.event), this);
      }
    }
  }

  /** The dialog (once it exists). */
  get dialog(): Dialog | undefined {
    return this.usages?.dialog;
  }

  /** Refreshes with a new SUBSCRIBE in the dialog (RFC 6665 §4.1.2.2). */
  refresh(expires = this.expires): void {
    const usages = this.#requireDialog('refresh');
    this.expires = expires;
    this.#sendSubscribe(usages, expires);
  }

  /** Unsubscribes: SUBSCRIBE with Expires: 0 (RFC 6665 §4.1.2.3); ends with the notifier's final NOTIFY. */
  unsubscribe(): void {
    const usages = this.#requireDialog('unsubscribe');
    this.#host.cancelTimer(this.#refreshTimer);
    this.#sendSubscribe(usages, 0);
    // Do not wait forever for the final NOTIFY.
    this.#host.cancelTimer(this.#guardTimer);
    this.#guardTimer = this.#host.schedule(this.#host.now + 64 * this.#host.timers.t1, () =>
      this.terminate('timeout'),
    );
  }

  #requireDialog(op: string): DialogUsages {
    if (this.usages === undefined || this.state === 'terminated') throw new UsageStateError(op, this.state);
    return this.usages;
  }

  #sendSubscribe(usages: DialogUsages, expires: number): void {
    const request = usages.dialog.createRequest('SUBSCRIBE', {
      headers: [
        ['Event', formatEvent(this.event)],
        ['Expires', String(expires)],
      ],
    });
    this.#refreshing = true;
    this.#host.sendRequest(request, {
      onResponse: (r) => {
        this.#refreshing = false;
        if (r.status >= 300 && this.state !== 'terminated') {
          // RFC 6665 §4.1.2.2: a failed refresh ends the subscription (481/408 also end the dialog usage).
          this.terminate(`refresh-failed:${r.status}`);
        } else if (r.status >= 200 && expires > 0) {
          this.#scheduleRefresh(r.expires ?? expires);
          this.#armGuard(r.expires ?? expires);
        }
      },
    });
  }

  /** RFC 6665 §4.1.2.2: without refresh or NOTIFY the subscription ends at expiry (plus 64*T1 of grace). */
  #armGuard(expires: number): void {
    this.#host.cancelTimer(this.#guardTimer);
    const guard = expires * 1000 + 64 * this.#host.timers.t1;
    this.#guardTimer = this.#host.schedule(this.#host.now + guard, () => this.terminate('timeout'));
  }

  #scheduleRefresh(expires: number): void {
    this.#host.cancelTimer(this.#refreshTimer);
    this.#refreshTimer = undefined;
    if (expires <= 0 || this.expires === 0) return;
    this.#refreshTimer = this.#host.schedule(this.#host.now + refreshDelay(expires), () => {
      this.#refreshTimer = undefined;
      if (this.state !== 'terminated' && !this.#refreshing) this.refresh();
    });
  }

  #onInitialResponse(response: SipMessage): void {
    if (response.status < 200) return;
    this.#host.stopAwaitingNotify(this.#request.callId ?? '', this.#request.from?.tag ?? '');
    if (response.status >= 300) {
      if (this.state === 'init' || this.usages === undefined) this.terminate(`rejected:${response.status}`);
      return;
    }
    if (this.usages === undefined) {
      // RFC 6665 §4.1.2.1: the 2xx creates the dialog (unless a NOTIFY did, §4.1.2.4).
      const dialog = Dialog.fromResponse(this.#request, response);
      dialog.state = 'confirmed';
      this.#attach(dialog);
    } else this.usages.dialog.refreshTarget(response);
    if (this.state === 'init') this.state = 'pending';
    if (this.expires > 0) this.#scheduleRefresh(response.expires ?? this.expires);
    this.emit('accepted', response);
  }

  #attach(dialog: Dialog): void {
    const existing = this.#host.dialogUsages(dialog.id);
    this.usages = existing ?? { dialog, invite: undefined, subscriptions: new Map() };
    this.usages.subscriptions.set(subscriptionKey(this.event), this);
    if (existing === undefined) this.#host.addDialog(dialog, this.usages);
  }

  /** @internal RFC 6665 §4.1.2.4: a NOTIFY before the 2xx creates the dialog. */
  onEarlyNotify(request: SipMessage, transactionId: string): boolean {
    const ev = parseEvent(request.getHeader('Event'));
    if (ev === undefined || subscriptionKey(ev) !== subscriptionKey(this.event)) return false;
    const localTag = request.to?.tag ?? '';
    const dialog = Dialog.fromRequest(
      request,
      localTag,
      this.#request.getHeader('Contact') ?? '',
      'confirmed',
    );
    dialog.localSeq = this.#request.cseq?.seq ?? 1;
    if (this.#host.dialogUsages(dialogKey(dialog.callId, localTag, dialog.remoteTag)) === undefined)
      this.#attach(dialog);
    return this.onRequest(request, transactionId);
  }

  /** @internal A NOTIFY in the dialog (RFC 6665 §4.1.3): answered 200, state followed. */
  onRequest(request: SipMessage, transactionId: string): boolean {
    if (request.method !== 'NOTIFY') return false;
    const sr = new ServerRequest(this.#host, request, transactionId, { toTag: this.usages?.dialog.localTag });
    const state = parseSubscriptionState(request.getHeader('Subscription-State'));
    // RFC 6665 §8.2.3: Subscription-State is mandatory in NOTIFY.
    if (state === undefined) {
      sr.reject(400, { reason: 'Missing Subscription-State' });
      return true;
    }
    sr.accept();
    this.usages?.dialog.refreshTarget(request);
    this.state = state.state;
    this.emit('notify', request, state, bodyText(request));
    if (state.state === 'terminated') {
      this.terminate(state.reason ?? 'terminated');
      return true;
    }
    if (state.expires !== undefined) {
      if (this.expires > 0 && !this.#refreshing) this.#scheduleRefresh(state.expires);
      // RFC 6665 §4.1.2.2 / RFC 3515 §2.4.4: the subscription ends at expiry even if the final NOTIFY is lost.
      this.#armGuard(state.expires);
    }
    return true;
  }

  /** @internal Ends the usage (no signaling). */
  terminate(reason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.state = 'terminated';
    this.#host.cancelTimer(this.#refreshTimer);
    this.#host.cancelTimer(this.#guardTimer);
    this.#host.stopAwaitingNotify(this.#request.callId ?? '', this.#request.from?.tag ?? '');
    const u = this.usages;
    if (u !== undefined && u.subscriptions.get(subscriptionKey(this.event)) === this) {
      u.subscriptions.delete(subscriptionKey(this.event));
      finishDialogUsage(this.#host, u);
    }
    this.emit('terminated', reason);
  }
}

/** Events of a {@link NotifierSubscription}. */
export type NotifierSubscriptionEvents = {
  /** The subscriber refreshed (RFC 6665 §4.2.1.2); a NOTIFY with the current state was sent. */
  refreshed: [expires: number];
  /** The subscription ended (`timeout`, `unsubscribed`, `noresource`...). */
  terminated: [reason: string];
};

/** Options of the notifier's NOTIFYs. */
export interface NotifyOptions {
  /** Content-Type of the body. */
  readonly contentType?: string;
  /** State to announce (default the current one). */
  readonly state?: 'active' | 'pending';
}

/** The notifier's side of a subscription (RFC 6665 §4.2), created by SUBSCRIBE or REFER. */
export class NotifierSubscription extends TypedEmitter<NotifierSubscriptionEvents> implements DialogUsage {
  /** The Event of the subscription. */
  readonly event: EventHeader;
  /** The request that created it. */
  readonly request: SipMessage;
  /** The state. */
  state: 'init' | SubscriptionStateName = 'init';
  /** The dialog, once accepted. */
  usages: DialogUsages | undefined;
  readonly #host: UsageHost;
  readonly #transactionId: string;
  #expiresAt = 0;
  #timer: TimerHandle | undefined = undefined;
  #lastBody: { body: string; contentType: string } | undefined = undefined;

  /** @internal */
  constructor(
    host: UsageHost,
    request: SipMessage,
    transactionId: string,
    event: EventHeader,
    usages: DialogUsages | undefined,
  ) {
    super();
    this.#host = host;
    this.request = request;
    this.#transactionId = transactionId;
    this.event = event;
    this.usages = usages;
  }

  /** Seconds left, rounded up. */
  get remaining(): number {
    return Math.max(0, Math.ceil((this.#expiresAt - this.#host.now) / 1000));
  }

  /**
   * Accepts (RFC 6665 §4.2.1.1: 200, or 202 for REFER) with `expires` seconds, creating the
   * dialog when the request was out of one, then sends the first NOTIFY at once (§4.2.1.2).
   */
  accept(
    expires: number,
    firstNotify: { body?: string; contentType?: string; state?: 'active' | 'pending' } = {},
    status = 200,
  ): void {
    if (this.state !== 'init') throw new UsageStateError('accept', this.state);
    const localTag = this.usages?.dialog.localTag ?? this.request.to?.tag ?? this.#host.token();
    if (this.usages === undefined) {
      const dialog = Dialog.fromRequest(this.request, localTag, this.#host.config.contact, 'confirmed');
      const existing = this.#host.dialogUsages(dialog.id);
      this.usages = existing ?? { dialog, invite: undefined, subscriptions: new Map() };
      if (existing === undefined) this.#host.addDialog(dialog, this.usages);
    }
    this.usages.subscriptions.set(subscriptionKey(this.event), this);
    const sr = new ServerRequest(this.#host, this.request, this.#transactionId, { toTag: localTag });
    sr.respond(status, {
      headers: [
        ['Expires', String(expires)],
        ['Contact', this.usages.dialog.localContact],
      ],
    });
    this.state = firstNotify.state ?? 'active';
    this.#setExpiry(expires);
    this.notify(firstNotify.body, { contentType: firstNotify.contentType, state: this.state });
  }

  /** Rejects the SUBSCRIBE/REFER (RFC 6665 §4.2.1.1). */
  reject(status: number): void {
    if (this.state !== 'init') throw new UsageStateError('reject', this.state);
    this.state = 'terminated';
    new ServerRequest(this.#host, this.request, this.#transactionId).reject(status);
    this.emit('terminated', `rejected:${status}`);
  }

  /** Sends a NOTIFY with the current state (RFC 6665 §4.2.2). */
  notify(body?: string, options?: NotifyOptions): void {
    if (this.state === 'terminated' || this.state === 'init') throw new UsageStateError('notify', this.state);
    if (options?.state !== undefined) this.state = options.state;
    if (body !== undefined)
      this.#lastBody = {
        body,
        contentType: options?.contentType ?? this.#lastBody?.contentType ?? 'text/plain',
      };
    this.#sendNotify({ state: this.state, expires: this.remaining });
  }

  /** Ends the subscription with a final NOTIFY (RFC 6665 §4.2.2: Subscription-State: terminated). */
  terminate(reason = 'noresource', body?: string, contentType?: string): void {
    if (this.state === 'terminated') return;
    if (body !== undefined)
      this.#lastBody = { body, contentType: contentType ?? this.#lastBody?.contentType ?? 'text/plain' };
    if (this.state !== 'init') this.#sendNotify({ state: 'terminated', reason });
    this.#end(reason);
  }

  #sendNotify(state: SubscriptionState): void {
    const u = this.usages;
    if (u === undefined || u.dialog.state === 'terminated') return;
    const b = this.#lastBody;
    const notify = u.dialog.createRequest('NOTIFY', {
      headers: [
        ['Event', formatEvent(this.event)],
        ['Subscription-State', formatSubscriptionState(state)],
      ],
      body: b?.body,
      contentType: b?.contentType,
    });
    this.#host.sendRequest(notify, {
      onResponse: (r) => {
        // RFC 6665 §4.2.2: 481 (or a timeout) to NOTIFY ends the subscription.
        if (r.status === 481 || r.status === 408) this.#end('giveup');
      },
    });
  }

  #setExpiry(expires: number): void {
    this.#host.cancelTimer(this.#timer);
    this.#expiresAt = this.#host.now + expires * 1000;
    // RFC 6665 §4.2.2: at expiry the notifier sends a final NOTIFY with reason=timeout.
    this.#timer = this.#host.schedule(this.#expiresAt, () => {
      this.#timer = undefined;
      this.terminate('timeout');
    });
  }

  /** @internal A refreshing or unsubscribing SUBSCRIBE in the dialog (RFC 6665 §4.2.1.2). */
  onRequest(request: SipMessage, transactionId: string): boolean {
    if (request.method !== 'SUBSCRIBE' || this.state === 'init') return false;
    const expires = request.expires ?? 3600;
    new ServerRequest(this.#host, request, transactionId, { toTag: this.usages?.dialog.localTag }).accept({
      headers: [['Expires', String(expires)]],
    });
    if (expires === 0) {
      this.terminate('timeout');
      return true;
    }
    this.#setExpiry(expires);
    this.#sendNotify({ state: this.state as SubscriptionStateName, expires });
    this.emit('refreshed', expires);
    return true;
  }

  #end(reason: string): void {
    this.state = 'terminated';
    this.#host.cancelTimer(this.#timer);
    const u = this.usages;
    if (u !== undefined && u.subscriptions.get(subscriptionKey(this.event)) === this) {
      u.subscriptions.delete(subscriptionKey(this.event));
      finishDialogUsage(this.#host, u);
    }
    this.emit('terminated', reason);
  }
}
