/** What the two server transactions share (RFC 3261 §17.2): the request, where responses go. */
import { type ParseOptions, parseMessage, type SipMessage, serializeMessage } from '@tsvoip/sip';
import type { SipAddress } from '../core/address.js';
import { serverKeyOf } from '../core/matching.js';
import { ownString } from '../core/own-string.js';
import { Transaction, type TransactionHost } from './transaction.js';

/** Where a server transaction sends its responses (RFC 3261 §18.2.2). */
export interface ResponseRoute {
  /** Destination address. */
  readonly to: SipAddress;
  /** The connection the request came on (streams). */
  readonly connectionId?: string;
}

/** Our own serialized responses are re-read without limits (see {@link ServerTransaction.responseToTag}). */
const REREAD: ParseOptions = {
  maxMessageSize: Infinity,
  maxHeaders: Infinity,
  maxHeaderLineLength: Infinity,
  maxParams: Infinity,
  maxListElements: Infinity,
  validate: false,
};

/**
 * Base of the INVITE and non-INVITE server transactions.
 *
 * Memory: RFC 6026 Timer L and Timer J keep a transaction 64*T1 (32 s) after its final response,
 * so once that response is sent the transaction drops the request and the response message and
 * keeps only what matching and retransmissions need (the To tags, the status, and the bytes of
 * a final response it may resend: not a 2xx to an INVITE, RFC 6026 §7.1). Strings it keeps are
 * copies that do not hold the request's text ({@link ownString}).
 */
export abstract class ServerTransaction extends Transaction {
  /** Where responses go. */
  readonly route: ResponseRoute;
  /** The To tag of the request (RFC 2543 matching compares it), or undefined. */
  readonly requestToTag: string | undefined;
  /** @internal The §8.2.2.2 merge key the core indexed this transaction under, if any. */
  mergeKey: string | undefined = undefined;
  /**
   * @internal The §17.2.3 index entry the core filed this under: the top Via branch (magic
   * cookie; sent-by and method are compared on the transaction) or the RFC 2543 key.
   */
  indexKey = '';
  /** @internal The top Via sent-by host as received ('' under an RFC 2543 key). */
  sentByHost = '';
  /** @internal The top Via sent-by port as received. */
  sentByPort: number | undefined = undefined;
  /** @internal The next transaction filed under the same {@link ServerTransaction.indexKey}. */
  nextInIndex: ServerTransaction | undefined = undefined;
  /** @internal The method of the request (ACK never creates a server transaction). */
  readonly requestMethod: string;
  /**
   * The last response sent, resent on request retransmissions: its bytes while provisional, its
   * text (latin1, octet for octet) once final. Kept for Timer J/L (32 s), a string is one small
   * object where a buffer of its own is three (Buffer, ArrayBuffer, backing store) and a malloc.
   */
  #last: Uint8Array | string | undefined = undefined;
  #request: SipMessage | undefined;
  /** The last response while it is provisional (final: only its bytes are kept). */
  #provisional: SipMessage | undefined = undefined;
  #lastStatus = 0;
  /** The To tag of the last final response once read from its bytes; null: not read yet. */
  #finalToTag: string | undefined | null = null;

  /** @internal */
  constructor(
    host: TransactionHost,
    id: string,
    key: string | undefined,
    request: SipMessage,
    route: ResponseRoute,
    reliable: boolean,
  ) {
    super(host, id, key, reliable);
    this.#request = request;
    this.requestMethod = request.method;
    this.route = route;
    const tag = request.to?.tag;
    this.requestToTag = tag === undefined ? undefined : ownString(tag);
  }

  /** @internal RFC 3261 §17.2.3: branch + sent-by + method, built only when someone asks. */
  protected override buildKey(): string {
    return serverKeyOf(this.indexKey, this.sentByHost, this.sentByPort, this.requestMethod);
  }

  /**
   * The request that created the transaction, until a final response is sent; undefined after
   * it (the transaction then only matches retransmissions and ACKs, which need no request).
   */
  get request(): SipMessage | undefined {
    return this.#request;
  }

  /** The To tag of the last response sent (RFC 2543 ACK matching, RFC 3261 §17.2.3), if any. */
  get responseToTag(): string | undefined {
    if (this.#provisional !== undefined) return this.#provisional.to?.tag;
    if (this.#finalToTag === null) {
      // Rarely needed (a CANCEL or an RFC 2543 ACK): re-read from the bytes rather than keep the message.
      this.#finalToTag = this.#last === undefined ? undefined : parseMessage(this.#last, REREAD).to?.tag;
    }
    return this.#finalToTag;
  }

  /** The status of the last response sent, 0 if none. */
  get lastStatus(): number {
    return this.#lastStatus;
  }

  /**
   * Sends `response` and remembers its bytes for retransmissions. `keep` false: a final response
   * nothing resends (a 2xx to an INVITE, RFC 6026 §7.1): only its To tag is kept.
   */
  protected sendResponse(response: SipMessage, keep = true): void {
    const status = response.status;
    this.#lastStatus = status;
    const bytes = serializeMessage(response);
    this.#finalToTag = null;
    if (status < 200) {
      this.#last = bytes;
      this.#provisional = response;
    } else {
      if (keep) {
        // Kept until Timer J/L (32 s) as text of its own, not a view pinning the serializer's slab.
        this.#last = latin1Text(bytes);
      } else {
        const tag = toTagOf(response);
        this.#finalToTag = tag === undefined ? undefined : ownString(tag);
        this.#last = undefined;
      }
      this.#provisional = undefined;
      this.#request = undefined;
    }
    this.host.transmit(this.id, this.route.to, bytes, this.route.connectionId);
  }

  /** Resends the last response, if any. */
  protected resend(): void {
    const last = this.#last;
    if (last === undefined) return;
    const bytes = typeof last === 'string' ? Buffer.from(last, 'latin1') : last;
    this.host.transmit(this.id, this.route.to, bytes, this.route.connectionId);
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

/** `bytes` as a string of one character per octet (latin1: `Buffer.from(text, 'latin1')` gives them back). */
function latin1Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** The To tag of a response the TU built, undefined when it has none or its To is malformed. */
function toTagOf(response: SipMessage): string | undefined {
  try {
    return response.to?.tag;
  } catch {
    return undefined; // a TU's malformed To is sent as it is; it only has no tag to match on
  }
}
