/**
 * The offer/answer state machine of one INVITE session (RFC 3264 §4, RFC 6337 §2-3). Bodies are
 * opaque strings here: the session layer parses SDP. The machine only knows who owes an answer.
 */
import { OfferAnswerError } from '../dialog/errors.js';

/**
 * `stable`: no offer outstanding; `local-offer`: we sent an offer and wait for the answer;
 * `remote-offer`: we received an offer and owe the answer.
 */
export type OfferAnswerState = 'stable' | 'local-offer' | 'remote-offer';

/** The offer/answer state of a session, and the last descriptions exchanged. */
export class OfferAnswer {
  /** Current state. */
  state: OfferAnswerState = 'stable';
  /** The last offer or answer we sent that was part of a completed exchange (or the pending offer). */
  localDescription: string | undefined = undefined;
  /** The last offer or answer the peer sent. */
  remoteDescription: string | undefined = undefined;
  #previousLocal: string | undefined = undefined;
  #previousRemote: string | undefined = undefined;

  /** True when no offer is outstanding in either direction (RFC 3264 §4: one offer at a time). */
  get stable(): boolean {
    return this.state === 'stable';
  }

  /**
   * The response to refuse an incoming offer with, or 0 to take it (RFC 3311 §5.2, RFC 3261
   * §14.2, RFC 6337 §3.2): our own offer is pending → 491 (glare); the peer's previous offer is
   * still unanswered → 500 (with Retry-After).
   */
  refuseRemoteOffer(): 0 | 491 | 500 {
    if (this.state === 'local-offer') return 491;
    if (this.state === 'remote-offer') return 500;
    return 0;
  }

  /** We send an offer. Throws {@link OfferAnswerError} unless stable. */
  sendOffer(body: string): void {
    if (this.state !== 'stable') throw new OfferAnswerError(`cannot send an offer in state ${this.state}`);
    this.#previousLocal = this.localDescription;
    this.state = 'local-offer';
    this.localDescription = body;
  }

  /** The peer answered our offer: the exchange is complete. */
  receiveAnswer(body: string): void {
    if (this.state !== 'local-offer') throw new OfferAnswerError(`unexpected answer in state ${this.state}`);
    this.state = 'stable';
    this.remoteDescription = body;
  }

  /** The peer sent an offer. Throws unless stable (check {@link refuseRemoteOffer} first). */
  receiveOffer(body: string): void {
    if (this.state !== 'stable') throw new OfferAnswerError(`cannot take an offer in state ${this.state}`);
    this.#previousRemote = this.remoteDescription;
    this.state = 'remote-offer';
    this.remoteDescription = body;
  }

  /** We answer the peer's offer: the exchange is complete. */
  sendAnswer(body: string): void {
    if (this.state !== 'remote-offer')
      throw new OfferAnswerError(`cannot send an answer in state ${this.state}`);
    this.state = 'stable';
    this.localDescription = body;
  }

  /**
   * The request carrying the offer failed (non-2xx final, RFC 6337 §3.4 / RFC 3261 §14.1: the
   * session is as before): back to stable with the previous descriptions.
   */
  rollback(): void {
    if (this.state === 'local-offer') this.localDescription = this.#previousLocal;
    if (this.state === 'remote-offer') this.remoteDescription = this.#previousRemote;
    this.state = 'stable';
  }
}
