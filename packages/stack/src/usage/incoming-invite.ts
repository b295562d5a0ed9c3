/**
 * The UAS's INVITE usage (RFC 3261 §13.3): provisional responses (reliable ones per RFC 3262),
 * the 2xx (retransmitted until ACK by the session, §13.3.1.4) or a rejection, CANCEL (§9.2:
 * 487), and Replaces (RFC 3891) decided before the application sees the call.
 */
import { createResponse, type SipMessage } from '@tsvoip/sip';
import { Dialog } from '../dialog/dialog.js';
import { OfferAnswerError, UsageStateError } from '../dialog/errors.js';
import { TypedEmitter } from '../ua/emitter.js';
import type { UsageHost } from '../ua/host.js';
import { InviteSession } from './invite-session.js';
import { OfferAnswer } from './offer-answer.js';
import { ReliableProvisionals } from './retransmit.js';
import { bodyText } from './server-request.js';
import { hasOptionTag, type UasSessionTimerDecision } from './session-timer.js';

/** Options of a response to the INVITE. */
export interface InviteResponseOptions {
  /** Body (an answer to the INVITE's offer, or our offer when it had none). */
  readonly body?: string;
  /** Content-Type (default the UA's session type). */
  readonly contentType?: string;
  /** Extra headers. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** Reason phrase. */
  readonly reason?: string;
}

/** Options of a provisional response. */
export interface ProvisionalOptions extends InviteResponseOptions {
  /** Send it reliably (RFC 3262), when the UAC supports 100rel. Forced when the UAC requires it. */
  readonly reliable?: boolean;
}

/** Events of an {@link IncomingInvite}. */
export type IncomingInviteEvents = {
  /** The UAC cancelled (RFC 3261 §9.2): the INVITE was answered 487. */
  cancelled: [request: SipMessage];
  /** The early dialog was created by our first provisional with a To tag. */
  early: [session: InviteSession];
};

/** The UAS INVITE usage. */
export class IncomingInvite extends TypedEmitter<IncomingInviteEvents> {
  /** The INVITE. */
  readonly request: SipMessage;
  /** Its server transaction. */
  readonly transactionId: string;
  /** The offer in the INVITE, if any. */
  readonly offer: string | undefined;
  /** The session this INVITE replaces (RFC 3891), already checked. */
  readonly replaces: InviteSession | undefined;
  /** The session (from the first provisional with a tag, or the 2xx). */
  session: InviteSession | undefined = undefined;
  /** `pending`, `accepted`, `rejected` or `cancelled`. */
  state: 'pending' | 'accepted' | 'rejected' | 'cancelled' = 'pending';
  readonly #host: UsageHost;
  readonly #localTag: string;
  readonly #oa = new OfferAnswer();
  readonly #timer: UasSessionTimerDecision;

  /** @internal Created by the UA core for a new INVITE. */
  constructor(
    host: UsageHost,
    request: SipMessage,
    transactionId: string,
    timer: UasSessionTimerDecision,
    replaces: InviteSession | undefined,
  ) {
    super();
    this.#host = host;
    this.request = request;
    this.transactionId = transactionId;
    this.#timer = timer;
    this.replaces = replaces;
    this.#localTag = host.token();
    const body = bodyText(request);
    this.offer = body === '' ? undefined : body;
    if (this.offer !== undefined) this.#oa.receiveOffer(this.offer);
  }

  /** True when the UAC supports or requires 100rel (RFC 3262 §3). */
  get reliableAllowed(): boolean {
    return (
      hasOptionTag(this.request, 'Supported', '100rel') || hasOptionTag(this.request, 'Require', '100rel')
    );
  }

  #ensureSession(): InviteSession {
    if (this.session !== undefined) return this.session;
    const dialog = Dialog.fromRequest(this.request, this.#localTag, this.#host.config.contact, 'early');
    const s = new InviteSession(this.#host, dialog, this.#oa);
    if (this.request.allow.length > 0) s.peerAllows = this.request.allow;
    s.initialCSeq = this.request.cseq?.seq ?? 0;
    // RFC 3262 §3: no PRACK after 64*T1: reject the INVITE with a 5xx.
    s.reliable = new ReliableProvisionals(this.#host, this.transactionId, () => {
      if (this.state === 'pending') this.reject(504, { reason: 'No PRACK' });
    });
    // RFC 3261 §15.1.2: a BYE in the early dialog: the INVITE is answered 487.
    s.onEarlyBye = () => {
      if (this.state === 'pending') this.#final(487, {}, 'cancelled');
    };
    this.session = s;
    this.emit('early', s);
    return s;
  }

  #headers(extra: ReadonlyArray<readonly [string, string]> | undefined): Array<readonly [string, string]> {
    const cfg = this.#host.config;
    return [
      ['Contact', cfg.contact],
      ['Allow', cfg.allow.join(', ')],
      ['Supported', cfg.supported.join(', ')],
      ...(extra ?? []),
    ];
  }

  /**
   * Sends a provisional response (101-199 create the early dialog, RFC 3261 §12.1.1). Reliable
   * (RFC 3262) when asked and supported, and always when the INVITE has Require: 100rel (§3).
   * A body in a reliable provisional answers the offer (or offers, when the INVITE had none).
   */
  provisional(status = 180, options: ProvisionalOptions = {}): void {
    if (this.state !== 'pending') throw new UsageStateError('provisional', this.state);
    if (status < 101 || status > 199) throw new RangeError(`not a provisional status: ${status}`);
    const reliable =
      hasOptionTag(this.request, 'Require', '100rel') || (options.reliable === true && this.reliableAllowed);
    const session = this.#ensureSession();
    if (reliable && options.body !== undefined) {
      if (this.#oa.state === 'remote-offer') this.#oa.sendAnswer(options.body);
      else if (this.#oa.state === 'stable' && this.#oa.localDescription === undefined)
        this.#oa.sendOffer(options.body);
    }
    const response = createResponse(this.request, status, options.reason, {
      toTag: this.#localTag,
      copyRecordRoute: true,
      headers: this.#headers(options.headers),
      body: options.body,
      contentType:
        options.body !== undefined
          ? (options.contentType ?? this.#host.config.sessionContentType)
          : undefined,
    });
    if (reliable) session.reliable?.send(response);
    else this.#host.sendResponse(this.transactionId, response);
  }

  /**
   * Accepts with 200 (RFC 3261 §13.3.1.4): Contact, Record-Route copied, session timer headers
   * (RFC 4028 §9), and the answer (required when the INVITE's offer is still unanswered) or our
   * offer. The session then retransmits it until the ACK. Ends the replaced dialog (RFC 3891 §3).
   */
  accept(options: InviteResponseOptions = {}): InviteSession {
    if (this.state !== 'pending') throw new UsageStateError('accept', this.state);
    const session = this.#ensureSession();
    session.reliable?.stop();
    let body = options.body;
    if (this.#oa.state === 'remote-offer') {
      if (body === undefined)
        throw new OfferAnswerError('the INVITE carries an offer: accept() needs the answer');
      this.#oa.sendAnswer(body);
    } else if (this.#oa.state === 'local-offer') {
      // RFC 3262 §5: our offer in a reliable provisional is still unanswered; the 2xx cannot carry a new one.
      body = undefined;
    } else if (body !== undefined && this.#oa.localDescription === undefined) this.#oa.sendOffer(body);
    const headers = this.#headers(options.headers);
    const st = this.#timer;
    if (st.kind === 'accept') {
      headers.push(['Session-Expires', `${st.interval};refresher=${st.refresher}`]);
      if (st.require) headers.push(['Require', 'timer']);
    }
    const response = createResponse(this.request, 200, options.reason, {
      toTag: this.#localTag,
      copyRecordRoute: true,
      headers,
      body,
      contentType:
        body !== undefined ? (options.contentType ?? this.#host.config.sessionContentType) : undefined,
    });
    this.state = 'accepted';
    this.#host.sendResponse(this.transactionId, response);
    session.startAnswer(this.transactionId, response, this.request);
    const replaced = this.replaces;
    if (replaced !== undefined && replaced.state !== 'terminated') {
      // RFC 3891 §3: a confirmed replaced dialog gets BYE, an early one (ours) CANCEL.
      if (replaced.state === 'confirmed') replaced.bye();
      else replaced.cancelInvite?.();
    }
    return session;
  }

  /** Rejects with a 3xx-6xx final response (default 486 Busy Here). */
  reject(status = 486, options: InviteResponseOptions = {}): void {
    if (this.state !== 'pending') throw new UsageStateError('reject', this.state);
    if (status < 300) throw new RangeError(`not a failure status: ${status}`);
    this.#final(status, options, 'rejected');
  }

  #final(status: number, options: InviteResponseOptions, state: 'rejected' | 'cancelled'): void {
    this.state = state;
    this.session?.reliable?.stop();
    const response = createResponse(this.request, status, options.reason, {
      toTag: this.#localTag,
      headers: options.headers,
    });
    this.#host.sendResponse(this.transactionId, response);
    this.session?.terminate(state);
  }

  /** @internal RFC 3261 §9.2: a CANCEL matched the pending INVITE: answer it 487. */
  onCancel(cancel: SipMessage): void {
    if (this.state !== 'pending') return;
    this.#final(487, {}, 'cancelled');
    this.emit('cancelled', cancel);
  }
}
