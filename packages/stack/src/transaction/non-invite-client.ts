/** The non-INVITE client transaction (RFC 3261 §17.1.2, Figure 6). */
import type { SipMessage } from '@tsvoip/sip';
import { ClientTransaction } from './client-transaction.js';

/** States of Figure 6. */
export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

/** The non-INVITE client transaction. */
export class NonInviteClientTransaction extends ClientTransaction {
  /** Discriminant. */
  readonly kind = 'non-invite-client' as const;
  #state: NonInviteClientState = 'trying';
  #timerE = Infinity;
  #intervalE = 0;
  #timerF = Infinity;
  #timerK = Infinity;

  /** The current state. */
  get state(): NonInviteClientState {
    return this.#state;
  }

  /** @inheritdoc */
  nextDeadline(): number {
    return Math.min(this.#timerE, this.#timerF, this.#timerK);
  }

  /** RFC 3261 §17.1.2.2: send; Timer E (unreliable only) at T1, Timer F at 64*T1. */
  start(now: number): void {
    const t1 = this.host.timers.t1;
    this.send();
    if (!this.reliable) {
      this.#intervalE = t1;
      this.#timerE = now + t1;
    }
    this.#timerF = now + 64 * t1;
  }

  /** @inheritdoc */
  onTimer(now: number): void {
    const { t2 } = this.host.timers;
    if (this.#timerE <= now && (this.#state === 'trying' || this.#state === 'proceeding')) {
      // RFC 3261 §17.1.2.2: Timer E: retransmit; in Trying the interval doubles up to T2,
      // in Proceeding it is T2.
      this.send();
      this.#intervalE = this.#state === 'trying' ? Math.min(2 * this.#intervalE, t2) : t2;
      this.#timerE = now + this.#intervalE;
    }
    if (this.#timerF <= now) {
      // RFC 3261 §17.1.2.2: Timer F: the TU is told of the timeout; Terminated.
      this.host.emit({ type: 'timeout', transactionId: this.id, timer: 'F' });
      this.#terminate();
      return;
    }
    if (this.#timerK <= now) {
      // RFC 3261 §17.1.2.2: Timer K: Completed → Terminated.
      this.#terminate();
    }
  }

  /** @inheritdoc */
  onResponse(response: SipMessage, now: number): void {
    if (this.#state !== 'trying' && this.#state !== 'proceeding') return; // Completed absorbs retransmissions.
    this.host.emit({ type: 'response', transactionId: this.id, response, request: this.request });
    if (response.status < 200) {
      // RFC 3261 §17.1.2.2: a provisional moves to Proceeding; Timer E continues at T2.
      this.#state = 'proceeding';
      return;
    }
    // RFC 3261 §17.1.2.2: a final response moves to Completed; Timer K = T4 (0 when reliable).
    this.#state = 'completed';
    this.#timerE = Infinity;
    this.#timerF = Infinity;
    this.releaseBytes();
    if (this.reliable) this.#terminate();
    else this.#timerK = now + this.host.timers.t4;
  }

  #terminate(): void {
    this.#state = 'terminated';
    this.#timerE = this.#timerF = this.#timerK = Infinity;
    this.terminate();
  }
}
