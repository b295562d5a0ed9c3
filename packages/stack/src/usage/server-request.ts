/** A received request the application answers (INFO, MESSAGE, OPTIONS, UPDATE, re-INVITE...). */
import { createResponse, type SipMessage } from '@tsvoip/sip';
import { UsageStateError } from '../dialog/errors.js';
import type { UsageHost } from '../ua/host.js';

/** Options of a response. */
export interface ResponseParts {
  /** Extra headers. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** Body. */
  readonly body?: string;
  /** Content-Type of the body. */
  readonly contentType?: string;
  /** Reason phrase. */
  readonly reason?: string;
}

/** The body of a message as a string ('' when none). */
export function bodyText(message: SipMessage): string {
  const b = message.body;
  return b.length === 0 ? '' : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
}

/** @internal How a usage takes part in the answer of a request it handles. */
export interface ServerRequestHooks {
  /** The To tag (the dialog's local tag). */
  readonly toTag?: string;
  /** Adjusts the response parts (adds Contact, Session-Expires...); may throw to refuse the response. */
  readonly prepare?: (status: number, parts: ResponseParts) => ResponseParts;
  /** Called after a final response was sent. */
  readonly onFinal?: (status: number, response: SipMessage) => void;
}

/**
 * A request waiting for its final response. `respond` may be called at once from the event
 * listener or later; the first final response wins, the next ones throw {@link UsageStateError}.
 */
export class ServerRequest {
  /** The request. */
  readonly request: SipMessage;
  /** The server transaction. */
  readonly transactionId: string;
  #host: UsageHost;
  #hooks: ServerRequestHooks | undefined;
  #answered = false;

  /** @internal Created by the UA core and the usages. */
  constructor(host: UsageHost, request: SipMessage, transactionId: string, hooks?: ServerRequestHooks) {
    this.#host = host;
    this.request = request;
    this.transactionId = transactionId;
    this.#hooks = hooks;
  }

  /** The method. */
  get method(): string {
    return this.request.method;
  }

  /** The body as text. */
  get body(): string {
    return bodyText(this.request);
  }

  /** True once a final response was sent. */
  get answered(): boolean {
    return this.#answered;
  }

  /** Sends a response (1xx keeps the request pending). */
  respond(status: number, parts?: ResponseParts): SipMessage {
    if (this.#answered) throw new UsageStateError(`respond(${status})`, 'answered');
    if (this.#hooks?.prepare !== undefined) parts = this.#hooks.prepare(status, parts ?? {});
    const response = createResponse(this.request, status, parts?.reason, {
      toTag: this.#hooks?.toTag ?? this.#host.token(),
      headers: parts?.headers,
      body: parts?.body,
      contentType: parts?.body !== undefined ? parts.contentType : undefined,
    });
    if (status >= 200) this.#answered = true;
    this.#host.sendResponse(this.transactionId, response);
    if (status >= 200) this.#hooks?.onFinal?.(status, response);
    return response;
  }

  /** Sends 200 OK. */
  accept(parts?: ResponseParts): SipMessage {
    return this.respond(200, parts);
  }

  /** Sends a failure response (default 603 for sessions, any 3xx-6xx). */
  reject(status: number, parts?: ResponseParts): SipMessage {
    return this.respond(status, parts);
  }
}
