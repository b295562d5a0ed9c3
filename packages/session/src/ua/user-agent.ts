/**
 * The user agent: a SIP UA core (`@tsvoip/stack`) on UDP and/or TCP plus a media driver, behind a
 * Node-idiomatic API: `register()`, `call()`, incoming calls as events and as an async iterator,
 * transfers acted on, `close()`.
 * @module
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { formatUri, parseUri, type SipUri } from '@tsvoip/sip';
import {
  createUserAgentCore,
  DigestClientSession,
  defaultResolver,
  digestAuthenticator,
  type IncomingInvite,
  type IncomingRefer,
  type InviteSession,
  NodeStackDriver,
  type Replaces,
  SipStack,
  type StackLogger,
  silentLogger,
  type TargetResolver,
  UA_METHODS,
  UA_OPTION_TAGS,
  type UserAgentCore,
} from '@tsvoip/stack';
import { TcpTransport, type Transport, type TransportAddress, UdpTransport } from '@tsvoip/transport';
import { NodeMediaDriver } from '../media/node-media-driver.js';
import type { NodeMediaStream } from '../media/node-media-stream.js';
import { Call, type CallHost } from './call.js';
import { buildAnswer, buildOffer, type CallSdpContext, randomCname } from './call-sdp.js';
import { parseUserAgentConfig, sipTransports, type UserAgentConfig } from './config.js';
import { CallFailedError, CallStateError, UserAgentConfigError, UserAgentError } from './errors.js';
import { IncomingCall, type IncomingCallHost } from './incoming-call.js';
import { Registration } from './registration.js';

/** Injected dependencies of a user agent (not configuration data). */
export interface UserAgentDependencies {
  /** Logger (pino-compatible `warn(fields, msg)`); default silent. */
  readonly logger?: StackLogger;
  /** Random bytes for SDES keys and digest cnonces (default crypto.randomBytes). */
  readonly randomBytes?: (size: number) => Uint8Array;
  /** Random numbers in [0, 1) (SSRCs, back-offs); default Math.random. */
  readonly random?: () => number;
}

/** Options of {@link UserAgent.call}. */
export interface CallOptions {
  /** Aborting sends CANCEL (RFC 3261 §9.1); the promise rejects with CallFailedError 487 (`aborted`). */
  readonly signal?: AbortSignal;
  /** Extra headers of the INVITE. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** Each provisional response (180 Ringing, 183 Session Progress...). */
  readonly onProgress?: (status: number, reason: string) => void;
  /** Early media started: the call is not answered yet but its audio flows. */
  readonly onEarlyMedia?: (call: Call) => void;
  /** Replace this dialog at the callee (RFC 3891). */
  readonly replaces?: Replaces;
  /** Referred-By (RFC 3892). */
  readonly referredBy?: string;
}

/** Events of a {@link UserAgent}. */
export type UserAgentEvents = {
  /** An incoming call (also delivered through {@link UserAgent.incomingCalls}). */
  incoming: [call: IncomingCall];
  /** We placed a call because the far end of `from` transferred us (REFER, RFC 3515). */
  transferred: [from: Call, to: Call];
  /** REGISTER succeeded (`expires` 0 after unregistering). */
  registered: [expires: number];
  /** A registration refresh failed. */
  'registration-failed': [error: Error];
};

/** A user agent with calls and audio. Create it with {@link createUserAgent}. */
export class UserAgent extends EventEmitter<UserAgentEvents> {
  /** The validated configuration. */
  readonly config: UserAgentConfig;
  /** The UA core (sans-IO dialogs and usages). */
  readonly core: UserAgentCore;
  /** The media driver (RTP sockets and clock). */
  readonly media: NodeMediaDriver;
  /** Where SIP listens (the advertised host; every transport shares the port). */
  readonly address: { readonly host: string; readonly port: number };
  /** Our SIP transport addresses (advertised host), the preferred transport first. */
  readonly listening: readonly TransportAddress[];
  readonly #transports: readonly Transport[];
  readonly #driver: NodeStackDriver<UserAgentCore>;
  readonly #log: StackLogger;
  readonly #randomBytes: (size: number) => Uint8Array;
  readonly #random: () => number;
  readonly #calls = new Set<Call>();
  readonly #queue: IncomingCall[] = [];
  readonly #waiters: Array<(r: IteratorResult<IncomingCall>) => void> = [];
  #iterators = 0;
  #registration: Registration | undefined = undefined;
  /** One digest client per UA (RFC 3261 §22): REGISTER, INVITE and in-dialog requests share its nonces. */
  readonly #digest: DigestClientSession | undefined;
  #closed = false;
  readonly #callHost: CallHost;
  readonly #incomingHost: IncomingCallHost;

  /** @internal Use {@link createUserAgent}. */
  constructor(
    config: UserAgentConfig,
    transports: readonly Transport[],
    address: { host: string; port: number },
    deps: UserAgentDependencies,
  ) {
    super();
    this.config = config;
    this.#transports = transports;
    this.address = address;
    this.listening = transports.map((t) => ({
      transport: t.protocol,
      host: address.host,
      port: address.port,
    }));
    this.#log = deps.logger ?? silentLogger;
    this.#randomBytes = deps.randomBytes ?? ((n) => cryptoRandomBytes(n));
    this.#random = deps.random ?? Math.random;
    this.#digest =
      config.auth === undefined
        ? undefined
        : new DigestClientSession({ credentials: config.auth, randomBytes: this.#randomBytes });
    const stack = new SipStack({
      localAddresses: this.listening,
      allowedMethods: UA_METHODS,
      supportedOptionTags: UA_OPTION_TAGS,
      timers: { t1: config.t1 },
      logger: this.#log,
    });
    this.core = createUserAgentCore(stack, {
      contact: `<${this.contactUri}>`,
      from: config.displayName === undefined ? `<${config.uri}>` : `"${config.displayName}" <${config.uri}>`,
      sessionTimer: config.sessionTimer === false ? undefined : config.sessionTimer,
      resolve: resolverFor(this.listening.map((a) => a.transport)),
      random: this.#random,
      // RFC 3261 §22.2/§22.3: a 401/407 to INVITE, BYE, re-INVITE, REFER... is answered once with credentials.
      authenticate:
        this.#digest === undefined
          ? undefined
          : digestAuthenticator(this.#digest, (e, r, q) =>
              this.#log.warn(
                { callId: r.callId, method: q.method, status: r.status, code: e.code },
                `digest authentication gave up: ${e.message}`,
              ),
            ),
    });
    this.#driver = new NodeStackDriver(this.core, transports, { trackSends: true });
    this.media = new NodeMediaDriver({
      address: config.media.address,
      portMin: config.media.portMin,
      portMax: config.media.portMax,
      sharedPorts: config.media.sharedPorts,
    });
    this.#callHost = {
      run: (command) => this.#driver.run(command),
      aor: config.uri,
      onRefer: (call, refer) => this.#onRefer(call, refer),
      warn: (callId, message, error) =>
        this.#log.warn(
          { callId, error: error instanceof Error ? error.message : String(error ?? '') },
          message,
        ),
    };
    this.#incomingHost = {
      run: (command) => this.#driver.run(command),
      answer: (incoming) => this.#answer(incoming),
    };
    this.core.on('invite', (inv) => this.#onInvite(inv));
  }

  /** Our Contact URI (`sip:user@host:port`, `;transport=tcp` when TCP is the preferred transport). */
  get contactUri(): string {
    const user = sipUriOf(this.config.uri).user;
    const host = this.address.host.includes(':') ? `[${this.address.host}]` : this.address.host;
    const param = this.listening[0]?.transport === 'TCP' ? ';transport=tcp' : '';
    return `sip:${user === undefined ? '' : `${user}@`}${host}:${this.address.port}${param}`;
  }

  /** Calls in progress or answered (not ended). */
  get calls(): ReadonlySet<Call> {
    return this.#calls;
  }

  /** The registration, once `register()` was called. */
  get registration(): Registration | undefined {
    return this.#registration;
  }

  /** The SDP context of a call on `stream`: its port, and its SSRC and CNAME to announce. */
  #sdp(stream: NodeMediaStream, cname: string): CallSdpContext {
    const ssrc = stream.ssrc;
    return {
      media: this.config.media,
      port: stream.ports.rtp,
      sessionId: String(Math.floor(this.#random() * 2 ** 31) + 1),
      randomBytes: this.#randomBytes,
      source: ssrc === undefined ? undefined : { ssrc, cname },
    };
  }

  /**
   * Opens a call's stream with its SSRC chosen now, to be announced in every SDP of the call
   * (RFC 5576 §4.1): by the driver in shared-port mode (distinct within it), else here. The CNAME
   * is random per call (RFC 7022 §4.2) and is the one RTCP carries.
   */
  async #openStream(): Promise<{ stream: NodeMediaStream; sdp: CallSdpContext }> {
    const m = this.config.media;
    const cname = randomCname(this.#randomBytes);
    const stream = await this.media.open({
      rtcpMux: m.rtcpMux,
      rtcpMinIntervalMs: m.rtcpMinIntervalMs,
      random: this.#random,
      cname,
      ssrc: m.sharedPorts > 0 ? undefined : Math.floor(this.#random() * 0x100000000) >>> 0,
    });
    return { stream, sdp: this.#sdp(stream, cname) };
  }

  #track(call: Call): void {
    this.#calls.add(call);
    call.once('ended', () => this.#calls.delete(call));
  }

  // ---- registration -------------------------------------------------------------------------

  /**
   * Registers our Contact (RFC 3261 §10) with digest auth when `auth` is configured, and keeps
   * refreshing it before it expires. Resolves with the granted expiry (seconds).
   */
  register(): Promise<number> {
    this.#checkOpen('register');
    const c = this.config;
    if (this.#registration === undefined) {
      const uri = sipUriOf(c.uri);
      const registrar =
        c.registrar ?? `${uri.scheme}:${uri.host}${uri.port === undefined ? '' : `:${uri.port}`}`;
      const reg = new Registration(this.core, {
        registrar,
        aor: c.uri,
        contact: this.contactUri,
        expires: c.register.expires,
        refreshRatio: c.register.refreshRatio,
        digest: this.#digest,
      });
      reg.on('registered', (e) => this.emit('registered', e));
      reg.on('failed', (e) => {
        if (this.listenerCount('registration-failed') > 0) this.emit('registration-failed', e);
        else this.#log.warn({ status: e.status }, e.message);
      });
      this.#registration = reg;
    }
    const reg = this.#registration;
    return new Promise((resolve, reject) => {
      const done = () => {
        reg.off('registered', ok);
        reg.off('failed', ko);
      };
      const ok = (e: number) => {
        done();
        resolve(e);
      };
      const ko = (e: Error) => {
        done();
        reject(e);
      };
      reg.on('registered', ok);
      reg.on('failed', ko);
      this.#driver.run(() => reg.start());
    });
  }

  /** Removes our binding (REGISTER expires 0) and stops refreshing. */
  unregister(): Promise<void> {
    const reg = this.#registration;
    if (reg === undefined) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const ok = (e: number) => {
        if (e !== 0) return;
        reg.off('registered', ok);
        reg.off('failed', ko);
        resolve();
      };
      const ko = (e: Error) => {
        reg.off('registered', ok);
        reg.off('failed', ko);
        reject(e);
      };
      reg.on('registered', ok);
      reg.on('failed', ko);
      this.#driver.run(() => reg.unregister());
    });
  }

  // ---- outgoing calls -----------------------------------------------------------------------

  /**
   * Calls `target` (a SIP URI or name-addr). Resolves with the answered {@link Call}; rejects with
   * {@link CallFailedError} on a 3xx-6xx (status, reason, 3xx contacts), a timeout (408), or an
   * abort (CANCEL, 487). A 401/407 is answered once with the configured `auth` credentials
   * (RFC 3261 §22.2); without them, or when they are rejected, the call fails with that 401/407.
   */
  async call(target: string, options: CallOptions = {}): Promise<Call> {
    this.#checkOpen('call');
    options.signal?.throwIfAborted();
    const to = target.includes('<') ? target : `<${target}>`;
    const { stream, sdp } = await this.#openStream();
    const offer = buildOffer(sdp, 'sendrecv');
    let inv: ReturnType<UserAgentCore['invite']>;
    try {
      inv = this.#driver.run(() =>
        this.core.invite({
          to,
          body: offer,
          headers: options.headers,
          replaces: options.replaces,
          referredBy: options.referredBy,
        }),
      );
    } catch (e) {
      // No route to the target (e.g. a transport we do not listen on): nothing was sent.
      await stream.stop();
      throw e;
    }
    return new Promise<Call>((resolve, reject) => {
      const call = new Call(this.#callHost, {
        id: inv.request.callId ?? '',
        direction: 'outgoing',
        remoteIdentity: to,
        stream,
        sdp,
        invite: inv,
      });
      this.#track(call);
      const onAbort = () =>
        this.#driver.run(() => {
          if (inv.state === 'calling' || inv.state === 'proceeding') inv.cancel();
        });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => options.signal?.removeEventListener('abort', onAbort);
      inv.on('provisional', (r, session) => {
        options.onProgress?.(r.status, r.reason);
        const body = r.body.length > 0 ? Buffer.from(r.body).toString('utf8') : '';
        if (session === undefined || call.session !== undefined) return;
        call.attach(session);
        // An answer in an unreliable 183 (reliable ones come through the session's 'answer').
        if (body !== '' && call.mediaConfig === undefined && !r.require.includes('100rel')) {
          try {
            call.applyAnswer(offer, body, true);
            options.onEarlyMedia?.(call);
          } catch (e) {
            this.#callHost.warn(call.id, 'unusable early media answer', e);
          }
        } else if (call.mediaConfig !== undefined) options.onEarlyMedia?.(call);
      });
      inv.on('accepted', (session: InviteSession) => {
        settle();
        const fresh = call.session !== session;
        call.attach(session);
        try {
          const answer = session.offerAnswer.remoteDescription;
          if (fresh && answer !== undefined) call.applyAnswer(offer, answer, false);
          if (call.mediaConfig === undefined) throw new UserAgentError('the 2xx carried no SDP answer');
        } catch (e) {
          // RFC 3261 §13.2.2.4: the 2xx is ACKed; an unusable answer ends the call with BYE.
          this.#driver.run(() => session.bye([['Reason', 'SIP;cause=488;text="Not Acceptable Here"']]));
          this.#calls.delete(call);
          void call.abandon('bad-answer');
          reject(new CallFailedError(488, 'Not Acceptable Here', { cause: e }));
          return;
        }
        call.markAnswered(this.#driver.now());
        resolve(call);
      });
      inv.on('failed', (status, r) => {
        settle();
        this.#calls.delete(call);
        void call.abandon('rejected');
        const contacts =
          status >= 300 && status < 400
            ? r.contact.flatMap((c) => (c === '*' ? [] : [formatUri(c.uri)]))
            : [];
        reject(new CallFailedError(status, r.reason, { contacts }));
      });
      inv.on('cancelled', () => {
        settle();
        this.#calls.delete(call);
        void call.abandon('cancelled');
        reject(
          new CallFailedError(487, 'Request Terminated', {
            aborted: options.signal?.aborted === true,
            cause: options.signal?.reason,
          }),
        );
      });
      if (options.signal?.aborted === true) onAbort();
    });
  }

  // ---- incoming calls -----------------------------------------------------------------------

  #onInvite(inv: IncomingInvite): void {
    if (this.#closed) return void inv.reject(480);
    let replaced: Call | undefined;
    if (inv.replaces !== undefined) for (const c of this.#calls) if (c.session === inv.replaces) replaced = c;
    const incoming = new IncomingCall(this.#incomingHost, inv, replaced);
    if (this.listenerCount('incoming') === 0 && this.#iterators === 0) {
      // RFC 3261 §21.4.18: nobody to take the call.
      inv.reject(480);
      return;
    }
    if (this.config.autoRing) inv.provisional(180);
    this.emit('incoming', incoming);
    const w = this.#waiters.shift();
    if (w !== undefined) w({ value: incoming, done: false });
    else if (this.#iterators > 0) this.#queue.push(incoming);
  }

  /** Incoming calls as an async iterator; it ends when the user agent closes. */
  incomingCalls(): AsyncIterableIterator<IncomingCall> {
    this.#iterators++;
    const self = this;
    let finished = false;
    const finish = () => {
      if (!finished) {
        finished = true;
        self.#iterators--;
      }
    };
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      next(): Promise<IteratorResult<IncomingCall>> {
        if (finished || self.#closed) {
          finish();
          return Promise.resolve({ value: undefined, done: true });
        }
        const q = self.#queue.shift();
        if (q !== undefined) return Promise.resolve({ value: q, done: false });
        return new Promise((resolve) => self.#waiters.push(resolve));
      },
      return(): Promise<IteratorResult<IncomingCall>> {
        finish();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  async #answer(incoming: IncomingCall): Promise<Call> {
    const inv = incoming.invite;
    const { stream, sdp } = await this.#openStream();
    const call = new Call(this.#callHost, {
      id: incoming.id,
      direction: 'incoming',
      remoteIdentity: incoming.from,
      stream,
      sdp,
    });
    if (inv.state !== 'pending') {
      await call.abandon(inv.state);
      throw new CallStateError('accept', inv.state);
    }
    let answer: ReturnType<typeof buildAnswer> | undefined;
    try {
      if (inv.offer !== undefined) answer = buildAnswer(sdp, inv.offer, 'sendrecv');
    } catch (e) {
      // RFC 3261 §13.3.1.3 / RFC 3264 §6: no usable media in the offer.
      this.#driver.run(() => inv.reject(488));
      await call.abandon('rejected');
      throw new CallFailedError(488, 'Not Acceptable Here', { cause: e });
    }
    this.#track(call);
    return new Promise<Call>((resolve, reject) => {
      const session = this.#driver.run(() => {
        // Without an offer in the INVITE we offer in the 2xx; the answer comes in the ACK.
        const s = inv.accept({ body: answer?.answer ?? buildOffer(sdp, 'sendrecv') });
        call.attach(s);
        if (answer !== undefined) call.applyMedia(answer.config);
        return s;
      });
      session.once('confirmed', () => {
        call.markAnswered(this.#driver.now());
        resolve(call);
      });
      call.once('ended', (reason) => {
        if (call.state !== 'active') reject(new CallStateError('accept', reason));
      });
    });
  }

  // ---- transfer (RFC 3515) ------------------------------------------------------------------

  /** A REFER in `call`: accept it, place the new call, report its progress in NOTIFYs (§2.4.5). */
  #onRefer(call: Call, refer: IncomingRefer): void {
    if (!this.config.acceptTransfers || this.#closed) return void refer.reject(603);
    refer.accept();
    const q = refer.referTo.indexOf('?');
    const target = q < 0 ? refer.referTo : refer.referTo.slice(0, q);
    const notify = (status: number, reason: string) =>
      this.#driver.run(() => {
        if (refer.subscription.state !== 'terminated') refer.notify(status, reason);
      });
    this.call(target, {
      referredBy: refer.referredBy,
      replaces: refer.replaces,
      onProgress: (status, reason) => {
        if (status > 100) notify(status, reason);
      },
    }).then(
      (next) => {
        notify(200, 'OK');
        this.emit('transferred', call, next);
      },
      (e: unknown) => {
        const status = e instanceof CallFailedError ? e.status : 503;
        const reason = e instanceof CallFailedError ? e.reason : 'Service Unavailable';
        notify(status, reason);
      },
    );
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  #checkOpen(command: string): void {
    if (this.#closed) throw new CallStateError(command, 'closed');
  }

  /**
   * Ends every call (BYE/CANCEL), unregisters (bounded by `timeoutMs`), stops the media and
   * closes the socket. Incoming-call iterators end.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.#closed) return;
    const timeoutMs = options.timeoutMs ?? 2000;
    await Promise.allSettled([...this.#calls].map((c) => c.hangup()));
    const reg = this.#registration;
    if (reg?.registered === true) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        this.unregister().catch((e: unknown) =>
          this.#log.warn({ error: e instanceof Error ? e.message : String(e) }, 'unregister failed'),
        ),
        new Promise((r) => {
          timer = setTimeout(r, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    }
    reg?.stop();
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w({ value: undefined, done: true });
    for (const i of this.#queue.splice(0))
      if (i.state === 'pending') this.#driver.run(() => i.invite.reject(480));
    await this.#driver.sent();
    this.#driver.close();
    await this.media.close();
    await Promise.all(this.#transports.map((t) => t.close()));
  }
}

/**
 * Creates a user agent: validates `config` (unknown keys rejected), binds the SIP transports
 * (UDP and/or TCP, on one port), and prepares the media driver.
 * @throws {UserAgentConfigError} for an invalid configuration.
 */
export async function createUserAgent(config: unknown, deps: UserAgentDependencies = {}): Promise<UserAgent> {
  const c = parseUserAgentConfig(config);
  sipUriOf(c.uri);
  const transports = await listenAll(c);
  const first = transports[0].listening;
  if (first === undefined) throw new UserAgentError('the SIP transport is not listening');
  return new UserAgent(c, transports, { host: c.sip.advertisedHost ?? first.host, port: first.port }, deps);
}

/**
 * Binds every configured transport on `sip.host`, all on one port: with port 0 the first one
 * picks it, and a few attempts are made when that port is taken for the others.
 */
async function listenAll(c: UserAgentConfig): Promise<Transport[]> {
  const kinds = sipTransports(c);
  for (let attempt = 0; ; attempt++) {
    const transports: Transport[] = [];
    let port = c.sip.port;
    try {
      for (const kind of kinds) {
        const t: Transport = kind === 'tcp' ? new TcpTransport() : new UdpTransport();
        transports.push(t);
        port = (await t.listen(c.sip.host, port)).port;
      }
      return transports;
    } catch (e) {
      await Promise.allSettled(transports.map((t) => t.close()));
      if (c.sip.port !== 0 || transports.length < 2 || attempt >= 4) throw e;
    }
  }
}

/**
 * Next hop of a request (RFC 3263 §4.1 without DNS): the URI's `transport` parameter, else our
 * preferred transport (the first listed) for `sip:` URIs. A transport we do not listen on is an
 * error: the request could carry no Via of ours (RFC 3261 §18.1.1).
 */
function resolverFor(transports: readonly TransportAddress['transport'][]): TargetResolver {
  const preferred = transports[0] ?? 'UDP';
  return (uri) => {
    const r = defaultResolver(uri);
    const explicit = uri.kind === 'sip' && typeof uri.params.get('transport') === 'string';
    const next = explicit || uri.scheme === 'sips' ? r : { ...r, transport: preferred };
    if (!transports.includes(next.transport))
      throw new UserAgentError(`no ${next.transport} transport for ${formatUri(uri)}: see sip.transport`);
    return next;
  };
}

/** Parses a sip:/sips: URI. @throws {UserAgentConfigError} for anything else. */
function sipUriOf(s: string): SipUri {
  let u: ReturnType<typeof parseUri>;
  try {
    u = parseUri(s);
  } catch (e) {
    throw new UserAgentConfigError('uri', e instanceof Error ? e.message : String(e));
  }
  if (u.kind !== 'sip') throw new UserAgentConfigError('uri', `not a SIP URI: ${s}`);
  return u;
}
