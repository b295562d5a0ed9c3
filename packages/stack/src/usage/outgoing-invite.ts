/**
 * The UAC's INVITE usage (RFC 3261 §13.2): sends the INVITE, creates one early or confirmed
 * {@link InviteSession} per remote tag (forking, §13.2.2.4), ACKs every 2xx and BYEs the extra
 * ones unless told to keep them, PRACKs reliable provisionals (RFC 3262 §4), retries a 422 with a
 * larger Session-Expires (RFC 4028 §7.4), answers a 401/407 once with credentials (§22.2) and
 * cancels (§9.1).
 */
import { createRequest, type SipMessage } from '@tsvoip/sip';
import { Dialog } from '../dialog/dialog.js';
import { UsageStateError } from '../dialog/errors.js';
import type { AuthenticateHook } from '../ua/auth-retry.js';
import { TypedEmitter } from '../ua/emitter.js';
import type { ClientHandlers, UsageHost } from '../ua/host.js';
import { InviteSession } from './invite-session.js';
import { OfferAnswer } from './offer-answer.js';
import { formatReplaces, type Replaces } from './replaces.js';
import { minSeOf } from './session-timer.js';

/** Options of {@link UserAgentCore.invite}. */
export interface InviteOptions {
  /** The callee: a To header value (`<sip:bob@example.com>`). */
  readonly to: string;
  /** Request-URI (default: the URI in `to`). */
  readonly requestUri?: string;
  /** From (default: the UA's `from`). */
  readonly from?: string;
  /** The offer (opaque, usually SDP); omit to get the offer in the 2xx (answered in the ACK). */
  readonly body?: string;
  /** Content-Type of the body (default the UA's session type). */
  readonly contentType?: string;
  /** Extra headers. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** 100rel (RFC 3262): `supported` (default), `required` or `none`. */
  readonly reliable?: 'supported' | 'required' | 'none';
  /** Ask for a session timer (RFC 4028) when the UA has a policy (default true). */
  readonly sessionTimer?: boolean;
  /** Answer an offer that comes in a 2xx / reliable 1xx (our INVITE had none). */
  readonly answerOffer?: (offer: string) => string;
  /** Replace this dialog at the callee (RFC 3891). */
  readonly replaces?: Replaces;
  /** Referred-By (RFC 3892), e.g. when acting on a REFER. */
  readonly referredBy?: string;
  /**
   * Answers a 401/407 to the INVITE (RFC 3261 §22.2, §22.3) instead of the UA's `authenticate`:
   * the INVITE is sent again once with these Authorization / Proxy-Authorization headers (same
   * Call-ID, From tag and To, CSeq + 1, new branch); undefined fails the call with the challenge.
   */
  readonly authenticate?: AuthenticateHook;
}

/** Events of an {@link OutgoingInvite}. */
export type OutgoingInviteEvents = {
  /** A provisional response; `session` is the early dialog it created or belongs to (when it had a To tag). */
  provisional: [response: SipMessage, session: InviteSession | undefined];
  /** A new early dialog (one per remote tag, RFC 3261 §12.1.2). */
  early: [session: InviteSession];
  /** A 2xx: the session is confirmed and ACKed (several with `acceptForks`). */
  accepted: [session: InviteSession, response: SipMessage];
  /** A final failure (3xx-6xx, or a local 408/503). */
  failed: [status: number, response: SipMessage];
  /** The INVITE was cancelled (487, or a 2xx that crossed the CANCEL and was BYEd). */
  cancelled: [];
};

/** The UAC INVITE usage. */
export class OutgoingInvite extends TypedEmitter<OutgoingInviteEvents> implements ClientHandlers {
  /** The INVITE as last sent. */
  request: SipMessage;
  /** Its client transaction. */
  transactionId = '';
  /** Sessions by remote tag. */
  readonly sessions = new Map<string, InviteSession>();
  /** The first accepted session. */
  session: InviteSession | undefined = undefined;
  /** `calling`, `proceeding`, `accepted`, `failed` or `cancelled`. */
  state: 'calling' | 'proceeding' | 'accepted' | 'failed' | 'cancelled' = 'calling';
  readonly #host: UsageHost;
  readonly #options: InviteOptions;
  #cancelRequested = false;
  #retried422 = false;
  #handlers: ClientHandlers | undefined = undefined;
  readonly #onDone: () => void;

  /** @internal Use `ua.invite()`. */
  constructor(host: UsageHost, options: InviteOptions, onDone: () => void) {
    super();
    this.#host = host;
    this.#options = options;
    this.#onDone = onDone;
    this.request = this.#build(
      undefined,
      1,
      host.token(),
      options.from ?? host.config.from,
      host.config.sessionTimer?.sessionExpires,
    );
  }

  /** @internal Sends the INVITE. */
  start(): void {
    const hook = this.#options.authenticate;
    const handlers: ClientHandlers = {
      onResponse: (r, local) => this.onResponse(r, local),
      // A 422 retry starts a second transaction: only the current one's end concerns the usage.
      onTerminated: () => {
        if (this.#handlers === handlers) this.onTerminated();
      },
      // RFC 3261 §22.2: no retry with credentials once the call is being cancelled.
      authenticate: (response, request) =>
        this.#cancelRequested
          ? undefined
          : hook !== undefined
            ? hook(response, request)
            : this.#host.authenticate(response, request),
      // The core answered a 401/407: the retry is the INVITE now (CANCEL, ACK and dialogs follow it).
      onResend: (request, transactionId) => {
        this.request = request;
        this.transactionId = transactionId;
      },
    };
    this.#handlers = handlers;
    this.transactionId = this.#host.sendRequest(this.request, handlers);
  }

  #build(
    callId: string | undefined,
    cseq: number,
    token: string,
    from: string,
    sessionExpires: number | undefined,
  ): SipMessage {
    const o = this.#options;
    const cfg = this.#host.config;
    const supported = cfg.supported.filter((t) => t !== '100rel' || o.reliable !== 'none');
    const headers: Array<readonly [string, string]> = [
      ['Supported', supported.join(', ')],
      ['Allow', cfg.allow.join(', ')],
    ];
    if (o.reliable === 'required') headers.push(['Require', '100rel']);
    if (sessionExpires !== undefined && o.sessionTimer !== false && cfg.sessionTimer !== undefined) {
      // RFC 4028 §7.1: the UAC asks for a session timer; Min-SE when it differs from 90.
      headers.push(
        ['Session-Expires', String(sessionExpires)],
        ['Min-SE', String(Math.max(cfg.sessionTimer.minSE, 90))],
      );
    }
    if (o.replaces !== undefined) headers.push(['Replaces', formatReplaces(o.replaces)]);
    if (o.referredBy !== undefined) headers.push(['Referred-By', o.referredBy]);
    headers.push(...(o.headers ?? []));
    return createRequest({
      method: 'INVITE',
      requestUri: o.requestUri ?? uriIn(o.to),
      from,
      to: o.to,
      callId: callId ?? token,
      cseq,
      contact: cfg.contact,
      headers,
      body: o.body,
      contentType: o.body !== undefined ? (o.contentType ?? cfg.sessionContentType) : undefined,
      random: () => this.#host.token(),
    });
  }

  /** Cancels the INVITE (RFC 3261 §9.1): sent once a provisional arrived. */
  cancel(): void {
    if (this.state !== 'calling' && this.state !== 'proceeding')
      throw new UsageStateError('cancel', this.state);
    this.#cancelRequested = true;
    this.#host.cancel(this.transactionId);
  }

  #session(response: SipMessage): InviteSession {
    const tag = response.to?.tag ?? '';
    let s = this.sessions.get(tag);
    if (s === undefined) {
      const oa = new OfferAnswer();
      if (this.#options.body !== undefined) oa.sendOffer(this.#options.body);
      s = new InviteSession(this.#host, Dialog.fromResponse(this.request, response), oa);
      s.answerOffer = this.#options.answerOffer;
      s.cancelInvite = () => {
        if (this.state === 'calling' || this.state === 'proceeding') this.cancel();
      };
      if (response.allow.length > 0) s.peerAllows = response.allow;
      this.sessions.set(tag, s);
      if (response.status < 200) this.emit('early', s);
    }
    return s;
  }

  /** @internal A response of the INVITE client transaction. */
  onResponse(response: SipMessage, _local: boolean): void {
    const status = response.status;
    if (status < 200) {
      if (this.state === 'calling') this.state = 'proceeding';
      const session = status > 100 && response.to?.tag !== undefined ? this.#session(response) : undefined;
      if (session !== undefined && session.state !== 'terminated')
        session.onProvisional(response, this.request);
      this.emit('provisional', response, session);
      return;
    }
    if (status < 300) {
      this.on2xx(response);
      return;
    }
    if (this.state !== 'calling' && this.state !== 'proceeding') return;
    const minSE = minSeOf(response);
    if (status === 422 && !this.#retried422 && minSE !== undefined) {
      // RFC 4028 §7.4: retry with Session-Expires raised to the Min-SE of the 422 (new CSeq, same Call-ID and tag).
      this.#retried422 = true;
      const cseq = (this.request.cseq?.seq ?? 1) + 1;
      this.request = this.#build(this.request.callId, cseq, '', this.request.getHeader('From') ?? '', minSE);
      this.start();
      return;
    }
    for (const s of this.sessions.values()) s.terminate(this.#cancelRequested ? 'cancelled' : 'rejected');
    if (this.#cancelRequested || status === 487) {
      this.state = 'cancelled';
      this.emit('cancelled');
    } else {
      this.state = 'failed';
      this.emit('failed', status, response);
    }
  }

  /**
   * @internal A 2xx, from the transaction or stray (another fork after it ended). RFC 3261
   * §13.2.2.4: each 2xx is ACKed; the first confirms the call, later ones from other remote
   * tags are BYEd unless `acceptForks`.
   */
  on2xx(response: SipMessage): void {
    if (response.to?.tag === undefined) return;
    const s = this.#session(response);
    const cseq = response.cseq?.seq ?? 0;
    if (s.hasAck(cseq)) {
      s.on2xx(response); // RFC 3261 §13.2.2.4: a retransmission gets the same ACK again
      return;
    }
    if (s.state === 'terminated') return;
    s.on2xx(response);
    if (this.session === undefined) {
      if (this.#cancelRequested) {
        // RFC 3261 §9.1/§15: a 2xx crossing our CANCEL: ACK it (done) and BYE.
        s.bye();
        if (this.state !== 'cancelled') {
          this.state = 'cancelled';
          this.emit('cancelled');
        }
        return;
      }
      this.session = s;
      this.state = 'accepted';
      this.emit('accepted', s, response);
      return;
    }
    if (s === this.session) return;
    if (this.#host.config.acceptForks) this.emit('accepted', s, response);
    else s.discardFork();
  }

  /** @internal The INVITE transaction ended: early dialogs that got no 2xx end too (RFC 3261 §13.2.2.4). */
  onTerminated(): void {
    for (const s of this.sessions.values()) if (s.state === 'early') s.terminate('rejected');
    this.#onDone();
  }
}

/** The URI of a name-addr (`"Bob" <sip:bob@b>;x` → `sip:bob@b`). */
function uriIn(value: string): string {
  const lt = value.indexOf('<');
  if (lt < 0) {
    const semi = value.indexOf(';');
    return (semi < 0 ? value : value.slice(0, semi)).trim();
  }
  return value.slice(lt + 1, value.indexOf('>', lt)).trim();
}
