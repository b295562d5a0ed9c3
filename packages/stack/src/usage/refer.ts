/**
 * REFER (RFC 3515) with its implicit subscription and message/sipfrag NOTIFYs, Referred-By
 * (RFC 3892) and the Replaces header (RFC 3891) carried in Refer-To.
 */
import type { SipMessage } from '@tsvoip/sip';
import { TypedEmitter } from '../ua/emitter.js';
import type { DialogUsages, UsageHost } from '../ua/host.js';
import { formatReplaces, parseReplaces, type Replaces } from './replaces.js';
import { ServerRequest } from './server-request.js';
import { ClientSubscription, NotifierSubscription } from './subscription.js';

/** Options of an outgoing REFER. */
export interface ReferOptions {
  /** Target dialog to replace (RFC 3891): put in Refer-To as `?Replaces=` (attended transfer). */
  readonly replaces?: Replaces;
  /** Referred-By value (RFC 3892), e.g. our AOR. */
  readonly referredBy?: string;
  /** Extra headers. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** A parsed message/sipfrag status line (RFC 3420), as carried in REFER's NOTIFYs. */
export interface SipFragStatus {
  /** Status code. */
  readonly status: number;
  /** Reason phrase. */
  readonly reason: string;
}

/** Parses the status line of a message/sipfrag body (`SIP/2.0 180 Ringing`); undefined otherwise. */
export function parseSipFrag(body: string): SipFragStatus | undefined {
  const line = body.split('\r\n', 1)[0].split('\n', 1)[0].trim();
  if (!line.startsWith('SIP/2.0 ')) return undefined;
  const status = Number.parseInt(line.slice(8, 11), 10);
  if (!Number.isInteger(status) || status < 100 || status > 699) return undefined;
  return { status, reason: line.slice(12).trim() };
}

/** Formats a message/sipfrag body for a status (RFC 3515 §2.4.5). */
export function formatSipFrag(status: number, reason: string): string {
  return `SIP/2.0 ${status} ${reason}\r\n`;
}

/** Builds a Refer-To value, with Replaces as an escaped URI header when given (RFC 3891 §5). */
export function formatReferTo(target: string, replaces?: Replaces): string {
  if (replaces === undefined) return `<${target}>`;
  const sep = target.includes('?') ? '&' : '?';
  return `<${target}${sep}Replaces=${encodeURIComponent(formatReplaces(replaces))}>`;
}

/** Events of an {@link OutgoingRefer}. */
export type OutgoingReferEvents = {
  /** The REFER was accepted (202). */
  accepted: [response: SipMessage];
  /** A NOTIFY reported the referred request's progress (RFC 3515 §2.4.5). */
  progress: [status: number, reason: string];
  /** The implicit subscription ended; `finalStatus` is the last sipfrag status seen (0 if none). */
  done: [finalStatus: number, reason: string];
};

/** The referrer's side: the REFER and the progress of the implicit subscription (RFC 3515 §2.4.4). */
export class OutgoingRefer extends TypedEmitter<OutgoingReferEvents> {
  /** The implicit subscription (event `refer;id=<CSeq>`). */
  readonly subscription: ClientSubscription;
  /** The last status reported by a NOTIFY (0 before any). */
  lastStatus = 0;

  /** @internal */
  constructor(subscription: ClientSubscription) {
    super();
    this.subscription = subscription;
    subscription.on('accepted', (r) => this.emit('accepted', r));
    subscription.on('notify', (_req, _state, body) => {
      const frag = parseSipFrag(body);
      if (frag === undefined) return;
      this.lastStatus = frag.status;
      this.emit('progress', frag.status, frag.reason);
    });
    subscription.on('terminated', (reason) => this.emit('done', this.lastStatus, reason));
  }
}

/**
 * Sends REFER in a dialog (RFC 3515 §2.4.1-§2.4.4): one Refer-To; the implicit subscription's
 * Event is `refer;id=<CSeq of the REFER>` (§2.4.6).
 */
export function sendRefer(
  host: UsageHost,
  usages: DialogUsages,
  referTo: string,
  options?: ReferOptions,
): OutgoingRefer {
  const headers: Array<readonly [string, string]> = [['Refer-To', formatReferTo(referTo, options?.replaces)]];
  if (options?.referredBy !== undefined) headers.push(['Referred-By', options.referredBy]);
  headers.push(...(options?.headers ?? []));
  const request = usages.dialog.createRequest('REFER', { headers });
  const event = { type: 'refer', id: String(request.cseq?.seq ?? 0) };
  return new OutgoingRefer(new ClientSubscription(host, request, event, 0, usages));
}

/** The recipient's side of a REFER: decide, then report progress with {@link notify}. */
export class IncomingRefer {
  /** The REFER. */
  readonly request: SipMessage;
  /** The Refer-To URI (with its headers, e.g. `?Replaces=`, still escaped). */
  readonly referTo: string;
  /** Referred-By (RFC 3892), when present. */
  readonly referredBy: string | undefined;
  /** The Replaces carried in Refer-To (RFC 3891 §5), when present. */
  readonly replaces: Replaces | undefined;
  /** The implicit subscription (RFC 3515 §2.4.4). */
  readonly subscription: NotifierSubscription;

  /** @internal */
  constructor(request: SipMessage, referTo: string, subscription: NotifierSubscription) {
    this.request = request;
    this.referTo = referTo;
    this.referredBy = request.getHeader('Referred-By');
    this.replaces = replacesInUri(referTo);
    this.subscription = subscription;
  }

  /** Accepts with 202 and the first NOTIFY `SIP/2.0 100 Trying` (RFC 3515 §2.4.4, §2.4.5). */
  accept(expires = 60): void {
    this.subscription.accept(
      expires,
      { body: formatSipFrag(100, 'Trying'), contentType: 'message/sipfrag;version=2.0' },
      202,
    );
  }

  /** Refuses the REFER (e.g. 603). */
  reject(status: number): void {
    this.subscription.reject(status);
  }

  /**
   * Reports the referred request's progress (RFC 3515 §2.4.5): a provisional keeps the
   * subscription active; a final status ends it (`terminated;reason=noresource`).
   */
  notify(status: number, reason: string): void {
    const body = formatSipFrag(status, reason);
    if (status >= 200) this.subscription.terminate('noresource', body, 'message/sipfrag;version=2.0');
    else this.subscription.notify(body, { contentType: 'message/sipfrag;version=2.0' });
  }
}

/**
 * A REFER received in `usages`'s dialog (or out of dialog when undefined). RFC 3515 §2.4.1:
 * exactly one Refer-To, else 400. Returns the handle for the application, or undefined when the
 * request was rejected here.
 */
export function receiveRefer(
  host: UsageHost,
  usages: DialogUsages | undefined,
  request: SipMessage,
  transactionId: string,
): IncomingRefer | undefined {
  const referTo = request.getHeaders('Refer-To');
  if (referTo.length !== 1) {
    new ServerRequest(host, request, transactionId, { toTag: usages?.dialog.localTag }).reject(400, {
      reason: 'Bad Refer-To',
    });
    return undefined;
  }
  const event = { type: 'refer', id: String(request.cseq?.seq ?? 0) };
  const sub = new NotifierSubscription(host, request, transactionId, event, usages);
  return new IncomingRefer(request, uriOf(referTo[0]), sub);
}

function uriOf(value: string): string {
  const lt = value.indexOf('<');
  if (lt < 0) return value.trim();
  const gt = value.lastIndexOf('>');
  return value.slice(lt + 1, gt > lt ? gt : value.length).trim();
}

function replacesInUri(uri: string): Replaces | undefined {
  const q = uri.indexOf('?');
  if (q < 0) return undefined;
  for (const h of uri.slice(q + 1).split('&')) {
    const eq = h.indexOf('=');
    if (eq > 0 && h.slice(0, eq).toLowerCase() === 'replaces')
      return parseReplaces(decodeURIComponent(h.slice(eq + 1)));
  }
  return undefined;
}
