/** The non-INVITE server transaction (RFC 3261 §17.2.2, Figure 8). */
import type { SipMessage } from '@tsvoip/sip';
import { InvalidCommandError } from '../core/errors.js';
import { ServerTransaction } from './server-transaction.js';

/** States of Figure 8. */
export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

/** The non-INVITE server transaction. */
export class NonInviteServerTransaction extends ServerTransaction {
  /** Discriminant. */
  readonly kind = 'non-invite-server' as const;
  #state: NonInviteServerState = 'trying';
  /** Timer J, or undefined while it is not running (no number boxed per transaction for it). */
  #timerJ: number | undefined = undefined;

  /** The current state. */
  get state(): NonInviteServerState {
    return this.#state;
  }

  /** @inheritdoc */
  nextDeadline(): number {
    return this.#timerJ ?? Infinity;
  }

  /** @inheritdoc */
  onTimer(now: number): void {
    const j = this.#timerJ;
    if (j !== undefined && j <= now) {
      // RFC 3261 §17.2.2: Timer J: Completed → Terminated.
      this.#timerJ = undefined;
      this.#state = 'terminated';
      this.terminate();
    }
  }

  /** @inheritdoc */
  respond(response: SipMessage, now: number): void {
    if (this.#state === 'completed' || this.#state === 'terminated') {
      throw new InvalidCommandError('a final response was already sent', this.id);
    }
    this.sendResponse(response);
    if (response.status < 200) {
      // RFC 3261 §17.2.2: a provisional from the TU moves Trying → Proceeding.
      this.#state = 'proceeding';
      return;
    }
    // RFC 3261 §17.2.2: a final response moves to Completed; Timer J = 64*T1 (0 when reliable).
    this.#state = 'completed';
    if (this.reliable) {
      this.#state = 'terminated';
      this.terminate();
    } else {
      this.#timerJ = now + 64 * this.host.timers.t1;
    }
  }

  /** @inheritdoc */
  onRetransmission(_now: number): void {
    // RFC 3261 §17.2.2: retransmissions are discarded in Trying, answered with the last
    // response in Proceeding and Completed.
    if (this.#state === 'proceeding' || this.#state === 'completed') this.resend();
  }
}
