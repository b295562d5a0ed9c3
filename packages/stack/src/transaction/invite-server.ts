/**
 * The INVITE server transaction (RFC 3261 §17.2.1, Figure 7, as updated by RFC 6026 §7.1: the
 * Accepted state and Timer L; 2xx retransmissions are the TU's job).
 */
import { createResponse, type SipMessage } from '@tsvoip/sip';
import { InvalidCommandError } from '../core/errors.js';
import { ServerTransaction } from './server-transaction.js';

/** States of Figure 7 plus RFC 6026 Accepted. */
export type InviteServerState = 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

/** The INVITE server transaction. */
export class InviteServerTransaction extends ServerTransaction {
  /** Discriminant. */
  readonly kind = 'invite-server' as const;
  #state: InviteServerState = 'proceeding';
  /**
   * When the running timer of the state fires: the 100 Trying timer (Proceeding), Timer H
   * (Completed), Timer I (Confirmed) or Timer L (Accepted); undefined when none runs. One field
   * for the four (a state runs one of them), and no number boxed per transaction for timers that
   * are not running: the transaction lives 32 s in Accepted.
   */
  #timer: number | undefined = undefined;
  /** Timer G (Completed, unreliable transports), or undefined. */
  #timerG: number | undefined = undefined;
  #intervalG = 0;

  /** The current state. */
  get state(): InviteServerState {
    return this.#state;
  }

  /** @inheritdoc */
  nextDeadline(): number {
    const t = this.#timer ?? Infinity;
    const g = this.#timerG ?? Infinity;
    return Math.min(t, g);
  }

  /** RFC 3261 §17.2.1: send 100 Trying ourselves unless the TU sends a provisional within 200 ms. */
  start(now: number): void {
    this.#timer = now + this.host.timers.trying;
  }

  /** @inheritdoc */
  onTimer(now: number): void {
    const g = this.#timerG;
    if (g !== undefined && g <= now && this.#state === 'completed') {
      // RFC 3261 §17.2.1: Timer G: retransmit the final response; the interval doubles up to T2.
      this.resend();
      this.#intervalG = Math.min(2 * this.#intervalG, this.host.timers.t2);
      this.#timerG = now + this.#intervalG;
    }
    const t = this.#timer;
    if (t === undefined || t > now) return;
    this.#timer = undefined;
    switch (this.#state) {
      case 'proceeding': {
        // RFC 3261 §17.2.1 / §8.2.6.1: 100 Trying copies Timestamp and needs no To tag.
        const request = this.request;
        if (this.lastStatus === 0 && request !== undefined) this.sendResponse(createResponse(request, 100));
        break;
      }
      case 'completed':
        // RFC 3261 §17.2.1: Timer H: no ACK came; Terminated, and the TU is told of the failure.
        this.host.emit({ type: 'timeout', transactionId: this.id, timer: 'H' });
        this.#terminate();
        break;
      case 'confirmed':
      case 'accepted':
        // RFC 3261 §17.2.1 Timer I (Confirmed), RFC 6026 §7.1 Timer L (Accepted): → Terminated.
        this.#terminate();
        break;
    }
  }

  /** @inheritdoc */
  respond(response: SipMessage, now: number): void {
    const status = response.status;
    if (this.#state === 'accepted') {
      // RFC 6026 §8.7: 2xx retransmissions from the TU are passed to the transport in Accepted.
      if (status >= 200 && status < 300) {
        this.sendResponse(response, false);
        return;
      }
      throw new InvalidCommandError(`${status} after a 2xx`, this.id);
    }
    if (this.#state !== 'proceeding')
      throw new InvalidCommandError('a final response was already sent', this.id);
    // Any response stops the 100 Trying timer.
    this.#timer = undefined;
    // RFC 6026 §7.1: nothing resends a 2xx from here (absorbed retransmissions; the TU resends).
    this.sendResponse(response, status < 200 || status >= 300);
    if (status < 200) return;
    const t1 = this.host.timers.t1;
    if (status < 300) {
      // RFC 6026 §7.1: a 2xx moves Proceeding → Accepted and starts Timer L (64*T1).
      this.#state = 'accepted';
      this.#timer = now + 64 * t1;
      return;
    }
    // RFC 3261 §17.2.1: 300-699 → Completed; Timer G (unreliable only) at T1, Timer H at 64*T1.
    this.#state = 'completed';
    if (!this.reliable) {
      this.#intervalG = t1;
      this.#timerG = now + t1;
    }
    this.#timer = now + 64 * t1;
  }

  /** @inheritdoc */
  onRetransmission(_now: number): void {
    // RFC 3261 §17.2.1: a retransmitted INVITE gets the last provisional (Proceeding) or the
    // final response (Completed) again; RFC 6026 §7.1: absorbed in Accepted.
    if (this.#state === 'proceeding' || this.#state === 'completed') this.resend();
  }

  /**
   * An ACK matched (RFC 3261 §17.2.3). Returns true when the transaction absorbed it (the ACK for
   * a non-2xx), false when it belongs to the TU (Accepted: the ACK for a 2xx, RFC 6026 §7.1).
   */
  onAck(now: number): boolean {
    if (this.#state === 'completed') {
      // RFC 3261 §17.2.1: ACK in Completed → Confirmed; Timer I = T4 (0 when reliable); stop G and H.
      this.#state = 'confirmed';
      this.#timerG = undefined;
      this.#timer = undefined;
      if (this.reliable) this.#terminate();
      else this.#timer = now + this.host.timers.t4;
      return true;
    }
    return this.#state !== 'accepted';
  }

  /** True while no final response was sent (a CANCEL still has an effect, RFC 3261 §9.2). */
  get cancellable(): boolean {
    return this.#state === 'proceeding';
  }

  #terminate(): void {
    this.#state = 'terminated';
    this.#timer = this.#timerG = undefined;
    this.terminate();
  }
}
