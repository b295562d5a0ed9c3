/**
 * The INVITE client transaction (RFC 3261 §17.1.1, Figure 5, as updated by RFC 6026 §7.2:
 * the Accepted state and Timer M).
 */
import { type SipMessage, serializeMessage } from '@tsvoip/sip';
import { ownBytes } from '../core/own-bytes.js';
import { buildAckForFailure, buildCancel } from './ack-cancel.js';
import { ClientTransaction } from './client-transaction.js';

/** States of Figure 5 plus RFC 6026 Accepted. */
export type InviteClientState = 'calling' | 'proceeding' | 'completed' | 'accepted' | 'terminated';

/** The INVITE client transaction. */
export class InviteClientTransaction extends ClientTransaction {
  /** Discriminant. */
  readonly kind = 'invite-client' as const;
  #state: InviteClientState = 'calling';
  #timerA = Infinity;
  #intervalA = 0;
  #timerB = Infinity;
  #timerD = Infinity;
  #timerM = Infinity;
  #ackBytes: Uint8Array | undefined = undefined;
  /** A CANCEL asked for before any provisional arrived (RFC 3261 §9.1), with its extra headers. */
  #pendingCancel: ReadonlyArray<readonly [string, string]> | undefined = undefined;
  #cancelled = false;
  /** Called with the CANCEL to send in its own non-INVITE client transaction. */
  onCancelReady: ((cancel: SipMessage) => void) | undefined = undefined;

  /** The current state. */
  get state(): InviteClientState {
    return this.#state;
  }

  /** @inheritdoc */
  nextDeadline(): number {
    return Math.min(this.#timerA, this.#timerB, this.#timerD, this.#timerM);
  }

  /** RFC 3261 §17.1.1.2: send the INVITE; Timer A (unreliable only) at T1, Timer B at 64*T1. */
  start(now: number): void {
    const t1 = this.host.timers.t1;
    this.send();
    if (!this.reliable) {
      this.#intervalA = t1;
      this.#timerA = now + t1;
    }
    this.#timerB = now + 64 * t1;
  }

  /** @inheritdoc */
  onTimer(now: number): void {
    if (this.#timerA <= now && this.#state === 'calling') {
      // RFC 3261 §17.1.1.2: Timer A: retransmit, the interval doubles each time (no T2 cap for INVITE).
      this.send();
      this.#intervalA *= 2;
      this.#timerA = now + this.#intervalA;
    }
    if (this.#timerB <= now) {
      // RFC 3261 §17.1.1.2: Timer B fired in Calling: the TU is told of the timeout.
      this.#stopAll();
      this.host.emit({ type: 'timeout', transactionId: this.id, timer: 'B' });
      this.#terminate();
      return;
    }
    if (this.#timerD <= now) {
      // RFC 3261 §17.1.1.2: Timer D: Completed → Terminated.
      this.#stopAll();
      this.#terminate();
      return;
    }
    if (this.#timerM <= now) {
      // RFC 6026 §7.2: Timer M: Accepted → Terminated.
      this.#stopAll();
      this.#terminate();
    }
  }

  /** @inheritdoc */
  onResponse(response: SipMessage, now: number): void {
    const status = response.status;
    switch (this.#state) {
      case 'calling':
      case 'proceeding':
        if (status < 200) {
          // RFC 3261 §17.1.1.2: a provisional response stops retransmissions (Proceeding).
          this.#state = 'proceeding';
          this.#timerA = Infinity;
          this.#timerB = Infinity;
          this.#deliver(response);
          this.#sendPendingCancel();
        } else if (status < 300) {
          // RFC 6026 §7.2: a 2xx moves to Accepted and starts Timer M (64*T1); the TU ACKs it.
          this.#state = 'accepted';
          this.#timerA = Infinity;
          this.#timerB = Infinity;
          this.#timerM = now + 64 * this.host.timers.t1;
          this.#pendingCancel = undefined;
          this.releaseBytes();
          this.#deliver(response);
        } else {
          // RFC 3261 §17.1.1.2/§17.1.1.3: 300-699: the transaction ACKs, tells the TU, goes Completed.
          this.#state = 'completed';
          this.#timerA = Infinity;
          this.#timerB = Infinity;
          this.#pendingCancel = undefined;
          this.releaseBytes();
          this.#ackBytes = ownBytes(serializeMessage(buildAckForFailure(this.request, response)));
          this.host.transmit(this.id, this.destination, this.#ackBytes, this.connectionId);
          this.#deliver(response);
          // RFC 3261 §17.1.1.2: Timer D is at least 32 s for unreliable transports, 0 for reliable.
          if (this.reliable) this.#terminate();
          else this.#timerD = now + Math.max(32000, 64 * this.host.timers.t1);
        }
        return;
      case 'completed':
        // RFC 3261 §17.1.1.2: a retransmitted final response is answered with the ACK again, not passed up.
        if (status >= 300 && this.#ackBytes !== undefined) {
          this.host.transmit(this.id, this.destination, this.#ackBytes, this.connectionId);
        }
        return;
      case 'accepted':
        // RFC 6026 §7.2: in Accepted every 2xx (retransmission or another fork) goes to the TU.
        if (status >= 200 && status < 300) this.#deliver(response);
        return;
      default:
        return;
    }
  }

  /**
   * Asks for a CANCEL (RFC 3261 §9.1): built at once when a provisional was received, else held
   * until one arrives. Returns false when a final response already arrived (nothing to cancel).
   */
  requestCancel(headers?: ReadonlyArray<readonly [string, string]>): boolean {
    // One CANCEL per INVITE: a second request would reuse the branch of the first CANCEL.
    if (this.#cancelled) return this.#state === 'calling' || this.#state === 'proceeding';
    this.#cancelled = true;
    if (this.#state === 'proceeding') {
      this.onCancelReady?.(buildCancel(this.request, headers));
      return true;
    }
    if (this.#state === 'calling') {
      this.#pendingCancel = headers ?? [];
      return true;
    }
    return false;
  }

  #sendPendingCancel(): void {
    const h = this.#pendingCancel;
    if (h === undefined) return;
    this.#pendingCancel = undefined;
    this.onCancelReady?.(buildCancel(this.request, h));
  }

  #deliver(response: SipMessage): void {
    this.host.emit({ type: 'response', transactionId: this.id, response, request: this.request });
  }

  #stopAll(): void {
    this.#timerA = this.#timerB = this.#timerD = this.#timerM = Infinity;
  }

  #terminate(): void {
    this.#state = 'terminated';
    this.#stopAll();
    this.terminate();
  }
}
