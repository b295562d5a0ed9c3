/**
 * A call: one INVITE dialog usage of `@tsvoip/stack` and one media stream of `../media`, kept
 * in step through offer/answer (RFC 3264): our hold/resume re-INVITEs, the far end's re-INVITE or
 * UPDATE (codec change, hold, session refresh) applied to the running stream without stopping it,
 * DTMF (RFC 4733, INFO fallback), transfer (RFC 3515 REFER, RFC 3891 Replaces), audio I/O.
 * @module
 */
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import type { MediaDirection } from '@tsvoip/sdp';
import type { IncomingRefer, InviteSession, OutgoingInvite, ServerRequest } from '@tsvoip/stack';
import type { AudioFrame, WavRecorder } from '../media/audio-io.js';
import type { MediaSessionConfig } from '../media/media-config.js';
import type { MediaStatistics } from '../media/media-types.js';
import type { NodeMediaStream } from '../media/node-media-stream.js';
import { buildAnswer, buildOffer, type CallSdpContext, configFromAnswer } from './call-sdp.js';
import type { UserAgentCodec } from './config.js';
import { DTMF_RELAY_TYPE, formatDtmfRelay, isDtmfDigit, parseDtmfRelay } from './dtmf-relay.js';
import { CallStateError, ModifyFailedError, TransferFailedError } from './errors.js';

/** What a call needs from its user agent. */
export interface CallHost {
  /** Runs a signaling command at the current time and sends what it produced. */
  run<T>(command: () => T): T;
  /** Our address-of-record (Referred-By). */
  readonly aor: string;
  /** A REFER arrived in this call (RFC 3515). */
  onRefer(call: Call, refer: IncomingRefer): void;
  /** Logs a problem once, with the call's id. */
  warn(callId: string, message: string, error?: unknown): void;
}

/** `calling` (outgoing, not answered), `early` (early media), `active`, `ended`. */
export type CallState = 'calling' | 'early' | 'active' | 'ended';

/** Events of a {@link Call}. */
export type CallEvents = {
  /** Early media started (an answer in a provisional response). */
  'early-media': [];
  /** The call was answered (2xx, ACK). */
  answered: [];
  /** A DTMF digit was received (RFC 4733 telephone-event, or INFO application/dtmf-relay). */
  dtmf: [digit: string, via: 'rfc4733' | 'info'];
  /** The far end put us on hold (true) or resumed (false). */
  'remote-hold': [held: boolean];
  /** Offer/answer changed the media (codec, address, direction, keys); audio keeps flowing. */
  'media-updated': [config: MediaSessionConfig];
  /** The session timer was refreshed (RFC 4028), interval in seconds. */
  refreshed: [interval: number];
  /** A transfer we asked for progressed (NOTIFY sipfrag status, RFC 3515 §2.4.5). */
  'transfer-progress': [status: number, reason: string];
  /** The call ended. */
  ended: [reason: string];
};

/** Figures of a call. */
export interface CallStats {
  /** State. */
  readonly state: CallState;
  /** Since the answer, ms (0 before). */
  readonly durationMs: number;
  /** The codec we send. */
  readonly codec: string | undefined;
  /** Our media direction. */
  readonly direction: MediaDirection | undefined;
  /** SRTP in use. */
  readonly srtp: boolean;
  /** Media statistics (packets, loss, jitter, RTT, jitter buffer, MOS); after the end, as they were at hangup. */
  readonly media: MediaStatistics | undefined;
}

interface Pending {
  readonly command: string;
  resolve(): void;
  reject(e: Error): void;
}

/** One call with audio. Calls come from `ua.call()` and `incoming.accept()`. */
export class Call extends EventEmitter<CallEvents> {
  /** Call-ID. */
  readonly id: string;
  /** `outgoing` (we sent the INVITE) or `incoming`. */
  readonly direction: 'outgoing' | 'incoming';
  /** The other party (From or To header value). */
  readonly remoteIdentity: string;
  /** The media stream (sockets, audio I/O). */
  readonly stream: NodeMediaStream;
  readonly #host: CallHost;
  #sdp: CallSdpContext;
  #session: InviteSession | undefined = undefined;
  #invite: OutgoingInvite | undefined;
  #state: CallState;
  #config: MediaSessionConfig | undefined = undefined;
  #localDirection: MediaDirection = 'sendrecv';
  #remoteHeld = false;
  #pending: Pending | undefined = undefined;
  #answeredAt = 0;
  #endedAt = 0;
  /** The media statistics taken when the call ended (the stream is stopped after). */
  #finalMedia: MediaStatistics | undefined = undefined;
  #audioOut: Writable | undefined = undefined;
  #ended: Promise<string>;
  /** The end in progress or done (see {@link Call.hangup}). */
  #ending: Promise<void> | undefined = undefined;
  #markEnded!: (reason: string) => void;

  /** @internal Created by the user agent. */
  constructor(
    host: CallHost,
    init: {
      id: string;
      direction: 'outgoing' | 'incoming';
      remoteIdentity: string;
      stream: NodeMediaStream;
      sdp: CallSdpContext;
      invite?: OutgoingInvite;
    },
  ) {
    super();
    this.#host = host;
    this.id = init.id;
    this.direction = init.direction;
    this.remoteIdentity = init.remoteIdentity;
    this.stream = init.stream;
    this.#sdp = init.sdp;
    this.#invite = init.invite;
    this.#state = init.direction === 'outgoing' ? 'calling' : 'early';
    this.#ended = new Promise((resolve) => {
      this.#markEnded = resolve;
    });
    this.stream.onEvent((e) => {
      if (e.type === 'dtmf') this.emit('dtmf', e.digit, 'rfc4733');
    });
  }

  // ---- getters ------------------------------------------------------------------------------

  /** The state. */
  get state(): CallState {
    return this.#state;
  }

  /** The INVITE session (dialog), once there is one. */
  get session(): InviteSession | undefined {
    return this.#session;
  }

  /** The media configuration in force. */
  get mediaConfig(): MediaSessionConfig | undefined {
    return this.#config;
  }

  /** True while we hold the call. */
  get onHold(): boolean {
    return this.#localDirection !== 'sendrecv';
  }

  /** True while the far end holds the call. */
  get remoteOnHold(): boolean {
    return this.#remoteHeld;
  }

  /** Resolves with the reason when the call ends. */
  ended(): Promise<string> {
    return this.#ended;
  }

  // ---- wiring (user agent) ------------------------------------------------------------------

  /** @internal Binds the INVITE session (early or confirmed). */
  attach(session: InviteSession): void {
    if (this.#session === session) return;
    this.#session = session;
    session.on('answer', (body) => this.#onAnswer(body));
    session.on('reinvite', (sr, offer) => this.#onModify(sr, offer, true));
    session.on('update', (sr, offer) => this.#onModify(sr, offer, false));
    session.on('info', (sr) => this.#onInfo(sr));
    session.on('refer', (refer) => this.#host.onRefer(this, refer));
    session.on('refreshed', (interval) => this.emit('refreshed', interval));
    session.on('modify-failed', (r) => {
      const p = this.#pending;
      this.#pending = undefined;
      p?.reject(new ModifyFailedError(p.command, r.status, r.reason));
    });
    session.on('terminated', (reason) => void this.#end(reason));
  }

  /** @internal Applies a negotiated configuration: starts the stream, or updates it in place. */
  applyMedia(config: MediaSessionConfig, early = false): void {
    const first = this.#config === undefined;
    this.#config = config;
    if (first) this.stream.start(config);
    else this.stream.update(config);
    // RFC 3264 §8.4: the far end holds us when it stops receiving (we may only receive, or nothing).
    const held =
      this.#localDirection === 'sendrecv' &&
      (config.direction === 'recvonly' || config.direction === 'inactive');
    if (held !== this.#remoteHeld) {
      this.#remoteHeld = held;
      this.emit('remote-hold', held);
    }
    if (first && early) {
      this.#state = 'early';
      this.emit('early-media');
    } else if (!first) this.emit('media-updated', config);
  }

  /** @internal The 2xx/ACK exchange completed. */
  markAnswered(now: number): void {
    if (this.#state === 'ended') return;
    this.#state = 'active';
    this.#invite = undefined;
    this.#answeredAt = now;
    this.emit('answered');
  }

  /** @internal Media from an answer in a provisional response or a 2xx (UAC). */
  applyAnswer(offer: string, answer: string, early: boolean): void {
    this.applyMedia(configFromAnswer(offer, answer), early);
  }

  // ---- offer/answer with the far end --------------------------------------------------------

  #onAnswer(body: string): void {
    const offer = this.#session?.offerAnswer.localDescription;
    const p = this.#pending;
    this.#pending = undefined;
    try {
      if (offer === undefined) throw new TypeError('an answer without our offer');
      this.applyMedia(configFromAnswer(offer, body));
      p?.resolve();
    } catch (e) {
      this.#host.warn(this.id, 'unusable SDP answer', e);
      p?.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** A re-INVITE (RFC 3261 §14.2) or UPDATE (RFC 3311 §5.2) from the far end. */
  #onModify(sr: ServerRequest, offer: string | undefined, isInvite: boolean): void {
    const previous = this.#session?.offerAnswer.localDescription;
    if (offer === undefined) {
      // No offer: a session refresh (RFC 4028) or an offerless re-INVITE (we offer in the 2xx, answer in ACK).
      if (isInvite) sr.accept({ body: buildOffer(this.#sdp, this.#localDirection, previous) });
      else sr.accept();
      return;
    }
    try {
      const { answer, config } = buildAnswer(this.#sdp, offer, this.#localDirection, previous);
      this.applyMedia(config);
      sr.accept({ body: answer });
    } catch (e) {
      // RFC 3261 §14.2 / RFC 6337 §3.4: an offer we cannot take is refused; the session goes on.
      this.#host.warn(this.id, 'refused a re-offer', e);
      sr.reject(488);
    }
  }

  #onInfo(sr: ServerRequest): void {
    const type = sr.request.getHeader('Content-Type') ?? '';
    if (type.toLowerCase().startsWith(DTMF_RELAY_TYPE)) {
      const d = parseDtmfRelay(sr.body);
      if (d === undefined) return void sr.reject(400, { reason: 'Bad dtmf-relay body' });
      sr.accept();
      this.emit('dtmf', d.signal, 'info');
      return;
    }
    sr.accept();
  }

  #activeSession(command: string): InviteSession {
    const s = this.#session;
    if (s === undefined || this.#state !== 'active') throw new CallStateError(command, this.#state);
    return s;
  }

  #modify(command: string, direction: MediaDirection): Promise<void> {
    const session = this.#activeSession(command);
    if (this.#pending !== undefined) throw new CallStateError(command, `${this.#pending.command} pending`);
    const previousDirection = this.#localDirection;
    this.#localDirection = direction;
    return new Promise<void>((resolve, reject) => {
      this.#pending = {
        command,
        resolve,
        reject: (e) => {
          this.#localDirection = previousDirection;
          reject(e);
        },
      };
      try {
        const offer = buildOffer(this.#sdp, direction, session.offerAnswer.localDescription);
        this.#host.run(() => session.reinvite(offer));
      } catch (e) {
        this.#pending = undefined;
        this.#localDirection = previousDirection;
        reject(e);
      }
    });
  }

  // ---- commands -----------------------------------------------------------------------------

  /**
   * Puts the call on hold: a re-INVITE offering `sendonly` (or `inactive`), RFC 3264 §8.4.
   * Resolves once the far end answered; our audio stops going out.
   */
  hold(direction: 'sendonly' | 'inactive' = 'sendonly'): Promise<void> {
    return this.#modify('hold', direction);
  }

  /** Takes the call off hold: a re-INVITE offering `sendrecv`. */
  resume(): Promise<void> {
    return this.#modify('resume', 'sendrecv');
  }

  /**
   * Sends DTMF digits: RFC 4733 telephone-events when negotiated, else one INFO
   * `application/dtmf-relay` per digit, each after the previous one was answered.
   */
  async sendDtmf(digits: string, durationMs = 100): Promise<void> {
    const session = this.#activeSession('sendDtmf');
    const upper = digits.toUpperCase();
    for (const d of upper) if (!isDtmfDigit(d)) throw new RangeError(`not a DTMF digit: ${d}`);
    if (this.#config?.telephoneEvent !== undefined) {
      this.stream.sendDtmf(upper);
      return;
    }
    for (const signal of upper) {
      const status = await new Promise<number>((resolve) => {
        const cr = this.#host.run(() =>
          session.info(formatDtmfRelay({ signal, durationMs }), DTMF_RELAY_TYPE),
        );
        cr.on('response', (r) => resolve(r.status));
      });
      if (status >= 300) throw new ModifyFailedError('sendDtmf (INFO)', status, 'INFO refused');
    }
  }

  /** Blind transfer (RFC 3515): REFER the far end to `target`; resolves on the final NOTIFY 2xx. */
  transfer(target: string): Promise<void> {
    const session = this.#activeSession('transfer');
    return this.#refer(() => session.refer(target, { referredBy: `<${this.#host.aor}>` }));
  }

  /**
   * Attended transfer (RFC 5589 §7): REFER the far end of this call to the far end of `other`,
   * with Replaces naming `other`'s dialog (RFC 3891), so it takes that call's place.
   */
  attendedTransfer(other: Call): Promise<void> {
    const session = this.#activeSession('attendedTransfer');
    const o = other.#activeSession('attendedTransfer');
    const d = o.dialog;
    // RFC 3891 §3: to-tag is the recipient's local tag, i.e. our remote tag in that dialog.
    const replaces = { callId: d.callId, toTag: d.remoteTag, fromTag: d.localTag, earlyOnly: false };
    return this.#refer(() => session.refer(d.remoteTarget, { replaces, referredBy: `<${this.#host.aor}>` }));
  }

  #refer(send: () => ReturnType<InviteSession['refer']>): Promise<void> {
    return new Promise((resolve, reject) => {
      const refer = this.#host.run(send);
      refer.on('progress', (status, reason) => this.emit('transfer-progress', status, reason));
      refer.on('done', (status, reason) => {
        if (status >= 200 && status < 300) resolve();
        else reject(new TransferFailedError(status, reason));
      });
    });
  }

  /**
   * Re-offers the stream with other codecs (a re-INVITE, RFC 3264 §8.3.2), e.g. to move from
   * G.711 to G.722 mid-call; audio keeps flowing across the change.
   */
  changeCodecs(codecs: readonly UserAgentCodec[]): Promise<void> {
    const previous = this.#sdp;
    this.#sdp = { ...previous, media: { ...previous.media, codecs: [...codecs] } };
    return this.#modify('changeCodecs', this.#localDirection).catch((e: unknown) => {
      this.#sdp = previous;
      throw e;
    });
  }

  /** Mutes (true) or unmutes our outgoing audio (silence is sent instead). */
  mute(muted = true): void {
    this.stream.setMuted(muted);
  }

  /** Plays a WAV file path, PCM buffer or (async) iterable of PCM frames; resolves once sent. */
  play(
    source: string | Int16Array | AsyncIterable<Int16Array> | Iterable<Int16Array>,
    options: { sampleRate?: number } = {},
  ): Promise<void> {
    return this.stream.play(source, options);
  }

  /** Records what we hear to a WAV file; `stop()` the recorder (or end the call) to finish it. */
  record(path: string, sampleRate?: number): WavRecorder {
    return this.stream.record(path, sampleRate);
  }

  /** Received audio: an async iterable of decoded PCM frames, ending with the call. */
  audioIn(): AsyncIterable<AudioFrame> {
    return this.stream.frames();
  }

  /** Outgoing audio: a writable of Int16Array frames at the codec's rate (back-pressure honoured). */
  get audioOut(): Writable {
    if (this.#audioOut === undefined) {
      const stream = this.stream;
      this.#audioOut = new Writable({
        objectMode: true,
        write(frame: Int16Array, _enc, done) {
          try {
            if (stream.write(frame)) done();
            else stream.drained().then(() => done(), done);
          } catch (e) {
            done(e instanceof Error ? e : new Error(String(e)));
          }
        },
      });
    }
    return this.#audioOut;
  }

  /** Figures of the call; once it ended, the media figures are those taken at its end. */
  stats(now = performance.now()): CallStats {
    const c = this.#config;
    const media = this.#state === 'ended' ? this.#finalMedia : this.#mediaStatistics();
    const end = this.#state === 'ended' ? this.#endedAt : now;
    return {
      state: this.#state,
      durationMs: this.#answeredAt === 0 ? 0 : end - this.#answeredAt,
      codec: c?.codecs[0]?.name,
      direction: c?.direction,
      srtp: c?.srtp !== undefined,
      media,
    };
  }

  #mediaStatistics(): MediaStatistics | undefined {
    if (this.#config === undefined) return undefined;
    try {
      return this.stream.statistics();
    } catch {
      return undefined; // the stream was not started
    }
  }

  /**
   * Ends the call: BYE when answered (RFC 3261 §15.1.1), CANCEL while an outgoing call is ringing
   * (§9.1). Resolves when the media is stopped.
   */
  async hangup(): Promise<void> {
    if (this.#ending !== undefined) return this.#ending;
    const s = this.#session;
    const inv = this.#invite;
    this.#host.run(() => {
      if (inv !== undefined && (inv.state === 'calling' || inv.state === 'proceeding')) inv.cancel();
      else if (s !== undefined && s.state !== 'terminated') s.bye();
    });
    await this.#end('local-bye');
  }

  /**
   * @internal Ends the media and reports the end (idempotent: a second caller, e.g. `hangup()`
   * after the BYE it sent terminated the session synchronously, waits for the same end).
   */
  #end(reason: string): Promise<void> {
    this.#ending ??= this.#finish(reason);
    return this.#ending;
  }

  async #finish(reason: string): Promise<void> {
    this.#finalMedia = this.#mediaStatistics();
    this.#state = 'ended';
    this.#endedAt = performance.now();
    const p = this.#pending;
    this.#pending = undefined;
    p?.reject(new CallStateError(p.command, 'ended'));
    this.#audioOut?.destroy();
    try {
      await this.stream.stop();
    } catch (e) {
      this.#host.warn(this.id, 'media stop failed', e);
    }
    this.#markEnded(reason);
    this.emit('ended', reason);
  }

  /** @internal The user agent ends a call that never got a session (failed INVITE). */
  abandon(reason: string): Promise<void> {
    return this.#end(reason);
  }
}
