/**
 * The UAS responder of `tsvoip uas` on the transaction layer: the transaction user of one
 * {@link SipStack}, sans-IO (time is an argument, its few timers live in one deadline queue).
 * INVITE → (401) → 180 → 200 with an SDP answer, retransmitted until the ACK; re-INVITE → 200;
 * CANCEL → 487; BYE → 200; OPTIONS, MESSAGE, INFO → 200. One small object per call and no
 * per-call logging at the default level: it exists to be fast.
 */
import { createResponse, type SipMessage } from '@tsvoip/sip';
import {
  createHa1Lookup,
  type Deadline,
  DeadlineQueue,
  DigestServer,
  type Ha1Lookup,
  type SipStack,
  type StackEvent,
  type StackLogger,
} from '@tsvoip/stack';
import type { SdpAnswerer } from './sdp-answerer.js';

/** Digest credentials the responder challenges for (RFC 3261 §22.2). */
export interface UasAuth {
  /** Username. */
  readonly username: string;
  /** Password. */
  readonly password: string;
  /** Realm (default `tsvoip`). */
  readonly realm?: string;
  /** Secret that signs nonces (32 random bytes in production). */
  readonly secret: Uint8Array;
}

/** Options of {@link UasResponder}. */
export interface UasResponderOptions {
  /** Contact header value of our responses, e.g. `<sip:uas@127.0.0.1:5080>`. */
  readonly contact: string;
  /** The SDP answerer. */
  readonly answerer: SdpAnswerer;
  /** Time between the 180 and the 200 (ms; default 0: both at once). */
  readonly ringMs?: number;
  /** Challenge INVITE and MESSAGE with digest auth. */
  readonly auth?: UasAuth;
  /** Random To tags: a per-process random prefix; a counter is appended (RFC 3261 §19.3: unique). */
  readonly tagPrefix: string;
  /** T1 / T2 (ms) of 2xx retransmissions (RFC 3261 §13.3.1.4); default 500 / 4000. */
  readonly t1?: number;
  /** See {@link UasResponderOptions.t1}. */
  readonly t2?: number;
  /** Logger (pino-compatible). */
  readonly logger: StackLogger;
  /** Log each call at debug level (only when the logger's level is debug). */
  readonly traceCalls?: boolean;
}

/** Counters of a responder. */
export interface UasStats {
  /** INVITEs answered 200. */
  answered: number;
  /** ACKs for our 2xx. */
  acked: number;
  /** BYEs answered 200. */
  byes: number;
  /** INVITEs cancelled (487). */
  cancelled: number;
  /** 401 challenges sent. */
  challenged: number;
  /** Requests rejected (481, 488, 415, 500). */
  rejected: number;
  /** Re-INVITEs answered. */
  reinvites: number;
  /** OPTIONS / MESSAGE / INFO answered. */
  other: number;
  /** 2xx retransmissions sent. */
  retransmissions: number;
  /** Calls ended because no ACK came within 64*T1. */
  noAck: number;
}

/** Counters all at zero. */
export function newUasStats(): UasStats {
  return {
    answered: 0,
    acked: 0,
    byes: 0,
    cancelled: 0,
    challenged: 0,
    rejected: 0,
    reinvites: 0,
    other: 0,
    retransmissions: 0,
    noAck: 0,
  };
}

type CallState = 'ringing' | 'answered' | 'confirmed';

/** One call (dialog) of the responder. */
interface Call {
  readonly callId: string;
  readonly localTag: string;
  state: CallState;
  /** Highest CSeq number seen from the peer (RFC 3261 §12.2.2). */
  remoteCSeq: number;
  /** The INVITE being answered (initial or re-INVITE) and its server transaction. */
  invite: SipMessage;
  inviteTx: string;
  /** The 2xx retransmitted until the ACK, its next interval and the give-up time. */
  answer: SipMessage | undefined;
  interval: number;
  giveUpAt: number;
  timer: Deadline<Call> | undefined;
}

const SDP = 'application/sdp';

/** The Contacts of a REGISTER's 200: the request's bindings echoed with their expiry (RFC 3261 §10.3 step 8). */
export function registerContacts(req: SipMessage): Array<readonly [string, string]> {
  const headers: Array<readonly [string, string]> = [];
  const expires = req.getHeader('Expires');
  for (const c of req.getHeaders('Contact'))
    headers.push([
      'Contact',
      expires !== undefined && !c.includes('expires=') ? `${c};expires=${expires}` : c,
    ]);
  return headers;
}

/** The transaction user answering calls for `tsvoip uas`. */
export class UasResponder {
  /** Counters. */
  readonly stats: UasStats = newUasStats();
  readonly #calls = new Map<string, Call>();
  readonly #queue = new DeadlineQueue<Call>();
  readonly #o: UasResponderOptions;
  readonly #headers: ReadonlyArray<readonly [string, string]>;
  readonly #ring: number;
  readonly #t1: number;
  readonly #t2: number;
  readonly #digest: DigestServer | undefined;
  readonly #lookup: Ha1Lookup | undefined;
  readonly #trace: boolean;
  #tagCounter = 0;

  /** Creates a responder. */
  constructor(options: UasResponderOptions) {
    this.#o = options;
    this.#headers = [['Contact', options.contact]];
    this.#ring = options.ringMs ?? 0;
    this.#t1 = options.t1 ?? 500;
    this.#t2 = options.t2 ?? 4000;
    this.#trace = options.traceCalls === true;
    const a = options.auth;
    if (a !== undefined) {
      const realm = a.realm ?? 'tsvoip';
      // sipp answers MD5 only (its [authentication] keyword).
      this.#digest = new DigestServer({ realm, secret: a.secret, algorithms: ['MD5'] });
      this.#lookup = createHa1Lookup(realm, [{ username: a.username, password: a.password }]);
    }
  }

  /** Live calls (ringing, answered or confirmed). */
  get callCount(): number {
    return this.#calls.size;
  }

  /** The earliest deadline of the responder (ms), Infinity when none. */
  nextDeadline(): number {
    return this.#queue.peek() ?? Infinity;
  }

  /** Runs what is due at `now` (ring timers, 2xx retransmissions, give-ups). */
  handleTimer(stack: SipStack, now: number): void {
    for (let c = this.#queue.popDue(now); c !== undefined; c = this.#queue.popDue(now)) {
      c.timer = undefined;
      if (c.state === 'ringing') this.#accept(stack, c, now);
      else if (c.answer !== undefined) this.#retransmit(stack, c, now);
    }
  }

  /** Handles one event of the stack core; answers through `stack` at `now`. */
  handleEvent(event: StackEvent, stack: SipStack, now: number): void {
    switch (event.type) {
      case 'request':
        this.#onRequest(event.request, event.transactionId, stack, now);
        return;
      case 'ack':
        this.#onAck(event.request);
        return;
      case 'cancel':
        this.#onCancel(event.request, stack, now);
        return;
      case 'timeout':
      case 'transport-error':
        this.#o.logger.debug({ transactionId: event.transactionId }, `stack reported ${event.type}`);
        return;
      default:
        return;
    }
  }

  #onRequest(req: SipMessage, tx: string, stack: SipStack, now: number): void {
    const callId = req.callId ?? '';
    const toTag = req.to?.tag;
    if (toTag !== undefined) {
      this.#inDialog(req, tx, callId, toTag, stack, now);
      return;
    }
    switch (req.method) {
      case 'INVITE':
        this.#onInvite(req, tx, callId, stack, now);
        return;
      case 'MESSAGE':
        if (!this.#authorized(req, tx, stack, now)) return;
        this.#respond(stack, tx, req, 200, now);
        this.stats.other++;
        return;
      case 'OPTIONS':
        this.#respond(stack, tx, req, 200, now);
        this.stats.other++;
        return;
      case 'REGISTER':
        // A test responder: every binding is accepted and echoed (RFC 3261 §10.3 step 8), nothing kept.
        stack.sendResponse(
          tx,
          createResponse(req, 200, undefined, { toTag: this.#tag(), headers: registerContacts(req) }),
          now,
        );
        this.stats.other++;
        return;
      default:
        // RFC 3261 §12.2.2: BYE, INFO... outside a dialog.
        this.#respond(stack, tx, req, 481, now);
        this.stats.rejected++;
    }
  }

  /** RFC 3261 §22.2: a request without valid credentials gets 401 with our challenge. */
  #authorized(req: SipMessage, tx: string, stack: SipStack, now: number): boolean {
    const digest = this.#digest;
    if (digest === undefined || this.#lookup === undefined) return true;
    const result = digest.verify(
      { method: req.method, uri: req.requestUri, authorization: req.getHeaders('Authorization') },
      now,
      this.#lookup,
    );
    if (result.ok) return true;
    const headers: Array<readonly [string, string]> = [];
    for (const c of result.challenges) headers.push([result.challengeHeader, c]);
    stack.sendResponse(
      tx,
      createResponse(req, result.statusCode, undefined, { toTag: this.#tag(), headers }),
      now,
    );
    this.stats.challenged++;
    if (result.reason !== 'missing')
      this.#o.logger.info(
        { callId: req.callId, reason: result.reason },
        `digest auth failed: ${result.detail}`,
      );
    return false;
  }

  #onInvite(req: SipMessage, tx: string, callId: string, stack: SipStack, now: number): void {
    if (!this.#authorized(req, tx, stack, now)) return;
    const localTag = this.#tag();
    const c: Call = {
      callId,
      localTag,
      state: 'ringing',
      remoteCSeq: req.cseq?.seq ?? 0,
      invite: req,
      inviteTx: tx,
      answer: undefined,
      interval: this.#t1,
      giveUpAt: 0,
      timer: undefined,
    };
    // A new INVITE reusing a Call-ID (e.g. after a 401) replaces the old call.
    const old = this.#calls.get(callId);
    if (old?.timer !== undefined) this.#queue.cancel(old.timer);
    this.#calls.set(callId, c);
    if (this.#trace) this.#o.logger.debug({ callId }, 'INVITE');
    // RFC 3261 §13.3.1.1: progress; the 180 creates the early dialog (§12.1.1).
    stack.sendResponse(
      tx,
      createResponse(req, 180, undefined, { toTag: localTag, copyRecordRoute: true, headers: this.#headers }),
      now,
    );
    if (this.#ring > 0) c.timer = this.#queue.schedule(now + this.#ring, c);
    else this.#accept(stack, c, now);
  }

  /** Sends the 200 to the pending INVITE (initial or re-INVITE) and starts its retransmissions. */
  #accept(stack: SipStack, c: Call, now: number): void {
    const req = c.invite;
    const body = this.#sessionBody(req);
    if (body === undefined) {
      // RFC 3261 §13.3.1.3 / §21.4.26: no acceptable session.
      stack.sendResponse(c.inviteTx, createResponse(req, 488, undefined, { toTag: c.localTag }), now);
      this.stats.rejected++;
      if (c.state === 'ringing') this.#calls.delete(c.callId);
      return;
    }
    const ok = createResponse(req, 200, undefined, {
      toTag: c.localTag,
      copyRecordRoute: true,
      headers: this.#headers,
      body,
      contentType: SDP,
    });
    stack.sendResponse(c.inviteTx, ok, now);
    if (c.state === 'ringing') this.stats.answered++;
    else this.stats.reinvites++;
    c.state = 'answered';
    // RFC 3261 §13.3.1.4: retransmit the 2xx at T1, doubling up to T2, until the ACK; give up at 64*T1.
    c.answer = ok;
    c.interval = this.#t1;
    c.giveUpAt = now + 64 * this.#t1;
    c.timer = this.#queue.schedule(now + this.#t1, c);
  }

  /** The answer to the INVITE's offer, or our offer when it had none; undefined: 488. */
  #sessionBody(req: SipMessage): Uint8Array | undefined {
    if (req.contentLength <= 0) return this.#o.answerer.offerBytes();
    const type = req.contentType;
    if (type !== undefined && type.mediaType !== SDP) return undefined;
    return this.#o.answerer.answerBytes(req.body);
  }

  #retransmit(stack: SipStack, c: Call, now: number): void {
    const answer = c.answer;
    if (answer === undefined) return;
    if (now >= c.giveUpAt) {
      // RFC 3261 §13.3.1.4: no ACK: the dialog ends (the RFC asks for a BYE; see the README's limits).
      this.stats.noAck++;
      this.#o.logger.warn({ callId: c.callId }, 'no ACK for the 2xx within 64*T1: call dropped');
      this.#calls.delete(c.callId);
      return;
    }
    if (stack.transactionState(c.inviteTx) !== undefined) stack.sendResponse(c.inviteTx, answer, now);
    else stack.handleInput({ type: 'send-stateless', message: answer }, now);
    this.stats.retransmissions++;
    c.interval = Math.min(2 * c.interval, this.#t2);
    c.timer = this.#queue.schedule(Math.min(now + c.interval, c.giveUpAt), c);
  }

  #onAck(ack: SipMessage): void {
    const c = this.#calls.get(ack.callId ?? '');
    if (c === undefined || c.answer === undefined || ack.to?.tag !== c.localTag) return;
    if ((ack.cseq?.seq ?? -1) !== c.invite.cseq?.seq) return;
    c.answer = undefined;
    if (c.timer !== undefined) this.#queue.cancel(c.timer);
    c.timer = undefined;
    c.state = 'confirmed';
    this.stats.acked++;
  }

  /** RFC 3261 §9.2: the stack answered the CANCEL 200; a still ringing INVITE gets 487. */
  #onCancel(cancel: SipMessage, stack: SipStack, now: number): void {
    const c = this.#calls.get(cancel.callId ?? '');
    if (c === undefined || c.state !== 'ringing') return;
    this.#end(c);
    stack.sendResponse(c.inviteTx, createResponse(c.invite, 487, undefined, { toTag: c.localTag }), now);
    this.stats.cancelled++;
  }

  #inDialog(req: SipMessage, tx: string, callId: string, toTag: string, stack: SipStack, now: number): void {
    const c = this.#calls.get(callId);
    if (c === undefined || c.localTag !== toTag) {
      this.#respond(stack, tx, req, 481, now);
      this.stats.rejected++;
      return;
    }
    // RFC 3261 §12.2.2: a lower or equal CSeq is out of order: 500.
    const seq = req.cseq?.seq ?? 0;
    if (seq <= c.remoteCSeq) {
      stack.sendResponse(tx, createResponse(req, 500, 'CSeq Out of Order'), now);
      this.stats.rejected++;
      return;
    }
    c.remoteCSeq = seq;
    switch (req.method) {
      case 'BYE':
        this.#respond(stack, tx, req, 200, now);
        if (c.state === 'ringing') {
          // RFC 3261 §15.1.2: a BYE in the early dialog: the INVITE is answered 487.
          stack.sendResponse(
            c.inviteTx,
            createResponse(c.invite, 487, undefined, { toTag: c.localTag }),
            now,
          );
        }
        this.#end(c);
        this.stats.byes++;
        if (this.#trace) this.#o.logger.debug({ callId }, 'BYE');
        return;
      case 'INVITE':
        if (c.state !== 'confirmed') {
          // RFC 3261 §14.2: an INVITE while ours is still unanswered or unACKed.
          stack.sendResponse(
            tx,
            createResponse(req, 500, undefined, { headers: [['Retry-After', '1']] }),
            now,
          );
          this.stats.rejected++;
          return;
        }
        c.invite = req;
        c.inviteTx = tx;
        this.#accept(stack, c, now);
        return;
      default:
        this.#respond(stack, tx, req, 200, now);
        this.stats.other++;
    }
  }

  #respond(stack: SipStack, tx: string, req: SipMessage, status: number, now: number): void {
    stack.sendResponse(
      tx,
      createResponse(req, status, undefined, { toTag: req.to?.tag === undefined ? this.#tag() : undefined }),
      now,
    );
  }

  #end(c: Call): void {
    if (c.timer !== undefined) this.#queue.cancel(c.timer);
    c.timer = undefined;
    c.answer = undefined;
    this.#calls.delete(c.callId);
  }

  #tag(): string {
    return this.#o.tagPrefix + (++this.#tagCounter).toString(36);
  }
}
