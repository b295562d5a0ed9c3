/**
 * The softphone behind `tsvoip phone`: one user agent of `@tsvoip/session`, at most one call at a
 * time (a second incoming call gets 486), call progress printed line by line, the `--play`,
 * `--record`, `--dtmf` and `--duration` plan run on every answered call, and the call's
 * statistics printed when it ends.
 * @module
 */
import { EventEmitter } from 'node:events';
import type { Call, CallStats, IncomingCall, UserAgent, UserAgentDependencies } from '@tsvoip/session';
import { CallFailedError, createUserAgent } from '@tsvoip/session';
import { PhoneStateError } from './errors.js';
import type { PhoneOptions } from './options.js';
import { userAgentConfig } from './options.js';
import { type CallSummary, formatSummary, formatSummaryJson, summarizeCall } from './report.js';
import type { PhoneAudio } from './wav-input.js';

/** What to do on every answered call. */
export interface CallPlan {
  /** Audio to play once answered (already read and mixed to mono). */
  readonly play?: PhoneAudio;
  /** WAV file to record what we hear to. */
  readonly record?: string;
  /** DTMF digits to send once answered. */
  readonly dtmf?: string;
  /** Hang up this long after the answer, ms. */
  readonly durationMs?: number;
  /** Answer incoming calls at once. */
  readonly autoAnswer: boolean;
}

/** Events of a {@link Softphone}. */
export type SoftphoneEvents = {
  /** A call ended; its statistics. */
  'call-ended': [summary: CallSummary, reason: string];
  /** An incoming call waits for `answer()` or `reject()`. */
  incoming: [call: IncomingCall];
};

/** How often the statistics of a running call are sampled (they are gone once its media stops). */
const STATS_SAMPLE_MS = 250;

/**
 * `--dtmf` waits this long after the answer: digits sent in the first few packets of a stream
 * lose all but the first at the far end of a @tsvoip/session stream (seen 4 times in 10 with two
 * user agents on loopback; none with a 300 ms wait), and a far end may still be starting its media.
 */
const DTMF_AFTER_ANSWER_MS = 500;

/** How long a cancelled dial waits for the far end's 487 before giving up on it, ms. */
const CANCEL_GRACE_MS = 2000;

/** Resolves undefined `graceMs` after `signal` aborted (never if it does not). */
function givenUp(signal: AbortSignal, graceMs: number): Promise<undefined> {
  return new Promise((resolve) => {
    const later = () => setTimeout(() => resolve(undefined), graceMs).unref();
    if (signal.aborted) later();
    else signal.addEventListener('abort', later, { once: true });
  });
}

/** A one-call softphone on a user agent. Create it with {@link Softphone.create}. */
export class Softphone extends EventEmitter<SoftphoneEvents> {
  /** The user agent. */
  readonly ua: UserAgent;
  readonly #print: (line: string) => void;
  readonly #plan: CallPlan;
  #call: Call | undefined = undefined;
  #incoming: IncomingCall | undefined = undefined;
  #dialing: AbortController | undefined = undefined;
  #closed = false;
  #lastStats: CallStats | undefined = undefined;

  private constructor(ua: UserAgent, plan: CallPlan, print: (line: string) => void) {
    super();
    this.ua = ua;
    this.#plan = plan;
    this.#print = print;
    ua.on('incoming', (c) => this.#onIncoming(c));
    ua.on('transferred', (_from, to) => {
      this.#print(`transferred: new call to ${to.remoteIdentity}`);
      this.#adopt(to);
    });
  }

  /** Binds the user agent for `options` (SIP socket; RTP ports are taken per call). */
  static async create(
    options: PhoneOptions,
    plan: CallPlan,
    print: (line: string) => void,
    deps: UserAgentDependencies = {},
  ): Promise<Softphone> {
    const ua = await createUserAgent(userAgentConfig(options), deps);
    return new Softphone(ua, plan, print);
  }

  /** The answered call, if any. */
  get call(): Call | undefined {
    return this.#call;
  }

  /** The incoming call waiting for an answer, if any. */
  get incoming(): IncomingCall | undefined {
    return this.#incoming;
  }

  /** Registers at the registrar; resolves with the granted expiry (s). */
  async register(): Promise<number> {
    const expires = await this.ua.register();
    this.#print(`registered ${this.ua.config.uri} (expires ${expires} s)`);
    return expires;
  }

  /**
   * Calls `target`; resolves with the answered call. Rejects with `CallFailedError` (a final
   * status, a timeout, or `signal` aborted: CANCEL, 487).
   */
  async dial(target: string, signal?: AbortSignal): Promise<Call> {
    if (this.#call !== undefined || this.#dialing !== undefined)
      throw new PhoneStateError('dial', 'a call is already in progress');
    const abort = new AbortController();
    const onAbort = () => abort.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#dialing = abort;
    this.#print(`calling ${target}`);
    try {
      const placed = this.ua.call(target, {
        signal: abort.signal,
        onProgress: (status, reason) => this.#print(`progress ${status} ${reason}`),
        onEarlyMedia: () => this.#print('early media'),
      });
      const call = await Promise.race([placed, givenUp(abort.signal, CANCEL_GRACE_MS)]);
      if (call === undefined) {
        // RFC 3261 §9.1: no CANCEL before a provisional response, so an INVITE nobody answers
        // lives until Timer B. We stop waiting; a late answer is hung up at once.
        placed.then(
          (late) => void late.hangup(),
          () => undefined,
        );
        throw new CallFailedError(487, 'Request Terminated', { aborted: true });
      }
      this.#adopt(call);
      return call;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.#dialing = undefined;
    }
  }

  /** Answers the waiting incoming call; resolves with the call once the ACK arrived. */
  async answer(): Promise<Call> {
    const incoming = this.#incoming;
    if (incoming === undefined) throw new PhoneStateError('answer', 'no incoming call');
    this.#incoming = undefined;
    const call = await incoming.accept();
    this.#adopt(call);
    return call;
  }

  /** Rejects the waiting incoming call (default 486 Busy Here). */
  reject(status = 486): void {
    const incoming = this.#incoming;
    if (incoming === undefined) throw new PhoneStateError('reject', 'no incoming call');
    this.#incoming = undefined;
    incoming.reject(status);
    this.#print(`rejected ${status}`);
  }

  /** Ends the call (BYE), cancels the call being dialed, or rejects the waiting one (603). */
  async hangup(): Promise<void> {
    if (this.#call !== undefined) {
      // The media stops with the call: keep its last figures for the summary.
      this.#sampleStats(this.#call);
      return this.#call.hangup();
    }
    if (this.#dialing !== undefined)
      return void this.#dialing.abort(new PhoneStateError('hangup', 'cancelled'));
    if (this.#incoming !== undefined) return this.reject(603);
    throw new PhoneStateError('hangup', 'no call');
  }

  /** Puts the call on hold (re-INVITE, sendonly). */
  async hold(): Promise<void> {
    await this.#active('hold').hold();
    this.#print('on hold');
  }

  /** Resumes the call (re-INVITE, sendrecv). */
  async resume(): Promise<void> {
    await this.#active('resume').resume();
    this.#print('resumed');
  }

  /** Sends DTMF digits (RFC 4733, or INFO when not negotiated). */
  async dtmf(digits: string): Promise<void> {
    await this.#active('dtmf').sendDtmf(digits);
    this.#print(`dtmf sent: ${digits}`);
  }

  /** Blind transfer of the far end to `target` (REFER); resolves on the final NOTIFY 2xx. */
  async transfer(target: string): Promise<void> {
    await this.#active('transfer').transfer(target);
    this.#print(`transferred to ${target}`);
  }

  /** Lines describing the phone and its call. */
  status(): string[] {
    const lines = [
      `account ${this.ua.config.uri}, SIP on udp:${this.ua.address.host}:${this.ua.address.port}`,
    ];
    const reg = this.ua.registration;
    if (reg !== undefined) lines.push(`registration: ${reg.registered ? 'registered' : 'not registered'}`);
    if (this.#incoming !== undefined) lines.push(`incoming call from ${this.#incoming.from}`);
    if (this.#dialing !== undefined) lines.push('dialing');
    const c = this.#call;
    if (c === undefined) lines.push('no call');
    else {
      const s = c.stats();
      lines.push(
        `call ${c.direction} ${c.remoteIdentity}: ${s.state}${c.onHold ? ', on hold' : ''}${
          c.remoteOnHold ? ', held by the far end' : ''
        }, ${s.codec ?? '-'} ${s.direction ?? ''}${s.srtp ? ' SRTP' : ''}, ${(s.durationMs / 1000).toFixed(1)} s`,
      );
      if (s.media !== undefined)
        lines.push(
          `media: sent ${s.media.packetsSent}, received ${s.media.packetsReceived}, lost ${s.media.packetsLost}, jitter ${s.media.jitterMs.toFixed(1)} ms, MOS ${s.media.mos.toFixed(2)}`,
        );
    }
    return lines;
  }

  /** Resolves with the summary of the next call to end. */
  nextCallEnded(): Promise<{ summary: CallSummary; reason: string }> {
    return new Promise((resolve) =>
      this.once('call-ended', (summary, reason) => resolve({ summary, reason })),
    );
  }

  /** Hangs up, unregisters, closes sockets. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#dialing?.abort(new PhoneStateError('close', 'closing'));
    if (this.#incoming?.state === 'pending') this.#incoming.reject(480);
    if (this.#call !== undefined) this.#sampleStats(this.#call);
    await this.ua.close();
  }

  #sampleStats(call: Call): void {
    if (call.state !== 'ended' && call === this.#call) this.#lastStats = call.stats();
  }

  #active(command: string): Call {
    const c = this.#call;
    if (c === undefined || c.state !== 'active') throw new PhoneStateError(command, 'no answered call');
    return c;
  }

  #onIncoming(incoming: IncomingCall): void {
    if (this.#call !== undefined || this.#incoming !== undefined || this.#dialing !== undefined) {
      incoming.reject(486);
      this.#print(`busy: rejected a call from ${incoming.from}`);
      return;
    }
    this.#incoming = incoming;
    this.#print(`incoming call from ${incoming.from}`);
    incoming.once('cancelled', () => {
      if (this.#incoming === incoming) this.#incoming = undefined;
      this.#print('incoming call cancelled');
    });
    this.emit('incoming', incoming);
    if (this.#plan.autoAnswer)
      this.answer().catch((e: unknown) => this.#print(`answer failed: ${(e as Error).message}`));
  }

  /** Takes an answered call: prints its events, runs the plan, prints its statistics at the end. */
  #adopt(call: Call): void {
    this.#call = call;
    const cfg = call.mediaConfig;
    this.#print(
      `answered: ${cfg?.codecs[0]?.name ?? '?'} ${cfg?.direction ?? ''}${cfg?.srtp ? ' SRTP' : ''}`,
    );
    let digits = '';
    this.#lastStats = call.stats();
    const sample = setInterval(() => this.#sampleStats(call), STATS_SAMPLE_MS);
    sample.unref();
    call.on('dtmf', (digit, via) => {
      digits += digit;
      this.#print(`dtmf received: ${digit} (${via})`);
    });
    call.on('remote-hold', (held) => this.#print(held ? 'held by the far end' : 'resumed by the far end'));
    call.on('media-updated', (c) =>
      this.#print(`media updated: ${c.codecs[0]?.name ?? '?'} ${c.direction}${c.srtp ? ' SRTP' : ''}`),
    );
    call.on('transfer-progress', (status, reason) => this.#print(`transfer: ${status} ${reason}`));
    const plan = this.#plan;
    if (plan.record !== undefined) call.record(plan.record);
    if (plan.play !== undefined)
      call
        .play(plan.play.samples, { sampleRate: plan.play.sampleRate })
        .catch((e: unknown) => this.#print(`play failed: ${(e as Error).message}`));
    const dtmfTimer =
      plan.dtmf === undefined
        ? undefined
        : setTimeout(() => {
            const d = plan.dtmf ?? '';
            this.dtmf(d).catch((e: unknown) => this.#print(`dtmf failed: ${(e as Error).message}`));
          }, DTMF_AFTER_ANSWER_MS);
    const timer =
      plan.durationMs === undefined
        ? undefined
        : setTimeout(() => {
            this.#print('duration reached: hanging up');
            this.hangup().catch((e: unknown) => this.#print(`hangup failed: ${(e as Error).message}`));
          }, plan.durationMs);
    void call.ended().then((reason) => {
      clearInterval(sample);
      clearTimeout(timer);
      clearTimeout(dtmfTimer);
      if (this.#call === call) this.#call = undefined;
      const last = this.#lastStats ?? call.stats();
      const summary = summarizeCall({ ...last, state: 'ended', durationMs: call.stats().durationMs }, digits);
      this.#print(`call ended: ${reason}`);
      this.#print(formatSummary(summary));
      this.#print(formatSummaryJson(summary));
      this.emit('call-ended', summary, reason);
    });
  }
}
