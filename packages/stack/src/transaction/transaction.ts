/**
 * What every transaction shares (RFC 3261 §17): an id, a state, timers kept as absolute
 * deadlines (Infinity when not running) and the host (the stack core) it sends through. The core
 * keeps ONE entry per transaction in its deadline queue, at the transaction's earliest deadline.
 */
import type { SipAddress } from '../core/address.js';
import type { Deadline } from '../core/deadline-queue.js';
import type { StackEvent } from '../core/io.js';
import type { StackLogger } from '../core/logger.js';
import type { TimerConfig } from '../core/timer-config.js';

/** What a transaction needs from the core that owns it. */
export interface TransactionHost {
  /** Timer values. */
  readonly timers: TimerConfig;
  /** Logger. */
  readonly log: StackLogger;
  /** Queues bytes for the driver. */
  transmit(transactionId: string | undefined, to: SipAddress, bytes: Uint8Array, connectionId?: string): void;
  /** Queues an event for the TU. */
  emit(event: StackEvent): void;
}

/** The kinds of transaction (RFC 3261 §17.1.1, §17.1.2, §17.2.1, §17.2.2). */
export type TransactionKind = 'invite-client' | 'non-invite-client' | 'invite-server' | 'non-invite-server';

/** Base of the four transaction state machines. */
export abstract class Transaction {
  /** Opaque id, unique in its stack core; events carry it and commands name it. */
  readonly id: string;
  /** @internal The matching key as given, or undefined until {@link Transaction.key} builds it. */
  protected _key: string | undefined;
  /** Which state machine this is. */
  abstract readonly kind: TransactionKind;
  /** True over TCP/TLS/WS/WSS: no retransmissions, zero wait timers (RFC 3261 §17). */
  readonly reliable: boolean;
  /** @internal The core's heap entry for this transaction's earliest deadline. */
  deadline: Deadline<Transaction> | undefined = undefined;
  /** @internal Set when the transaction reached Terminated. */
  terminated = false;
  /** @internal Set when the core's table let go of it (once, after Terminated). */
  removed = false;
  /** The host. */
  protected readonly host: TransactionHost;

  /** @internal */
  constructor(host: TransactionHost, id: string, key: string | undefined, reliable: boolean) {
    this.host = host;
    this.id = id;
    this._key = key;
    this.reliable = reliable;
  }

  /** The matching key (RFC 3261 §17.1.3 / §17.2.3). */
  get key(): string {
    if (this._key === undefined) this._key = this.buildKey();
    return this._key;
  }

  /** @internal Builds the key when none was given (the core indexes by parts, not by this string). */
  protected buildKey(): string {
    return '';
  }

  /** The current state name (lower case, as in the RFC figures). */
  abstract get state(): string;

  /** The earliest running timer, Infinity when none runs. */
  abstract nextDeadline(): number;

  /** Runs every timer due at `now`. */
  abstract onTimer(now: number): void;

  /** Moves to Terminated (the core removes the transaction). */
  protected terminate(): void {
    this.terminated = true;
  }
}
