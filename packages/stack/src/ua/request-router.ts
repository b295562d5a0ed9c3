/**
 * Where a request the stack passes up goes (RFC 3261 §8.2, §12.2.2): in-dialog requests to
 * their dialog's usages (481 without one, 500 when out of order), new INVITEs through the 415 /
 * 422 / Replaces checks, other out-of-dialog requests to the application's listeners.
 */
import type { SipMessage } from '@tsvoip/sip';
import { dialogKey, dialogKeyOfRequest, dialogSetKey } from '../dialog/dialog-id.js';
import { capabilityHeaders, rejectUnsupportedBody } from '../usage/dialog-requests.js';
import { IncomingInvite } from '../usage/incoming-invite.js';
import { InviteSession } from '../usage/invite-session.js';
import { receiveRefer } from '../usage/refer.js';
import { decideReplaces, parseReplaces } from '../usage/replaces.js';
import { ServerRequest } from '../usage/server-request.js';
import { decideUasSessionTimer } from '../usage/session-timer.js';
import { NotifierSubscription } from '../usage/subscription.js';
import { parseEvent, subscriptionKey } from '../usage/subscription-state.js';
import type { UserAgentEvents } from './events.js';
import type { DialogUsages, NotifyCatcher, UsageHost } from './host.js';

/** The UA core's tables the router reads and fills. */
export interface RouterTables {
  /** Dialogs by id. */
  readonly dialogs: Map<string, DialogUsages>;
  /** NOTIFY catchers by Call-ID + local tag (RFC 6665 §4.1.2.4). */
  readonly notifyCatchers: Map<string, NotifyCatcher>;
  /** Pending incoming INVITEs by server transaction (for CANCEL). */
  readonly incoming: Map<string, IncomingInvite>;
}

/** Raises a UA event; returns true when the application listens. */
export type RouterEmit = <K extends keyof UserAgentEvents & string>(
  event: K,
  ...args: UserAgentEvents[K]
) => boolean;

/** Routes one request from the stack (a `request` event). */
export function routeRequest(
  host: UsageHost,
  t: RouterTables,
  emit: RouterEmit,
  req: SipMessage,
  transactionId: string,
): void {
  if (req.to?.tag !== undefined) {
    inDialog(host, t, emit, req, transactionId);
    return;
  }
  switch (req.method) {
    case 'INVITE':
      onInvite(host, t, emit, req, transactionId);
      return;
    case 'MESSAGE': {
      const sr = new ServerRequest(host, req, transactionId);
      if (!emit('message', sr) && !sr.answered) sr.accept();
      return;
    }
    case 'OPTIONS': {
      const sr = new ServerRequest(host, req, transactionId);
      if (!emit('options', sr) && !sr.answered) sr.accept({ headers: capabilityHeaders(host) });
      return;
    }
    case 'SUBSCRIBE': {
      const event = parseEvent(req.getHeader('Event'));
      // RFC 6665 §8.2.1: a SUBSCRIBE without Event (or an unknown package) gets 489.
      if (event === undefined) return void new ServerRequest(host, req, transactionId).reject(489);
      const sub = new NotifierSubscription(host, req, transactionId, event, undefined);
      if (!emit('subscribe', sub) && sub.state === 'init') sub.reject(489);
      return;
    }
    case 'REFER': {
      const refer = receiveRefer(host, undefined, req, transactionId);
      if (refer !== undefined && !emit('refer', refer) && refer.subscription.state === 'init')
        refer.reject(603);
      return;
    }
    case 'BYE':
    case 'NOTIFY':
    case 'INFO':
    case 'PRACK':
    case 'UPDATE':
      // RFC 3261 §12.2.2: a mid-dialog method without a dialog.
      new ServerRequest(host, req, transactionId).reject(481);
      return;
    default: {
      const sr = new ServerRequest(host, req, transactionId);
      if (!emit('request', sr) && !sr.answered)
        sr.reject(405, { headers: [['Allow', host.config.allow.join(', ')]] });
    }
  }
}

/** RFC 3261 §12.2.2: match the dialog (481 when none), check the CSeq (500 when out of order), dispatch. */
function inDialog(
  host: UsageHost,
  t: RouterTables,
  emit: RouterEmit,
  req: SipMessage,
  transactionId: string,
): void {
  const key = dialogKeyOfRequest(req);
  const usages = key === undefined ? undefined : t.dialogs.get(key);
  if (usages === undefined) {
    if (req.method === 'NOTIFY') {
      // RFC 6665 §4.1.2.4: a NOTIFY may arrive before the 2xx to SUBSCRIBE / REFER.
      const catcher = t.notifyCatchers.get(dialogSetKey(req.callId ?? '', req.to?.tag ?? ''));
      if (catcher?.onEarlyNotify(req, transactionId) === true) return;
    }
    new ServerRequest(host, req, transactionId).reject(481);
    return;
  }
  const toTag = usages.dialog.localTag;
  if (!usages.dialog.acceptRemoteCSeq(req)) {
    new ServerRequest(host, req, transactionId, { toTag }).reject(500, { reason: 'CSeq Out of Order' });
    return;
  }
  const method = req.method;
  if (method === 'NOTIFY' || method === 'SUBSCRIBE') {
    const event = parseEvent(req.getHeader('Event'));
    const sub = event === undefined ? undefined : usages.subscriptions.get(subscriptionKey(event));
    if (sub?.onRequest(req, transactionId) === true) return;
    if (method === 'SUBSCRIBE' && event !== undefined) {
      const n = new NotifierSubscription(host, req, transactionId, event, usages);
      if (!emit('subscribe', n) && n.state === 'init') n.reject(489);
      return;
    }
    new ServerRequest(host, req, transactionId, { toTag }).reject(481);
    return;
  }
  if (usages.invite !== undefined) {
    if (usages.invite.onRequest(req, transactionId)) return;
  } else if (method === 'REFER') {
    const refer = receiveRefer(host, usages, req, transactionId);
    if (refer !== undefined && !emit('refer', refer) && refer.subscription.state === 'init')
      refer.reject(603);
    return;
  }
  // RFC 3261 §8.2.1 / RFC 5057: a method this dialog's usages do not handle.
  const status =
    usages.invite === undefined &&
    (method === 'BYE' || method === 'INVITE' || method === 'UPDATE' || method === 'PRACK')
      ? 481
      : 405;
  new ServerRequest(host, req, transactionId, { toTag }).reject(status, {
    headers: status === 405 ? [['Allow', host.config.allow.join(', ')]] : [],
  });
}

/** A new INVITE: body type (415), session timer (422, RFC 4028 §9), Replaces (RFC 3891 §3), then the application. */
function onInvite(
  host: UsageHost,
  t: RouterTables,
  emit: RouterEmit,
  req: SipMessage,
  transactionId: string,
): void {
  const plain = new ServerRequest(host, req, transactionId);
  if (req.contentLength > 0 && rejectUnsupportedBody(host, plain)) return;
  const timer = decideUasSessionTimer(req, host.config.sessionTimer);
  if (timer.kind === 'reject') return void plain.reject(422, { headers: [['Min-SE', String(timer.minSE)]] });
  let replaced: InviteSession | undefined;
  const rh = req.getHeaders('Replaces');
  if (rh.length > 0) {
    const r = rh.length === 1 ? parseReplaces(rh[0]) : undefined;
    const target = r === undefined ? undefined : t.dialogs.get(dialogKey(r.callId, r.toTag, r.fromTag));
    const inv = target?.invite instanceof InviteSession ? target.invite : undefined;
    const decision = decideReplaces(
      r,
      target === undefined
        ? undefined
        : {
            id: target.dialog.id,
            state: inv?.state ?? target.dialog.state,
            isUac: target.dialog.isUac,
            hasInviteSession: inv !== undefined,
          },
    );
    if (decision.kind === 'reject') return void plain.reject(decision.status);
    replaced = inv;
  }
  const incoming = new IncomingInvite(host, req, transactionId, timer, replaced);
  t.incoming.set(transactionId, incoming);
  if (!emit('invite', incoming) && incoming.state === 'pending') incoming.reject(480);
}
