/** What the two server transactions share (RFC 3261 §17.2): the request, where responses go. */
import { type SipMessage, serializeMessage } from '@tsvoip/sip';
import type { SipAddress } from '../core/address.js';
import { Transaction, type TransactionHost } from './transaction.js';

/** Where a server transaction sends its responses (RFC 3261 §18.2.2). */
export interface ResponseRoute {
  /** Destination address. */
  readonly to: SipAddress;
  /** The connection the request came on (streams). */
  readonly connectionId?: string;
}

/** Base of the INVITE and non-INVITE server transactions. */
export abstract class ServerTransaction extends Transaction {
  /** The request that created the transaction. */
  readonly request: SipMessage;
  /** Where responses go. */
  readonly route: ResponseRoute;
  /** The To tag of the request (RFC 2543 matching compares it), or undefined. */
  readonly requestToTag: string | undefined;
  /** The last response sent, if any. */
  protected lastResponse: SipMessage | undefined = undefined;
  /** Its bytes, resent on request retransmissions. */
  protected lastBytes: Uint8Array | undefined = undefined;

  /** @internal */
  constructor(
    host: TransactionHost,
    id: string,
    key: string,
    request: SipMessage,
    route: ResponseRoute,
    reliable: boolean,
  ) {
    super(host, id, key, reliable);
    this.request = request;
    this.route = route;
    this.requestToTag = request.to?.tag;
  }

  /** The To tag of the last response sent (RFC 2543 ACK matching, RFC 3261 §17.2.3), if any. */
  get responseToTag(): string | undefined {
    return this.lastResponse?.to?.tag;
  }

  /** The status of the last response sent, 0 if none. */
  get lastStatus(): number {
    return this.lastResponse?.status ?? 0;
  }

  /** Sends `response` and remembers it for retransmissions. */
  protected sendResponse(response: SipMessage): void {
    this.lastResponse = response;
    this.lastBytes = serializeMessage(response);
    this.resend();
  }

  /** Resends the last response, if any. */
  protected resend(): void {
    if (this.lastBytes !== undefined) {
      this.host.transmit(this.id, this.route.to, this.lastBytes, this.route.connectionId);
    }
  }

  /** The TU sends a response (RFC 3261 §17.2.1, §17.2.2). Throws InvalidCommandError when not allowed. */
  abstract respond(response: SipMessage, now: number): void;

  /** The request was received again (a retransmission, RFC 3261 §17.2.3 match). */
  abstract onRetransmission(now: number): void;

  /** The transport failed to send (RFC 3261 §17.2.4): tell the TU, terminate. */
  onTransportError(error: Error): void {
    this.host.emit({ type: 'transport-error', transactionId: this.id, to: this.route.to, error });
    this.terminate();
  }
}
