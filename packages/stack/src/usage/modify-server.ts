/**
 * The UAS side of a session modification: a re-INVITE (RFC 3261 §14.2) or an UPDATE (RFC 3311
 * §5.2) received in a dialog. Glare and pending offers are refused (491 / 500 with Retry-After),
 * the session timer is negotiated (RFC 4028 §9, 422), and the application answers.
 */
import type { SipMessage } from '@tsvoip/sip';
import type { Dialog } from '../dialog/dialog.js';
import type { UsageHost } from '../ua/host.js';
import { rejectUnsupportedBody } from './dialog-requests.js';
import type { OfferAnswer } from './offer-answer.js';
import { bodyText, ServerRequest } from './server-request.js';
import { decideUasSessionTimer } from './session-timer.js';

/** What the session shares with the modification it receives. */
export interface ModifyServerContext {
  /** The UA core. */
  readonly host: UsageHost;
  /** The dialog. */
  readonly dialog: Dialog;
  /** The session's offer/answer state. */
  readonly offerAnswer: OfferAnswer;
  /** The session timer interval in force (seconds), if any. */
  readonly sessionInterval: number | undefined;
  /** True while our own re-INVITE is pending. */
  readonly ourInvitePending: boolean;
  /** True while the peer's previous re-INVITE (or the initial 2xx) awaits its answer or ACK. */
  readonly peerInvitePending: boolean;
  /** Records the pending incoming re-INVITE (undefined once answered). */
  setIncomingInvite(request: ServerRequest | undefined): void;
  /** A 2xx to a re-INVITE was sent: retransmit it until the ACK. */
  startAnswer(transactionId: string, response: SipMessage, request: SipMessage): void;
  /** A session refresh succeeded: restart the session timer. */
  refreshed(interval: number, weRefresh: boolean): void;
  /** Raises `reinvite` / `update`; returns true when the application listens. */
  emit(event: 'reinvite' | 'update', request: ServerRequest, offer: string | undefined): boolean;
}

function retryAfter(host: UsageHost): Array<readonly [string, string]> {
  // RFC 3311 §5.2 / RFC 3261 §14.2: Retry-After, random 0-10 s.
  return [['Retry-After', String(Math.floor(host.random() * 11))]];
}

/** Handles a re-INVITE or UPDATE received in the dialog. */
export function receiveModify(ctx: ModifyServerContext, request: SipMessage, transactionId: string): void {
  const { host, dialog, offerAnswer: oa } = ctx;
  const isInvite = request.method === 'INVITE';
  const plain = new ServerRequest(host, request, transactionId, { toTag: dialog.localTag });
  const body = bodyText(request);
  if (isInvite) {
    // RFC 3261 §14.2: a re-INVITE while ours is pending gets 491; while the peer's previous one is unanswered, 500.
    if (ctx.ourInvitePending) return void plain.reject(491);
    if (ctx.peerInvitePending) return void plain.reject(500, { headers: retryAfter(host) });
  }
  if (body !== '') {
    if (rejectUnsupportedBody(host, plain)) return;
    // RFC 3311 §5.2 / RFC 6337 §3.2: our offer pending → 491; the peer's unanswered → 500 + Retry-After.
    const refuse = oa.refuseRemoteOffer();
    if (refuse === 491 || (refuse === 0 && !isInvite && ctx.ourInvitePending)) return void plain.reject(491);
    if (refuse === 500) return void plain.reject(500, { headers: retryAfter(host) });
  }
  const interval = ctx.sessionInterval;
  const decision = decideUasSessionTimer(
    request,
    host.config.sessionTimer ??
      (interval === undefined ? undefined : { sessionExpires: interval, minSE: 90 }),
  );
  // RFC 4028 §9: a Session-Expires below our Min-SE gets 422 with Min-SE.
  if (decision.kind === 'reject')
    return void plain.reject(422, { headers: [['Min-SE', String(decision.minSE)]] });
  if (body !== '') oa.receiveOffer(body);
  const offer = body === '' ? undefined : body;
  const sr = new ServerRequest(host, request, transactionId, {
    toTag: dialog.localTag,
    prepare: (status, parts) => {
      if (status < 200 || status >= 300) return parts;
      const headers: Array<readonly [string, string]> = [
        ['Contact', dialog.localContact],
        ...(parts.headers ?? []),
      ];
      if (decision.kind === 'accept') {
        headers.push(['Session-Expires', `${decision.interval};refresher=${decision.refresher}`]);
        if (decision.require) headers.push(['Require', 'timer']);
      }
      // RFC 3264 §4: an offer is answered in the 2xx; without one from the app, the last local description.
      const answer = parts.body ?? (offer !== undefined ? oa.localDescription : undefined);
      const contentType =
        answer === undefined ? undefined : (parts.contentType ?? host.config.sessionContentType);
      return { ...parts, headers, body: answer, contentType };
    },
    onFinal: (status, response) => {
      if (isInvite) ctx.setIncomingInvite(undefined);
      if (status >= 300) {
        // RFC 6337 §3.4: a refused offer leaves the session as it was.
        if (oa.state === 'remote-offer') oa.rollback();
        return;
      }
      // RFC 3261 §12.2 / RFC 3311 §5.2: a target refresh request updates the remote target.
      dialog.refreshTarget(request);
      const sent = bodyText(response);
      if (oa.state === 'remote-offer') oa.sendAnswer(sent);
      else if (sent !== '' && isInvite) oa.sendOffer(sent);
      if (isInvite) ctx.startAnswer(transactionId, response, request);
      if (decision.kind === 'accept') ctx.refreshed(decision.interval, decision.refresher === 'uas');
    },
  });
  if (isInvite) ctx.setIncomingInvite(sr);
  if (!ctx.emit(isInvite ? 'reinvite' : 'update', sr, offer) && !sr.answered) sr.accept();
}
