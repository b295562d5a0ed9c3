/** The events and option types of an INVITE session (see `invite-session.ts`). */
import type { SipMessage } from '@tsvoip/sip';
import type { IncomingRefer } from './refer.js';
import type { ServerRequest } from './server-request.js';

/** Why a session ended. */
export type TerminationReason =
  | 'local-bye'
  | 'remote-bye'
  | 'rejected'
  | 'cancelled'
  | 'no-ack'
  | 'session-expired'
  | 'fork-discarded'
  | 'request-failed'
  | 'replaced';

/** Events of an {@link InviteSession}. */
export type InviteSessionEvents = {
  /** The dialog is confirmed and the 2xx ACKed (UAS: the ACK arrived; UAC: ACK sent). */
  confirmed: [];
  /** The peer answered our offer (RFC 3264 §4). */
  answer: [body: string];
  /** A re-INVITE arrived; answer with `request.accept({ body })` or `reject(status)`. Default: accept with the last local description. */
  reinvite: [request: ServerRequest, offer: string | undefined];
  /** An UPDATE arrived (RFC 3311); default: accept (answering an offer with the last local description). */
  update: [request: ServerRequest, offer: string | undefined];
  /** A PRACK acknowledged one of our reliable provisionals (RFC 3262). */
  prack: [request: SipMessage];
  /** An INFO arrived (RFC 6086). Default: 200, or 469 when it names an Info-Package. */
  info: [request: ServerRequest];
  /** A MESSAGE arrived in the dialog (RFC 3428). Default: 200. */
  message: [request: ServerRequest];
  /** A REFER arrived (RFC 3515). Default: 603 (decline) when no listener. */
  refer: [refer: IncomingRefer];
  /** Our re-INVITE or UPDATE met a 491; it is retried after `delay` ms (RFC 3261 §14.1). */
  glare: [delay: number];
  /** Our re-INVITE or UPDATE failed with this final response (the session goes on unless 408/481). */
  'modify-failed': [response: SipMessage];
  /** The session timer was refreshed (RFC 4028), interval in seconds. */
  refreshed: [interval: number];
  /** The session ended. */
  terminated: [reason: TerminationReason];
};

/** Parts of a re-INVITE or UPDATE we send. */
export interface ModifyOptions {
  /** Extra headers. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** Content-Type of the body (default: the configured session type). */
  readonly contentType?: string;
}
