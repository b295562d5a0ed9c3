/**
 * The two retransmission duties of an INVITE UAS above the transaction layer: the 2xx until its
 * ACK (RFC 3261 §13.3.1.4) and reliable provisional responses until their PRACK (RFC 3262 §3).
 */
import type { SipMessage } from '@tsvoip/sip';
import type { TimerHandle, UsageHost } from '../ua/host.js';

/** Sends a response on its transaction while the stack holds it, statelessly afterwards. */
function resend(host: UsageHost, transactionId: string, response: SipMessage): void {
  if (host.hasTransaction(transactionId)) host.sendResponse(transactionId, response);
  else host.sendStateless(response);
}

/**
 * RFC 3261 §13.3.1.4: the UAS core retransmits the 2xx at T1, doubling up to T2, until the ACK;
 * after 64*T1 without ACK the session is ended with a BYE (`onGiveUp`).
 */
export class AnswerRetransmitter {
  /** CSeq number of the INVITE answered (the ACK carries it). */
  readonly cseq: number;
  readonly #host: UsageHost;
  readonly #transactionId: string;
  readonly #response: SipMessage;
  readonly #onGiveUp: () => void;
  #interval: number;
  #timer: TimerHandle | undefined;
  #deadline: number;

  /** Starts retransmitting `response` (already sent once). */
  constructor(host: UsageHost, transactionId: string, response: SipMessage, onGiveUp: () => void) {
    this.#host = host;
    this.#transactionId = transactionId;
    this.#response = response;
    this.cseq = response.cseq?.seq ?? 0;
    this.#onGiveUp = onGiveUp;
    this.#interval = host.timers.t1;
    this.#deadline = host.now + 64 * host.timers.t1;
    this.#arm(host.now);
  }

  /** True while no ACK came. */
  get active(): boolean {
    return this.#timer !== undefined;
  }

  #arm(now: number): void {
    const at = Math.min(now + this.#interval, this.#deadline);
    this.#timer = this.#host.schedule(at, (t) => this.#fire(t));
  }

  #fire(now: number): void {
    this.#timer = undefined;
    if (now >= this.#deadline) {
      // RFC 3261 §13.3.1.4: no ACK after 64*T1: confirm the dialog and end the session with BYE.
      this.#onGiveUp();
      return;
    }
    resend(this.#host, this.#transactionId, this.#response);
    this.#interval = Math.min(2 * this.#interval, this.#host.timers.t2);
    this.#arm(now);
  }

  /** An ACK arrived: stop when it is for this 2xx (same CSeq number). Returns true when it was. */
  ack(cseq: number): boolean {
    if (cseq !== this.cseq || this.#timer === undefined) return false;
    this.stop();
    return true;
  }

  /** Stops retransmitting. */
  stop(): void {
    this.#host.cancelTimer(this.#timer);
    this.#timer = undefined;
  }
}

/** A parsed RAck header (RFC 3262 §7.2): RSeq, CSeq number and method of the provisional. */
export interface RAck {
  /** The RSeq acknowledged. */
  readonly rseq: number;
  /** CSeq number of the request the provisional answered. */
  readonly cseq: number;
  /** Its method. */
  readonly method: string;
}

/** Parses `RAck: 776656 1 INVITE`; undefined when malformed. */
export function parseRAck(value: string | undefined): RAck | undefined {
  if (value === undefined) return undefined;
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 3) return undefined;
  const rseq = Number(parts[0]);
  const cseq = Number(parts[1]);
  if (!Number.isInteger(rseq) || !Number.isInteger(cseq) || rseq < 0 || cseq < 0) return undefined;
  return { rseq, cseq, method: parts[2].toUpperCase() };
}

/** RFC 3262 §7.1: RSeq is 1 to 2^32-1; the first one is random in 1 … 2^31-1 (§3). */
export function initialRSeq(random: () => number): number {
  return 1 + Math.floor(random() * 0x7ffffffe);
}

/**
 * RFC 3262 §3: reliable provisional responses of one INVITE at the UAS. Each carries Require:
 * 100rel and an RSeq one higher than the last; it is retransmitted at T1, doubling (no cap is
 * given by the RFC; we cap at T2 like other responses), until a PRACK with a matching RAck; after
 * 64*T1 without PRACK `onTimeout` rejects the INVITE (§3: with a 5xx). Only one is outstanding
 * at a time: later ones wait their turn (§3).
 */
export class ReliableProvisionals {
  readonly #host: UsageHost;
  readonly #transactionId: string;
  readonly #onTimeout: () => void;
  #nextRSeq: number;
  #pending:
    | {
        rseq: number;
        response: SipMessage;
        interval: number;
        deadline: number;
        timer: TimerHandle | undefined;
      }
    | undefined;
  readonly #queue: SipMessage[] = [];
  /** Provisionals whose retransmission a final response stopped before their PRACK came. */
  readonly #stopped = new Map<number, SipMessage>();

  /** Creates the tracker for one INVITE server transaction. */
  constructor(host: UsageHost, transactionId: string, onTimeout: () => void) {
    this.#host = host;
    this.#transactionId = transactionId;
    this.#onTimeout = onTimeout;
    this.#nextRSeq = initialRSeq(() => host.random());
  }

  /** True while a reliable provisional waits for its PRACK. */
  get outstanding(): boolean {
    return this.#pending !== undefined;
  }

  /** Sends (or queues) a provisional reliably: adds Require: 100rel and RSeq. */
  send(response: SipMessage): void {
    response.addHeader('Require', '100rel');
    if (this.#pending !== undefined) {
      this.#queue.push(response);
      return;
    }
    this.#start(response);
  }

  #start(response: SipMessage): void {
    const rseq = this.#nextRSeq++;
    response.setHeader('RSeq', String(rseq));
    const now = this.#host.now;
    const t1 = this.#host.timers.t1;
    this.#pending = { rseq, response, interval: t1, deadline: now + 64 * t1, timer: undefined };
    this.#host.sendResponse(this.#transactionId, response);
    this.#pending.timer = this.#host.schedule(now + t1, (t) => this.#fire(t));
  }

  #fire(now: number): void {
    const p = this.#pending;
    if (p === undefined) return;
    p.timer = undefined;
    if (now >= p.deadline) {
      this.stop();
      this.#onTimeout();
      return;
    }
    // RFC 3262 §3: retransmit with an interval starting at T1 and doubling.
    if (this.#host.hasTransaction(this.#transactionId))
      this.#host.sendResponse(this.#transactionId, p.response);
    p.interval = Math.min(2 * p.interval, this.#host.timers.t2);
    p.timer = this.#host.schedule(Math.min(now + p.interval, p.deadline), (t) => this.#fire(t));
  }

  /**
   * RFC 3262 §3: a PRACK whose RAck matches the outstanding provisional (RSeq, CSeq number,
   * method) acknowledges it; returns that provisional, or undefined when it matches none (481).
   */
  prack(rack: RAck, inviteCSeq: number): SipMessage | undefined {
    const p = this.#pending;
    if (rack.cseq !== inviteCSeq || rack.method !== 'INVITE') return undefined;
    if (p === undefined || rack.rseq !== p.rseq) {
      // A PRACK that crossed our final response still acknowledges what we sent (not a 481).
      const late = this.#stopped.get(rack.rseq);
      this.#stopped.delete(rack.rseq);
      return late;
    }
    this.#host.cancelTimer(p.timer);
    this.#pending = undefined;
    const next = this.#queue.shift();
    if (next !== undefined) this.#start(next);
    return p.response;
  }

  /** Stops retransmitting (a final response was sent). */
  stop(): void {
    if (this.#pending !== undefined) {
      this.#host.cancelTimer(this.#pending.timer);
      this.#stopped.set(this.#pending.rseq, this.#pending.response);
    }
    this.#pending = undefined;
    this.#queue.length = 0;
  }
}
