/**
 * Answering 401/407 challenges to the requests the UA core sends (RFC 3261 §8.1.3.5, §22.2,
 * §22.3): the request is sent again, once, in a new client transaction with the credentials a
 * hook computes, the same Call-ID, From and To, and a CSeq one higher (the dialog's next local
 * CSeq inside a dialog, §12.2.1.1). The usage keeps one set of handlers across both transactions.
 */
import { parseMessage, type SipMessage, serializeMessage } from '@tsvoip/sip';
import type { DigestClientSession } from '../auth/client-session.js';
import type { DigestClientError } from '../auth/errors.js';
import type { ClientHandlers } from './host.js';

/**
 * Answers a 401/407 to `request`: returns the `Authorization` / `Proxy-Authorization` headers
 * the retried request carries (they replace those `request` had), or undefined to give up (the
 * usage then gets the 401/407 as its final response).
 */
export type AuthenticateHook = (
  response: SipMessage,
  request: SipMessage,
) => ReadonlyArray<readonly [string, string]> | undefined;

/** True for a 401 or 407 received from the network (RFC 3261 §21.4.2, §21.4.8). */
export function isAuthChallenge(response: SipMessage, local: boolean): boolean {
  return !local && (response.status === 401 || response.status === 407);
}

/**
 * The request to send again (RFC 3261 §8.1.3.5): a copy of `request` without its Via (the stack
 * adds one with a new branch), CSeq `seq`, and `credentials` instead of its Authorization and
 * Proxy-Authorization headers.
 */
export function authenticatedRetry(
  request: SipMessage,
  seq: number,
  credentials: ReadonlyArray<readonly [string, string]>,
): SipMessage {
  const copy = parseMessage(serializeMessage(request));
  copy.removeHeader('Via');
  copy.setHeader('CSeq', `${seq} ${request.method}`);
  copy.removeHeader('Authorization');
  copy.removeHeader('Proxy-Authorization');
  for (const [name, value] of credentials) copy.addHeader(name, value);
  return copy;
}

/** What {@link AuthRetry} needs from the UA core. */
export interface AuthRetryHost {
  /** Starts a client transaction for `request` (no pump, no retry of its own); returns its id. */
  start(request: SipMessage, handlers: ClientHandlers): string;
  /** The CSeq number of the retry of `request` (the dialog's next local CSeq, or one more). */
  nextCSeq(request: SipMessage): number;
}

/**
 * The handlers the core puts between a usage and its transactions when a hook answers
 * challenges: a 401/407 the hook answers starts the retry (reported with `onResend`) instead of
 * reaching the usage; a challenge to the retry reaches it (one retry: no loop on wrong
 * credentials). Only the current transaction's end is reported (`onTerminated`).
 */
export class AuthRetry {
  readonly #host: AuthRetryHost;
  readonly #inner: ClientHandlers;
  readonly #hook: AuthenticateHook;
  #request: SipMessage;
  #current = '';
  #retried = false;

  /** @param request the first request; @param inner the usage's handlers; @param hook the credentials */
  constructor(host: AuthRetryHost, request: SipMessage, inner: ClientHandlers, hook: AuthenticateHook) {
    this.#host = host;
    this.#request = request;
    this.#inner = inner;
    this.#hook = hook;
  }

  /** Sends the first request; returns its transaction id. */
  start(): string {
    return this.#send(this.#request);
  }

  #send(request: SipMessage): string {
    let id = '';
    id = this.#host.start(request, {
      onResponse: (r, local) => this.#onResponse(r, local),
      onTerminated: () => {
        if (id === this.#current) this.#inner.onTerminated?.();
      },
    });
    this.#current = id;
    return id;
  }

  #onResponse(response: SipMessage, local: boolean): void {
    if (!this.#retried && isAuthChallenge(response, local)) {
      const credentials = this.#hook(response, this.#request);
      if (credentials !== undefined && credentials.length > 0) {
        // RFC 3261 §22.2: resubmit with credentials; a new transaction, CSeq incremented (§8.1.3.5).
        this.#retried = true;
        const retry = authenticatedRetry(this.#request, this.#host.nextCSeq(this.#request), credentials);
        this.#request = retry;
        const id = this.#send(retry);
        this.#inner.onResend?.(retry, id);
        return;
      }
    }
    this.#inner.onResponse(response, local);
  }
}

/**
 * An {@link AuthenticateHook} backed by a {@link DigestClientSession}: it answers the challenges
 * of the response (WWW-Authenticate for 401, Proxy-Authenticate for 407) for the request's
 * method, Request-URI and body. `onError` hears why it gave up (wrong credentials, no
 * credentials for the realm, no challenge it can answer).
 */
export function digestAuthenticator(
  session: DigestClientSession,
  onError?: (error: DigestClientError, response: SipMessage, request: SipMessage) => void,
): AuthenticateHook {
  return (response, request) => {
    const status = response.status;
    const answer = session.respond(
      {
        statusCode: status,
        challenges: response.getHeaders(status === 407 ? 'Proxy-Authenticate' : 'WWW-Authenticate'),
      },
      {
        method: request.method,
        uri: request.requestUri,
        body: request.body,
        authorization: [...request.getHeaders('Authorization'), ...request.getHeaders('Proxy-Authorization')],
      },
    );
    if (!answer.ok) {
      onError?.(answer.error, response, request);
      return undefined;
    }
    return answer.headers.map((h) => [h.name, h.value] as const);
  };
}
