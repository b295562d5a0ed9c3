/**
 * The REGISTER client usage (RFC 3261 §10.2): binds our Contact at the registrar, answers digest
 * challenges (§22), refreshes before the granted expiry, retries a 423 with Min-Expires (§10.2.8)
 * and unregisters with expires 0. Runs on the UA core's clock and deadline queue (sans-IO).
 * @module
 */
import { EventEmitter } from 'node:events';
import { createRequest, formatUri, type SipMessage } from '@tsvoip/sip';
import type { DigestClientSession, UserAgentCore } from '@tsvoip/stack';

type TimerHandle = ReturnType<UserAgentCore['schedule']>;

import { RegistrationError } from './errors.js';

/** Options of a {@link Registration}. */
export interface RegistrationOptions {
  /** The registrar's URI (Request-URI of REGISTER). */
  readonly registrar: string;
  /** Our address-of-record (To and From). */
  readonly aor: string;
  /** Our Contact URI (without brackets). */
  readonly contact: string;
  /** Expiry asked for, seconds. */
  readonly expires: number;
  /** Refresh after this fraction of the granted expiry (0-1). */
  readonly refreshRatio: number;
  /** Digest client, when we have credentials. */
  readonly digest: DigestClientSession | undefined;
}

/** Events of a {@link Registration}. */
export type RegistrationEvents = {
  /** A 2xx bound (or refreshed) the contact for `expires` seconds; 0 after unregistering. */
  registered: [expires: number];
  /** REGISTER failed. */
  failed: [error: RegistrationError];
};

/** The registration of one contact. */
export class Registration extends EventEmitter<RegistrationEvents> {
  readonly #core: UserAgentCore;
  readonly #o: RegistrationOptions;
  readonly #callId: string;
  #cseq = 0;
  #refresh: TimerHandle | undefined = undefined;
  #stopped = false;
  #wanted: number;
  /** Seconds the registrar granted (0 when not registered). */
  expires = 0;
  /** REGISTER requests sent (refreshes and auth retries included). */
  requestsSent = 0;
  /** Successful registrations (first + refreshes). */
  refreshes = 0;

  constructor(core: UserAgentCore, options: RegistrationOptions) {
    super();
    this.#core = core;
    this.#o = options;
    this.#wanted = options.expires;
    // RFC 3261 §10.2: the same Call-ID for every REGISTER to this registrar, CSeq increasing.
    this.#callId = core.token();
  }

  /** True while a binding is held. */
  get registered(): boolean {
    return this.expires > 0;
  }

  /** Sends REGISTER (and keeps refreshing). */
  start(): void {
    this.#stopped = false;
    this.#send(this.#wanted, []);
  }

  /** Removes the binding (REGISTER with expires 0) and stops refreshing. */
  unregister(): void {
    this.#stopped = true;
    this.#core.cancelTimer(this.#refresh);
    this.#refresh = undefined;
    this.#send(0, []);
  }

  /** Stops refreshing without signaling. */
  stop(): void {
    this.#stopped = true;
    this.#core.cancelTimer(this.#refresh);
    this.#refresh = undefined;
  }

  #send(expires: number, authorization: ReadonlyArray<readonly [string, string]>): void {
    const o = this.#o;
    let auth = authorization;
    if (auth.length === 0 && o.digest !== undefined) {
      // RFC 3261 §22.1: reuse the realm's nonce on later requests (nc incremented).
      auth = o.digest
        .authorize({ method: 'REGISTER', uri: o.registrar })
        .map((h) => [h.name, h.value] as const);
    }
    const request = createRequest({
      method: 'REGISTER',
      requestUri: o.registrar,
      from: `<${o.aor}>`,
      to: `<${o.aor}>`,
      callId: this.#callId,
      cseq: ++this.#cseq,
      contact: `<${o.contact}>`,
      headers: [['Expires', String(expires)], ...auth],
      random: () => this.#core.token(),
    });
    this.requestsSent++;
    // This usage answers its challenges itself (CSeq and request count are its own), not the core.
    this.#core.sendRequest(request, {
      onResponse: (r) => this.#onResponse(r, request, expires),
      authenticate: false,
    });
  }

  #onResponse(response: SipMessage, request: SipMessage, expires: number): void {
    const status = response.status;
    if (status < 200) return;
    const o = this.#o;
    if ((status === 401 || status === 407) && o.digest !== undefined) {
      const name = status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
      const answer = o.digest.respond(
        { statusCode: status, challenges: response.getHeaders(name) },
        {
          method: 'REGISTER',
          uri: o.registrar,
          authorization: [
            ...request.getHeaders('Authorization'),
            ...request.getHeaders('Proxy-Authorization'),
          ],
        },
      );
      if (!answer.ok) {
        this.#fail(status, response.reason, answer.error);
        return;
      }
      this.#send(
        expires,
        answer.headers.map((h) => [h.name, h.value] as const),
      );
      return;
    }
    if (status === 423 && expires > 0) {
      // RFC 3261 §10.2.8: Interval Too Brief: retry with Min-Expires.
      const min = Number(response.getHeader('Min-Expires'));
      if (Number.isInteger(min) && min > expires) {
        this.#wanted = min;
        this.#send(min, []);
        return;
      }
    }
    if (status >= 300) {
      this.#fail(status, response.reason);
      return;
    }
    if (expires === 0) {
      this.expires = 0;
      this.emit('registered', 0);
      return;
    }
    const granted = grantedExpires(response, o.contact) ?? expires;
    this.expires = granted;
    this.refreshes++;
    this.emit('registered', granted);
    if (!this.#stopped && granted > 0) {
      this.#core.cancelTimer(this.#refresh);
      // RFC 3261 §10.2.4: refresh before the binding expires.
      this.#refresh = this.#core.schedule(this.#core.now + granted * 1000 * o.refreshRatio, () => {
        this.#refresh = undefined;
        if (!this.#stopped) this.#send(this.#wanted, []);
      });
    }
  }

  #fail(status: number, reason: string, cause?: unknown): void {
    this.expires = 0;
    this.stop();
    this.emit('failed', new RegistrationError(status, reason, cause === undefined ? undefined : { cause }));
  }
}

/** RFC 3261 §10.2.4: the expiry of our binding: its Contact's `expires` param, else the Expires header. */
function grantedExpires(response: SipMessage, contact: string): number | undefined {
  for (const c of response.contact) {
    if (c === '*') continue;
    const uri = formatUri(c.uri);
    const p = c.params.get('expires');
    if (p !== undefined && p !== null && uri === contact) {
      const n = Number(p);
      if (Number.isInteger(n)) return n;
    }
  }
  const h = response.expires;
  return h === undefined ? undefined : h;
}
