/** A request sent by the application whose outcome it waits for (MESSAGE, OPTIONS, INFO...). */
import type { SipMessage } from '@tsvoip/sip';
import { TypedEmitter } from '../ua/emitter.js';
import type { ClientHandlers } from '../ua/host.js';

/** Events of a {@link ClientRequest}. */
export type ClientRequestEvents = {
  /** A provisional response. */
  provisional: [response: SipMessage];
  /** The final response (locally generated 408/503 for timeout / transport failure). */
  response: [response: SipMessage, local: boolean];
};

/** The outcome of a non-INVITE request. */
export class ClientRequest extends TypedEmitter<ClientRequestEvents> implements ClientHandlers {
  /** The request as last sent (the retry with credentials after a 401/407, RFC 3261 §22.2). */
  request: SipMessage;
  /** The final response, once received. */
  finalResponse: SipMessage | undefined = undefined;
  #after: ((response: SipMessage) => void) | undefined;

  /** @internal */
  constructor(request: SipMessage, after?: (response: SipMessage) => void) {
    super();
    this.request = request;
    this.#after = after;
  }

  /** The final status, 0 while pending. */
  get status(): number {
    return this.finalResponse?.status ?? 0;
  }

  /** @internal */
  onResend(request: SipMessage): void {
    this.request = request;
  }

  /** @internal */
  onResponse(response: SipMessage, local: boolean): void {
    if (response.status < 200) {
      this.emit('provisional', response);
      return;
    }
    if (this.finalResponse !== undefined) return;
    this.finalResponse = response;
    this.#after?.(response);
    this.emit('response', response, local);
  }
}
