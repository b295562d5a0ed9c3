/**
 * The event publication agent (EPA) side of PUBLISH (RFC 3903): initial publication, refresh
 * with SIP-If-Match and no body (§4.2), modification, removal (Expires: 0), 412 recovery.
 */
import { createRequest, type SipMessage } from '@tsvoip/sip';
import { UsageStateError } from '../dialog/errors.js';
import { TypedEmitter } from '../ua/emitter.js';
import type { TimerHandle, UsageHost } from '../ua/host.js';

/** Options of {@link UserAgentCore.publish}. */
export interface PublishOptions {
  /** The presentity / resource (To and Request-URI). */
  readonly to: string;
  /** Event package (`presence`, `dialog`...). */
  readonly event: string;
  /** The state document. */
  readonly body: string;
  /** Its Content-Type. */
  readonly contentType: string;
  /** Requested duration, seconds (default 3600). */
  readonly expires?: number;
}

/** Events of a {@link PublishClient}. */
export type PublishClientEvents = {
  /** A 2xx: the entity tag and the granted duration. */
  published: [etag: string, expires: number];
  /** A failure (after the 412 / 423 recovery, if any). */
  failed: [status: number];
  /** The publication was removed (2xx to Expires: 0). */
  removed: [];
};

/** One publication (RFC 3903 §4). */
export class PublishClient extends TypedEmitter<PublishClientEvents> {
  /** The current entity tag (SIP-ETag of the last 2xx), undefined before the first one. */
  etag: string | undefined = undefined;
  /** Granted duration, seconds. */
  expires: number;
  readonly #host: UsageHost;
  readonly #o: PublishOptions;
  readonly #callId: string;
  readonly #fromTag: string;
  #cseq = 0;
  #body: string;
  #timer: TimerHandle | undefined = undefined;
  #removed = false;

  /** @internal Use `ua.publish()`. */
  constructor(host: UsageHost, options: PublishOptions) {
    super();
    this.#host = host;
    this.#o = options;
    this.#body = options.body;
    this.expires = options.expires ?? 3600;
    this.#callId = host.token();
    this.#fromTag = host.token();
    this.#send(this.#body, this.expires, false);
  }

  /** Replaces the published state (RFC 3903 §4.3: SIP-If-Match with the new body). */
  modify(body: string): void {
    if (this.etag === undefined || this.#removed)
      throw new UsageStateError('modify', this.#removed ? 'removed' : 'unpublished');
    this.#body = body;
    this.#send(body, this.expires, true);
  }

  /** Removes the publication (RFC 3903 §4.4: Expires: 0 with SIP-If-Match). */
  remove(): void {
    if (this.etag === undefined || this.#removed)
      throw new UsageStateError('remove', this.#removed ? 'removed' : 'unpublished');
    this.#removed = true;
    this.#host.cancelTimer(this.#timer);
    this.#send(undefined, 0, true);
  }

  #send(body: string | undefined, expires: number, conditional: boolean): void {
    const headers: Array<readonly [string, string]> = [
      ['Event', this.#o.event],
      ['Expires', String(expires)],
    ];
    if (conditional && this.etag !== undefined) headers.push(['SIP-If-Match', this.etag]);
    const request = createRequest({
      method: 'PUBLISH',
      requestUri: uriIn(this.#o.to),
      from: `${this.#host.config.from};tag=${this.#fromTag}`,
      to: this.#o.to,
      callId: this.#callId,
      cseq: ++this.#cseq,
      headers,
      body,
      contentType: body !== undefined ? this.#o.contentType : undefined,
    });
    this.#host.sendRequest(request, { onResponse: (r) => this.#onResponse(r, body, expires, conditional) });
  }

  #onResponse(response: SipMessage, body: string | undefined, expires: number, conditional: boolean): void {
    const status = response.status;
    if (status < 200) return;
    if (status < 300) {
      if (expires === 0) {
        this.etag = undefined;
        this.emit('removed');
        return;
      }
      // RFC 3903 §4.1: the 2xx carries SIP-ETag and the granted Expires.
      this.etag = response.getHeader('SIP-ETag') ?? this.etag;
      this.expires = response.expires ?? expires;
      this.#scheduleRefresh();
      this.emit('published', this.etag ?? '', this.expires);
      return;
    }
    if (status === 412 && conditional && !this.#removed) {
      // RFC 3903 §6: the ESC lost our entity: publish again from scratch.
      this.etag = undefined;
      this.#send(this.#body, this.expires, false);
      return;
    }
    const minExpires = Number(response.getHeader('Min-Expires'));
    if (status === 423 && Number.isInteger(minExpires) && minExpires > expires) {
      // RFC 3903 §6: Interval Too Brief: retry with Min-Expires.
      this.#send(body, minExpires, conditional);
      return;
    }
    this.emit('failed', status);
  }

  #scheduleRefresh(): void {
    this.#host.cancelTimer(this.#timer);
    const s = this.expires * 1000;
    // RFC 3903 §4.2: refresh before expiry, with SIP-If-Match and no body.
    this.#timer = this.#host.schedule(this.#host.now + s - Math.min(32_000, s / 2), () => {
      this.#timer = undefined;
      if (!this.#removed) this.#send(undefined, this.expires, true);
    });
  }
}

function uriIn(value: string): string {
  const lt = value.indexOf('<');
  if (lt < 0) return value.trim();
  return value.slice(lt + 1, value.indexOf('>', lt)).trim();
}
