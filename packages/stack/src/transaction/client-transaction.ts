/** What the two client transactions share (RFC 3261 §17.1): the request, its bytes, where it goes. */
import { type SipMessage, serializeMessage } from '@tsvoip/sip';
import type { SipAddress } from '../core/address.js';
import { ownBytes } from '../core/own-bytes.js';
import { Transaction, type TransactionHost } from './transaction.js';

const NO_BYTES = new Uint8Array(0);

/** Base of the INVITE and non-INVITE client transactions. */
export abstract class ClientTransaction extends Transaction {
  /** The request as sent (with the stack's Via). */
  readonly request: SipMessage;
  /** Its wire form, kept for retransmissions until a final response ({@link releaseBytes}). */
  protected bytes: Uint8Array;
  /** Where it goes. */
  readonly destination: SipAddress;
  /** The connection it goes over (streams), if one was given. */
  readonly connectionId: string | undefined;

  /** @internal */
  constructor(
    host: TransactionHost,
    id: string,
    key: string,
    request: SipMessage,
    destination: SipAddress,
    connectionId: string | undefined,
    reliable: boolean,
  ) {
    super(host, id, key, reliable);
    this.request = request;
    // Kept until the final response: out of the serializer's shared slab (see ownBytes).
    this.bytes = ownBytes(serializeMessage(request));
    this.destination = destination;
    this.connectionId = connectionId;
  }

  /**
   * A final response ended the retransmissions (RFC 3261 §17.1.1.2, §17.1.2.2): the bytes are
   * dropped rather than kept through Timer M/D/K.
   */
  protected releaseBytes(): void {
    this.bytes = NO_BYTES;
  }

  /** Sends (or resends) the request. */
  protected send(): void {
    this.host.transmit(this.id, this.destination, this.bytes, this.connectionId);
  }

  /** Starts the transaction: first transmission and timers. */
  abstract start(now: number): void;

  /** A response matched this transaction (RFC 3261 §17.1.3). */
  abstract onResponse(response: SipMessage, now: number): void;

  /** The transport failed to send (RFC 3261 §17.1.4): tell the TU, terminate. */
  onTransportError(error: Error): void {
    this.host.emit({ type: 'transport-error', transactionId: this.id, to: this.destination, error });
    this.terminate();
  }
}
