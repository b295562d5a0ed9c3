/**
 * The INVITE session usage of one dialog (RFC 3261 §13-§15, reSIProcate's InviteSession): the
 * state of the call once a dialog exists (early or confirmed), both sides. It ACKs 2xx at the
 * UAC (§13.2.2.4), retransmits 2xx until ACK at the UAS (§13.3.1.4), runs re-INVITE and UPDATE
 * with offer/answer and glare (§14, RFC 3311), PRACK (RFC 3262), session timers (RFC 4028),
 * BYE (§15), INFO (RFC 6086), MESSAGE (RFC 3428) and REFER (RFC 3515) inside the dialog.
 */
import type { SipMessage } from '@tsvoip/sip';
import type { Dialog, DialogState } from '../dialog/dialog.js';
import { UsageStateError } from '../dialog/errors.js';
import { TypedEmitter } from '../ua/emitter.js';
import type { DialogUsage, DialogUsages, TimerHandle, UsageHost } from '../ua/host.js';
import { ClientRequest } from './client-request.js';
import { dispatchCommonRequest, finishDialogUsage, sessionHeaders } from './dialog-requests.js';
import { glareBackoff } from './glare.js';
import type { InviteSessionEvents, ModifyOptions, TerminationReason } from './invite-session-events.js';
import { receiveModify } from './modify-server.js';
import type { OfferAnswer } from './offer-answer.js';
import { type OutgoingRefer, type ReferOptions, receiveRefer, sendRefer } from './refer.js';
import { AnswerRetransmitter, parseRAck, type ReliableProvisionals } from './retransmit.js';
import { bodyText, ServerRequest } from './server-request.js';
import { SessionRefresher } from './session-refresh.js';
import { decideUasSessionTimer, readUacSessionTimer } from './session-timer.js';

export type { InviteSessionEvents, ModifyOptions, TerminationReason } from './invite-session-events.js';

/** The INVITE session of one dialog. */
export class InviteSession extends TypedEmitter<InviteSessionEvents> implements DialogUsage {
  /** The dialog. */
  readonly dialog: Dialog;
  /** The usages sharing the dialog. */
  readonly usages: DialogUsages;
  /** The offer/answer state (RFC 3264 §4). */
  readonly offerAnswer: OfferAnswer;
  /** Methods the peer allows (from its Allow headers). */
  peerAllows: readonly string[] = [];
  /**
   * How to answer an offer that arrives in a 2xx or reliable provisional when our INVITE had no
   * offer (the answer goes in the ACK or PRACK). Default: the last local description.
   */
  answerOffer: ((offer: string) => string) | undefined = undefined;
  /** @internal UAS of the initial INVITE: its reliable provisionals (RFC 3262). */
  reliable: ReliableProvisionals | undefined = undefined;
  /** @internal UAS of the initial INVITE: its CSeq (RAck matching). */
  initialCSeq = 0;
  /** @internal UAS of the initial INVITE: a BYE arrived before the final response (§15.1.2: 487 it). */
  onEarlyBye: (() => void) | undefined = undefined;
  /** @internal UAC early dialog: cancels the INVITE (used when a Replaces ends it, RFC 3891 §3). */
  cancelInvite: (() => void) | undefined = undefined;
  readonly #host: UsageHost;
  readonly #acks = new Map<number, SipMessage>();
  #lastRSeq: number | undefined = undefined;
  #answer: AnswerRetransmitter | undefined = undefined;
  #outInvite: string | undefined = undefined;
  #outUpdate: string | undefined = undefined;
  #inInvite: ServerRequest | undefined = undefined;
  #glareTimer: TimerHandle | undefined = undefined;
  #glareRetries = 0;
  readonly #timer: SessionRefresher;
  #terminated = false;
  #confirmedOnce = false;

  /** @internal Created by the INVITE usages; registers itself on the dialog. */
  constructor(host: UsageHost, dialog: Dialog, offerAnswer: OfferAnswer) {
    super();
    this.#host = host;
    this.#timer = new SessionRefresher(
      host,
      () => this.#refresh(),
      () => this.#expire(),
    );
    this.dialog = dialog;
    this.offerAnswer = offerAnswer;
    const existing = host.dialogUsages(dialog.id);
    this.usages = existing ?? { dialog, invite: undefined, subscriptions: new Map() };
    this.usages.invite = this;
    if (existing === undefined) host.addDialog(dialog, this.usages);
  }

  /** `early`, `confirmed` or `terminated`. */
  get state(): DialogState {
    return this.#terminated ? 'terminated' : this.dialog.state;
  }

  /** The session timer in force (RFC 4028), undefined when none. */
  get sessionTimer(): { readonly interval: number; readonly weRefresh: boolean } | undefined {
    return this.#timer.state;
  }

  // ---- commands -----------------------------------------------------------------------------

  /** Ends the session with BYE (RFC 3261 §15.1.1). A UAS cannot BYE an early dialog (reject the INVITE instead). */
  bye(headers?: ReadonlyArray<readonly [string, string]>): void {
    if (this.#terminated) return;
    if (this.dialog.state === 'early' && !this.dialog.isUac)
      throw new UsageStateError('bye', 'early (UAS)', this.dialog.id);
    this.#sendBye(headers);
    this.terminate('local-bye');
  }

  /** @internal RFC 3261 §13.2.2.4: an extra 2xx of a forked INVITE, already ACKed, is ended with BYE. */
  discardFork(): void {
    if (this.#terminated) return;
    this.#sendBye();
    this.terminate('fork-discarded');
  }

  /** @internal True when the 2xx with this CSeq was ACKed (its ACK is kept for retransmissions). */
  hasAck(cseq: number): boolean {
    return this.#acks.has(cseq);
  }

  /** Sends a re-INVITE (RFC 3261 §14.1), with an offer when `body` is given. */
  reinvite(body?: string, options?: ModifyOptions): void {
    this.#checkModify('reinvite', body);
    if (this.dialog.state !== 'confirmed')
      throw new UsageStateError('reinvite', this.dialog.state, this.dialog.id);
    if (body !== undefined) this.offerAnswer.sendOffer(body);
    const request = this.dialog.createRequest('INVITE', {
      headers: [...sessionHeaders(this.#host, this.#timer.state), ...(options?.headers ?? [])],
      body,
      contentType: options?.contentType ?? this.#host.config.sessionContentType,
    });
    this.#outInvite = this.#host.sendRequest(request, {
      onResponse: (r) => this.#onModifyResponse(r, request, body, 'INVITE'),
    });
  }

  /** Sends an UPDATE (RFC 3311 §5.1), in an early or confirmed dialog; with an offer when `body` is given. */
  update(body?: string, options?: ModifyOptions): void {
    this.#checkModify('update', body);
    if (body !== undefined) this.offerAnswer.sendOffer(body);
    const request = this.dialog.createRequest('UPDATE', {
      headers: [...sessionHeaders(this.#host, this.#timer.state), ...(options?.headers ?? [])],
      body,
      contentType: options?.contentType ?? this.#host.config.sessionContentType,
    });
    this.#outUpdate = this.#host.sendRequest(request, {
      onResponse: (r) => this.#onModifyResponse(r, request, body, 'UPDATE'),
    });
  }

  /** Sends INFO (RFC 6086); `infoPackage` adds the Info-Package header. */
  info(body: string, contentType: string, infoPackage?: string): ClientRequest {
    return this.#request(
      'INFO',
      body,
      contentType,
      infoPackage === undefined ? [] : [['Info-Package', infoPackage]],
    );
  }

  /** Sends MESSAGE in the dialog (RFC 3428 §4). */
  message(body: string, contentType = 'text/plain'): ClientRequest {
    return this.#request('MESSAGE', body, contentType, []);
  }

  /** Sends REFER (RFC 3515) in the dialog; the returned usage reports the NOTIFY progress. */
  refer(referTo: string, options?: ReferOptions): OutgoingRefer {
    if (this.#terminated) throw new UsageStateError('refer', 'terminated', this.dialog.id);
    return sendRefer(this.#host, this.usages, referTo, options);
  }

  /** Sends OPTIONS in the dialog (RFC 3261 §11.1: capabilities, or a keep-alive of the dialog). */
  options(): ClientRequest {
    return this.#request('OPTIONS', undefined, undefined, [['Accept', this.#host.config.sessionContentType]]);
  }

  #request(
    method: string,
    body: string | undefined,
    contentType: string | undefined,
    headers: ReadonlyArray<readonly [string, string]>,
  ): ClientRequest {
    if (this.#terminated) throw new UsageStateError(method, 'terminated', this.dialog.id);
    const request = this.dialog.createRequest(method, { body, contentType, headers });
    const cr = new ClientRequest(request, (r) => this.#checkDialogFailure(r));
    this.#host.sendRequest(request, cr);
    return cr;
  }

  /** Why a re-INVITE/UPDATE cannot be sent now, or undefined when it can. */
  #modifyBlocker(body: string | undefined): string | undefined {
    if (this.#terminated) return 'terminated';
    // RFC 3261 §14.1: no re-INVITE while another INVITE transaction is in progress; RFC 3311 §5.1 likewise for UPDATE.
    if (
      this.#outInvite !== undefined ||
      this.#inInvite !== undefined ||
      this.#outUpdate !== undefined ||
      this.#answer?.active === true
    ) {
      return 'modification pending';
    }
    if (body !== undefined && !this.offerAnswer.stable) return this.offerAnswer.state;
    return undefined;
  }

  #checkModify(op: string, body: string | undefined): void {
    const blocker = this.#modifyBlocker(body);
    if (blocker !== undefined) throw new UsageStateError(op, blocker, this.dialog.id);
  }

  /** Runs a modification from a timer (glare retry, refresh): later if something is pending. */
  #modifyLater(
    delay: number,
    method: 'INVITE' | 'UPDATE',
    body: string | undefined,
    options?: ModifyOptions,
  ): void {
    this.#host.cancelTimer(this.#glareTimer);
    this.#glareTimer = this.#host.schedule(this.#host.now + delay, () => {
      this.#glareTimer = undefined;
      const blocker = this.#modifyBlocker(body);
      if (blocker === 'terminated') return;
      if (blocker !== undefined)
        return void this.#modifyLater(this.#host.timers.t1 * 2, method, body, options);
      if (method === 'INVITE') this.reinvite(body, options);
      else this.update(body, options);
    });
  }

  // ---- UAC side: responses to INVITE --------------------------------------------------------

  /**
   * @internal A provisional response to the INVITE that created (or belongs to) this dialog.
   * RFC 3262 §4: a reliable one (Require: 100rel, RSeq) is PRACKed once; retransmissions and
   * out-of-order RSeqs are ignored. An answer (or offer) in it takes part in offer/answer.
   */
  onProvisional(response: SipMessage, invite: SipMessage): void {
    const rseq = Number(response.getHeader('RSeq'));
    if (!response.require.includes('100rel') || !Number.isInteger(rseq)) return;
    if (this.#lastRSeq !== undefined && rseq !== this.#lastRSeq + 1) return;
    this.#lastRSeq = rseq;
    const prackBody = this.#takeDescription(response);
    const prack = this.dialog.createRequest('PRACK', {
      headers: [['RAck', `${rseq} ${invite.cseq?.seq ?? 0} INVITE`]],
      body: prackBody,
      contentType: this.#host.config.sessionContentType,
    });
    // RFC 5057 §5.1: a failed PRACK ends only its transaction, not the dialog.
    this.#host.sendRequest(prack, { onResponse: () => {} });
  }

  /**
   * @internal A 2xx to an INVITE of this dialog (initial or re-INVITE). RFC 3261 §13.2.2.4: ACK
   * it (same CSeq number, no transaction); a retransmission gets the same ACK again.
   */
  on2xx(response: SipMessage): void {
    const cseq = response.cseq?.seq ?? 0;
    const cached = this.#acks.get(cseq);
    if (cached !== undefined) {
      this.#host.sendStateless(cached, this.#host.destinationOf(cached));
      return;
    }
    // RFC 3261 §12.2.1.2: the 2xx to a target refresh updates the remote target.
    this.dialog.refreshTarget(response);
    if (response.allow.length > 0) this.peerAllows = response.allow;
    const ackBody = this.#takeDescription(response);
    const ack = this.dialog.createRequest('ACK', {
      cseq,
      body: ackBody,
      contentType: this.#host.config.sessionContentType,
    });
    this.#acks.set(cseq, ack);
    this.#host.sendStateless(ack, this.#host.destinationOf(ack));
    const wasEarly = this.dialog.state === 'early';
    this.dialog.state = 'confirmed';
    const st = readUacSessionTimer(response);
    if (st !== undefined) this.#timer.start(st.interval, st.refresher === 'uac');
    if (wasEarly) this.emit('confirmed');
  }

  /** Offer/answer on a body received in a 2xx or reliable provisional; returns the answer to send back, if we owe one. */
  #takeDescription(response: SipMessage): string | undefined {
    const body = bodyText(response);
    if (body === '') return undefined;
    const oa = this.offerAnswer;
    if (oa.state === 'local-offer') {
      oa.receiveAnswer(body);
      this.emit('answer', body);
      return undefined;
    }
    if (oa.state === 'stable') {
      // RFC 3264 §4 / RFC 3261 §13.2.1: an offer in the 2xx (or reliable 1xx) is answered in the ACK (or PRACK).
      oa.receiveOffer(body);
      const answer = this.answerOffer?.(body) ?? oa.localDescription ?? '';
      oa.sendAnswer(answer);
      return answer === '' ? undefined : answer;
    }
    return undefined;
  }

  #onModifyResponse(
    response: SipMessage,
    request: SipMessage,
    body: string | undefined,
    method: 'INVITE' | 'UPDATE',
  ): void {
    if (response.status < 200) return;
    if (method === 'INVITE' && response.status < 300) {
      this.#outInvite = undefined;
      this.on2xx(response);
      this.#afterUacRefresh(response);
      return;
    }
    if (method === 'INVITE') this.#outInvite = undefined;
    else this.#outUpdate = undefined;
    if (response.status < 300) {
      // RFC 3311 §5.1: the 2xx to UPDATE carries the answer and refreshes the target.
      this.dialog.refreshTarget(response);
      const answer = bodyText(response);
      if (body !== undefined && answer !== '' && this.offerAnswer.state === 'local-offer') {
        this.offerAnswer.receiveAnswer(answer);
        this.emit('answer', answer);
      }
      this.#afterUacRefresh(response);
      return;
    }
    // RFC 3261 §14.1 / RFC 6337 §3.4: a failed offer leaves the session as it was.
    if (body !== undefined && this.offerAnswer.state === 'local-offer') this.offerAnswer.rollback();
    if (response.status === 491 && this.#glareRetries < 5 && !this.#terminated) {
      // RFC 3261 §14.1: glare; retry after the back-off (owner of the Call-ID waits longer).
      this.#glareRetries++;
      const delay = glareBackoff(this.dialog.isUac, () => this.#host.random());
      const headers = request.headerEntries().filter((h) => isExtraHeader(h.name));
      this.#modifyLater(delay, method, body, { headers: headers.map((h) => [h.name, h.value] as const) });
      this.emit('glare', delay);
      return;
    }
    this.#checkDialogFailure(response);
    if (!this.#terminated) this.emit('modify-failed', response);
  }

  /** RFC 3261 §12.2.1.2: a 481 or 408 to an in-dialog request ends the dialog (with BYE for 408). */
  #checkDialogFailure(response: SipMessage): void {
    if (this.#terminated) return;
    if (response.status === 481 || response.status === 408) {
      if (response.status === 408 && this.dialog.state === 'confirmed') this.#sendBye();
      this.terminate('request-failed');
    }
  }

  // ---- UAS side -----------------------------------------------------------------------------

  /** @internal The UAS sent a 2xx to an INVITE of this dialog: retransmit it until ACK (RFC 3261 §13.3.1.4). */
  startAnswer(transactionId: string, response: SipMessage, request: SipMessage): void {
    this.dialog.state = 'confirmed';
    this.#answer?.stop();
    this.#answer = new AnswerRetransmitter(this.#host, transactionId, response, () => {
      // RFC 3261 §13.3.1.4: no ACK within 64*T1: the dialog is confirmed, the session ended by BYE.
      this.#sendBye();
      this.terminate('no-ack');
    });
    const d = decideUasSessionTimer(request, this.#host.config.sessionTimer);
    if (d.kind === 'accept' && response.hasHeader('Session-Expires'))
      this.#timer.start(d.interval, d.refresher === 'uas');
  }

  /** @internal An ACK for a 2xx of this dialog (RFC 3261 §13.3.1.4, §17.2.3 not matched by a transaction). */
  onAck(ack: SipMessage): void {
    const a = this.#answer;
    if (a === undefined || !a.ack(ack.cseq?.seq ?? -1)) return;
    const body = bodyText(ack);
    if (body !== '' && this.offerAnswer.state === 'local-offer') {
      this.offerAnswer.receiveAnswer(body);
      this.emit('answer', body);
    }
    if (!this.#confirmedOnce) {
      this.#confirmedOnce = true;
      this.emit('confirmed');
    }
  }

  /** @internal Handles a request received in the dialog (CSeq already checked, §12.2.2). */
  onRequest(request: SipMessage, transactionId: string): boolean {
    switch (request.method) {
      case 'BYE': {
        // RFC 3261 §15.1.2: 200 to the BYE; pending requests are answered 487 (the initial INVITE by its usage).
        new ServerRequest(this.#host, request, transactionId, { toTag: this.dialog.localTag }).accept();
        if (this.#inInvite !== undefined && !this.#inInvite.answered) this.#inInvite.reject(487);
        this.onEarlyBye?.();
        this.terminate('remote-bye');
        return true;
      }
      case 'INVITE':
        this.#onModifyRequest(request, transactionId);
        return true;
      case 'UPDATE':
        this.#onModifyRequest(request, transactionId);
        return true;
      case 'PRACK':
        this.#onPrack(request, transactionId);
        return true;
      case 'REFER': {
        const refer = receiveRefer(this.#host, this.usages, request, transactionId);
        if (refer !== undefined && !this.emit('refer', refer)) refer.reject(603);
        return true;
      }
      default:
        return dispatchCommonRequest(this.#host, this.dialog, request, transactionId, (event, sr) =>
          this.emit(event, sr),
        );
    }
  }

  #onPrack(request: SipMessage, transactionId: string): void {
    const sr = new ServerRequest(this.#host, request, transactionId, { toTag: this.dialog.localTag });
    const rack = parseRAck(request.getHeader('RAck'));
    // RFC 3262 §3: a PRACK matching no outstanding reliable provisional gets 481.
    if (rack === undefined || this.reliable?.prack(rack, this.initialCSeq) === undefined) {
      sr.reject(481);
      return;
    }
    const body = bodyText(request);
    if (body !== '' && this.offerAnswer.state === 'local-offer') {
      this.offerAnswer.receiveAnswer(body);
      this.emit('answer', body);
    }
    sr.accept();
    this.emit('prack', request);
  }

  /** A re-INVITE or UPDATE from the peer (see {@link receiveModify}). */
  #onModifyRequest(request: SipMessage, transactionId: string): void {
    receiveModify(
      {
        host: this.#host,
        dialog: this.dialog,
        offerAnswer: this.offerAnswer,
        sessionInterval: this.#timer.state?.interval,
        ourInvitePending: this.#outInvite !== undefined,
        peerInvitePending: this.#inInvite !== undefined || this.#answer?.active === true,
        setIncomingInvite: (sr) => {
          this.#inInvite = sr;
        },
        startAnswer: (id, response, req) => this.startAnswer(id, response, req),
        refreshed: (interval, weRefresh) => this.#afterRefresh(interval, weRefresh),
        emit: (event, sr, offer) => this.emit(event, sr, offer),
      },
      request,
      transactionId,
    );
  }

  // ---- session timer (RFC 4028) -------------------------------------------------------------

  /** RFC 4028 §7.2: the 2xx to our refresh names the interval and the refresher. */
  #afterUacRefresh(response: SipMessage): void {
    const st = readUacSessionTimer(response);
    if (st !== undefined) this.#afterRefresh(st.interval, st.refresher === 'uac');
  }

  /** A refresh transaction succeeded: restart the timer. */
  #afterRefresh(interval: number, weRefresh: boolean): void {
    this.#timer.start(interval, weRefresh);
    this.emit('refreshed', interval);
  }

  /** RFC 4028 §10: no refresh came in time: BYE. */
  #expire(): void {
    if (this.#terminated) return;
    this.#sendBye([['Reason', 'SIP;cause=408;text="Session expired"']]);
    this.terminate('session-expired');
  }

  #refresh(): void {
    // RFC 4028 §7.4 / §8: UPDATE (no body) when the peer allows it, else re-INVITE with our last description.
    const useUpdate = this.#host.config.refreshWithUpdate && this.peerAllows.includes('UPDATE');
    const body = useUpdate ? undefined : this.offerAnswer.localDescription;
    const blocker = this.#modifyBlocker(body);
    if (blocker === 'terminated') return;
    if (blocker !== undefined) return void this.#timer.retryRefresh(this.#host.timers.t1 * 2);
    if (useUpdate) this.update();
    else this.reinvite(body);
  }

  // ---- ending -------------------------------------------------------------------------------

  #sendBye(headers?: ReadonlyArray<readonly [string, string]>): void {
    if (this.dialog.state === 'terminated') return;
    const bye = this.dialog.createRequest('BYE', { headers });
    this.#host.sendRequest(bye, { onResponse: () => {} });
  }

  /** @internal Ends the session without signaling (the caller sent or answered what was needed). */
  terminate(reason: TerminationReason): void {
    if (this.#terminated) return;
    this.#terminated = true;
    this.#answer?.stop();
    this.reliable?.stop();
    this.#timer.stop();
    this.#host.cancelTimer(this.#glareTimer);
    if (this.usages.invite === this) this.usages.invite = undefined;
    finishDialogUsage(this.#host, this.usages);
    this.#host.log.info(
      { callId: this.dialog.callId, localTag: this.dialog.localTag, reason },
      'INVITE session ended',
    );
    this.emit('terminated', reason);
  }
}

/** Headers a glare retry carries over (the rest is rebuilt by the dialog). */
function isExtraHeader(name: string): boolean {
  const n = name.toLowerCase();
  return ![
    'via',
    'max-forwards',
    'route',
    'to',
    'from',
    'call-id',
    'cseq',
    'contact',
    'content-length',
    'content-type',
    'supported',
    'allow',
    'session-expires',
    'min-se',
  ].includes(n);
}
