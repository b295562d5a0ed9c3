/**
 * Requests every dialog usage answers the same way (INFO, MESSAGE, OPTIONS), the headers our
 * session requests carry, and the end of a usage's hold on its dialog.
 */
import type { SipMessage } from '@tsvoip/sip';
import type { Dialog } from '../dialog/dialog.js';
import type { DialogUsages, UsageHost } from '../ua/host.js';
import { ServerRequest } from './server-request.js';

/** Events the common requests raise on a usage. */
export type CommonRequestEvent = 'info' | 'message';

/**
 * Handles INFO (RFC 6086), MESSAGE (RFC 3428) and OPTIONS (RFC 3261 §11.2) in a dialog.
 * `emit` returns true when the application listens; otherwise INFO gets 200 (469 Bad Info
 * Package when it names one, RFC 6086 §4.2.2), MESSAGE 200, OPTIONS 200 with Allow/Supported.
 * Returns false for another method.
 */
export function dispatchCommonRequest(
  host: UsageHost,
  dialog: Dialog,
  request: SipMessage,
  transactionId: string,
  emit: (event: CommonRequestEvent, request: ServerRequest) => boolean,
): boolean {
  const sr = new ServerRequest(host, request, transactionId, { toTag: dialog.localTag });
  switch (request.method) {
    case 'INFO':
      if (!emit('info', sr) && !sr.answered) {
        if (request.hasHeader('Info-Package')) sr.reject(469, { headers: [['Recv-Info', '']] });
        else sr.accept();
      }
      return true;
    case 'MESSAGE':
      if (!emit('message', sr) && !sr.answered) sr.accept();
      return true;
    case 'OPTIONS':
      sr.accept({ headers: capabilityHeaders(host) });
      return true;
    default:
      return false;
  }
}

/** Allow, Accept and Supported, as in a 200 to OPTIONS (RFC 3261 §11.2) or a 405/415. */
export function capabilityHeaders(host: UsageHost): Array<readonly [string, string]> {
  return [
    ['Allow', host.config.allow.join(', ')],
    ['Accept', host.config.sessionContentType],
    ['Supported', host.config.supported.join(', ')],
  ];
}

/**
 * RFC 3261 §21.4.13 / §8.2.3: a session body of a type we do not understand gets 415 with
 * Accept. Returns true when it rejected the request.
 */
export function rejectUnsupportedBody(host: UsageHost, request: ServerRequest): boolean {
  const ct = request.request.contentType;
  const type = ct === undefined ? '' : `${ct.type}/${ct.subtype}`.toLowerCase();
  if (type === host.config.sessionContentType) return false;
  request.reject(415, { headers: [['Accept', host.config.sessionContentType]] });
  return true;
}

/** Supported, Allow and (when a session timer runs or is configured) Session-Expires/Min-SE for session requests. */
export function sessionHeaders(
  host: UsageHost,
  st: { interval: number } | undefined,
): Array<readonly [string, string]> {
  const out: Array<readonly [string, string]> = [
    ['Supported', host.config.supported.join(', ')],
    ['Allow', host.config.allow.join(', ')],
  ];
  const policy = host.config.sessionTimer;
  const interval = st?.interval ?? policy?.sessionExpires;
  if (interval !== undefined) {
    // RFC 4028 §7.1 / §7.4: the refresher asks to stay refresher.
    out.push(['Session-Expires', `${interval};refresher=uac`]);
    if (policy !== undefined) out.push(['Min-SE', String(policy.minSE)]);
  }
  return out;
}

/** A usage let go of its dialog: the dialog ends when no usage is left (RFC 6665 §4.5.2, RFC 5057). */
export function finishDialogUsage(host: UsageHost, usages: DialogUsages): void {
  if (usages.invite === undefined && usages.subscriptions.size === 0) {
    usages.dialog.state = 'terminated';
    host.removeDialog(usages.dialog);
  }
}
