/**
 * What usages need from the user agent core: sending through the stack core, timers on the
 * UA's deadline queue, randomness, configuration and the dialog tables.
 */
import type { SipMessage } from '@tsvoip/sip';
import type { SipAddress } from '../core/address.js';
import type { StackLogger } from '../core/logger.js';
import type { TimerConfig } from '../core/timer-config.js';
import type { Dialog } from '../dialog/dialog.js';
import type { SessionTimerPolicy } from '../usage/session-timer.js';
import type { AuthenticateHook } from './auth-retry.js';

/** Handlers of one client transaction started by a usage. */
export interface ClientHandlers {
  /**
   * A response. Timeouts arrive as a local 408 and transport failures as a local 503 (RFC 3261
   * §8.1.3.1), with `local` true.
   */
  onResponse(response: SipMessage, local: boolean): void;
  /** The transaction was removed from the stack (optional); after a retry, the retry's. */
  onTerminated?(): void;
  /**
   * Answers a 401/407 to this request (RFC 3261 §22.2), instead of the UA's `authenticate`;
   * `false`: never retried with credentials.
   */
  readonly authenticate?: AuthenticateHook | false;
  /**
   * The core answered a 401/407 and sent `request` (credentials added, CSeq incremented) in the
   * new client transaction `transactionId`; the challenge itself does not reach `onResponse`.
   */
  onResend?(request: SipMessage, transactionId: string): void;
}

/** A scheduled UA timer; pass it to {@link UsageHost.cancelTimer}. */
export interface TimerHandle {
  /** When it falls due (ms). */
  readonly at: number;
}

/** Configuration shared by the usages (resolved {@link UserAgentOptions}). */
export interface UsageConfig {
  /** Our Contact header value. */
  readonly contact: string;
  /** Our address-of-record (From of out-of-dialog requests). */
  readonly from: string;
  /** Methods we accept (Allow, RFC 3261 §20.5). */
  readonly allow: readonly string[];
  /** Option tags we support (Supported, RFC 3261 §20.37). */
  readonly supported: readonly string[];
  /** Session timer policy (RFC 4028), undefined to not ask for one. */
  readonly sessionTimer: SessionTimerPolicy | undefined;
  /** Refresh sessions with UPDATE when the peer allows it (else re-INVITE). */
  readonly refreshWithUpdate: boolean;
  /** Keep extra 2xx dialogs of a forked INVITE instead of BYE-ing them (RFC 3261 §13.2.2.4). */
  readonly acceptForks: boolean;
  /** Content types usages understand in offer/answer (415 + Accept otherwise). */
  readonly sessionContentType: string;
}

/** The services the UA core offers its usages. */
export interface UsageHost {
  /** The time of the input being handled (ms). */
  readonly now: number;
  /** T1/T2/T4. */
  readonly timers: TimerConfig;
  /** Configuration. */
  readonly config: UsageConfig;
  /** Logger. */
  readonly log: StackLogger;
  /** A random number in [0, 1) (glare back-off, RSeq). */
  random(): number;
  /** A random token (tags, Call-IDs). */
  token(): string;
  /** The UA's answer to a 401/407 (its `authenticate` option); undefined when it has none or gives up. */
  authenticate(
    response: SipMessage,
    request: SipMessage,
  ): ReadonlyArray<readonly [string, string]> | undefined;
  /**
   * Sends a request in a new client transaction to its next hop; returns the transaction id. A
   * 401/407 is answered once with credentials (see {@link ClientHandlers.authenticate}).
   */
  sendRequest(request: SipMessage, handlers: ClientHandlers): string;
  /** Sends a response on a server transaction. */
  sendResponse(transactionId: string, response: SipMessage): void;
  /** True while the stack still holds the transaction. */
  hasTransaction(transactionId: string): boolean;
  /** Sends a message outside any transaction (ACK for 2xx, 2xx retransmission). */
  sendStateless(message: SipMessage, destination?: SipAddress): void;
  /** The next-hop address of a request (first Route, else Request-URI; RFC 3261 §8.1.2). */
  destinationOf(request: SipMessage): SipAddress;
  /** Cancels an INVITE client transaction (RFC 3261 §9.1). */
  cancel(transactionId: string): void;
  /** Runs `fire` at `at` (ms) on the UA's deadline queue. */
  schedule(at: number, fire: (now: number) => void): TimerHandle;
  /** Cancels a timer (no-op when it already fired or was cancelled). */
  cancelTimer(handle: TimerHandle | undefined): void;
  /** Registers a dialog so in-dialog requests reach its usages. */
  addDialog(dialog: Dialog, usages: DialogUsages): void;
  /** Unregisters a dialog. */
  removeDialog(dialog: Dialog): void;
  /** The usages of a dialog, by id. */
  dialogUsages(dialogId: string): DialogUsages | undefined;
  /** Routes NOTIFYs for a SUBSCRIBE/REFER not yet answered to `catcher` (RFC 6665 §4.1.2.4). */
  awaitNotify(callId: string, localTag: string, catcher: NotifyCatcher): void;
  /** Stops routing them. */
  stopAwaitingNotify(callId: string, localTag: string): void;
}

/** Takes a NOTIFY that matches no dialog yet (it arrived before the 2xx to SUBSCRIBE or REFER). */
export interface NotifyCatcher {
  /** Returns false when the NOTIFY is not for it (the UA answers 481). */
  onEarlyNotify(request: SipMessage, transactionId: string): boolean;
}

/** Something that handles requests inside a dialog. */
export interface DialogUsage {
  /** Handles an in-dialog request (CSeq already checked); returns false when it is not for this usage. */
  onRequest(request: SipMessage, transactionId: string): boolean;
}

/** The usages sharing one dialog (reSIProcate DUM's DialogSet/Dialog): one INVITE session, many subscriptions. */
export interface DialogUsages {
  /** The dialog. */
  readonly dialog: Dialog;
  /** The INVITE session, when the dialog was created by INVITE. */
  invite: DialogUsage | undefined;
  /** Subscriptions by `event;id=x` key (RFC 6665 §4.1.2.1). */
  readonly subscriptions: Map<string, DialogUsage>;
}
