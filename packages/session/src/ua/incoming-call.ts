/**
 * An incoming call before it is answered (RFC 3261 §13.3): accept (media opened, SDP answer or
 * offer in the 2xx), reject with a status, redirect with 3xx Contacts, or watch it be cancelled.
 * @module
 */
import { EventEmitter } from 'node:events';
import type { IncomingInvite } from '@tsvoip/stack';
import type { Call } from './call.js';
import { CallStateError } from './errors.js';

/** What an incoming call needs from its user agent. */
export interface IncomingCallHost {
  /** Runs a signaling command at the current time and sends what it produced. */
  run<T>(command: () => T): T;
  /** Opens media, answers, and resolves with the call once the ACK arrived. */
  answer(incoming: IncomingCall): Promise<Call>;
}

/** Events of an {@link IncomingCall}. */
export type IncomingCallEvents = {
  /** The caller cancelled before we answered (RFC 3261 §9.2: answered 487). */
  cancelled: [];
};

/** An INVITE waiting for the application's decision. */
export class IncomingCall extends EventEmitter<IncomingCallEvents> {
  /** The INVITE usage of the stack. */
  readonly invite: IncomingInvite;
  /** The call this one replaces (RFC 3891 attended transfer), when it is one of ours. */
  readonly replaces: Call | undefined;
  readonly #host: IncomingCallHost;

  /** @internal Created by the user agent. */
  constructor(host: IncomingCallHost, invite: IncomingInvite, replaces: Call | undefined) {
    super();
    this.#host = host;
    this.invite = invite;
    this.replaces = replaces;
    invite.on('cancelled', () => this.emit('cancelled'));
  }

  /** Call-ID. */
  get id(): string {
    return this.invite.request.callId ?? '';
  }

  /** The caller (From header value). */
  get from(): string {
    return this.invite.request.getHeader('From') ?? '';
  }

  /** The callee as the caller named it (To header value). */
  get to(): string {
    return this.invite.request.getHeader('To') ?? '';
  }

  /** Referred-By (RFC 3892), when the call results from a transfer. */
  get referredBy(): string | undefined {
    return this.invite.request.getHeader('Referred-By');
  }

  /** `pending`, `accepted`, `rejected` or `cancelled`. */
  get state(): IncomingInvite['state'] {
    return this.invite.state;
  }

  /** Answers the call; resolves with the {@link Call} once the caller's ACK arrived. */
  accept(): Promise<Call> {
    if (this.invite.state !== 'pending')
      return Promise.reject(new CallStateError('accept', this.invite.state));
    return this.#host.answer(this);
  }

  /** Rejects the call with a 4xx-6xx final response (default 486 Busy Here). */
  reject(status = 486, reason?: string): void {
    if (status < 400 || status > 699) throw new RangeError(`reject needs a 4xx-6xx status, got ${status}`);
    this.#host.run(() => this.invite.reject(status, { reason }));
  }

  /** Redirects the caller (RFC 3261 §21.3): a 3xx (default 302) with one Contact per target. */
  redirect(targets: readonly string[], status = 302): void {
    if (status < 300 || status > 399) throw new RangeError(`redirect needs a 3xx status, got ${status}`);
    if (targets.length === 0) throw new RangeError('redirect needs at least one target');
    const headers = targets.map((t) => ['Contact', t.startsWith('<') ? t : `<${t}>`] as const);
    this.#host.run(() => this.invite.reject(status, { headers }));
  }
}
