/**
 * A dialog (RFC 3261 §12): the peer-to-peer state shared by the requests of one call or
 * subscription. It builds in-dialog requests (§12.2.1.1), checks received ones (§12.2.2) and
 * follows target refreshes (§12.2). Usages (an INVITE session, subscriptions) hang off it, as in
 * reSIProcate's DUM.
 */
import { createRequest, type SipMessage } from '@tsvoip/sip';
import { dialogKey } from './dialog-id.js';
import { DialogError } from './errors.js';
import { uriOfRoute } from './resolve.js';

/** Dialog states (RFC 3261 §12: early, confirmed; then terminated). */
export type DialogState = 'early' | 'confirmed' | 'terminated';

/** Extra parts of an in-dialog request. */
export interface DialogRequestOptions {
  /** Extra headers appended in order. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** Body (opaque here). */
  readonly body?: string;
  /** Content-Type of the body. */
  readonly contentType?: string;
  /** CSeq number to use instead of the next local one (ACK: the INVITE's, RFC 3261 §13.2.2.4). */
  readonly cseq?: number;
}

/** What a dialog is created from. */
export interface DialogInit {
  /** Call-ID. */
  readonly callId: string;
  /** Our tag. */
  readonly localTag: string;
  /** The peer's tag. */
  readonly remoteTag: string;
  /** Our From/To header value, tag included. */
  readonly localParty: string;
  /** The peer's From/To header value, tag included. */
  readonly remoteParty: string;
  /** Our Contact (what we put in requests and 2xx). */
  readonly localContact: string;
  /** The peer's Contact URI (remote target). */
  readonly remoteTarget: string;
  /** Route set, in the order requests carry it. */
  readonly routeSet: readonly string[];
  /** Local CSeq number of the last request we sent in it. */
  readonly localSeq: number;
  /** CSeq number of the last request the peer sent in it, undefined when none. */
  readonly remoteSeq: number | undefined;
  /** True when we sent the request that created the dialog (we are its UAC). */
  readonly isUac: boolean;
  /** `early` or `confirmed`. */
  readonly state: DialogState;
}

/** One dialog. Mutable state with a lifecycle: early → confirmed → terminated. */
export class Dialog {
  /** Call-ID (RFC 3261 §12). */
  readonly callId: string;
  /** Local tag. */
  readonly localTag: string;
  /** Remote tag. */
  readonly remoteTag: string;
  /** The dialog id, `callId\nlocalTag\nremoteTag` (see {@link dialogKey}). */
  readonly id: string;
  /** Our party header value (From of our requests), tag included. */
  readonly localParty: string;
  /** The peer's party header value (To of our requests), tag included. */
  readonly remoteParty: string;
  /** Our Contact header value. */
  localContact: string;
  /** The remote target: the URI our requests go to (RFC 3261 §12.1, updated by target refreshes §12.2). */
  remoteTarget: string;
  /** The route set, in the order our requests carry it (RFC 3261 §12.1.1/§12.1.2). */
  readonly routeSet: readonly string[];
  /** CSeq of the last request we sent (RFC 3261 §12.2.1.1: incremented by one per request). */
  localSeq: number;
  /** CSeq of the last request the peer sent (RFC 3261 §12.2.2), undefined while none was received. */
  remoteSeq: number | undefined;
  /** True when we are the UAC of the dialog-creating request (and so the owner of the Call-ID, §14.1). */
  readonly isUac: boolean;
  /** Dialog state. */
  state: DialogState;

  /** Creates a dialog from its state (see the static constructors). */
  constructor(init: DialogInit) {
    this.callId = init.callId;
    this.localTag = init.localTag;
    this.remoteTag = init.remoteTag;
    this.id = dialogKey(init.callId, init.localTag, init.remoteTag);
    this.localParty = init.localParty;
    this.remoteParty = init.remoteParty;
    this.localContact = init.localContact;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.isUac = init.isUac;
    this.state = init.state;
  }

  /**
   * RFC 3261 §12.1.2: the UAC side of a dialog created by a 101-199 (with a To tag) or 2xx
   * response: route set = Record-Route of the response in reverse order, remote target = its
   * Contact, local CSeq = the request's, remote CSeq empty.
   */
  static fromResponse(request: SipMessage, response: SipMessage): Dialog {
    const callId = request.callId;
    const localTag = request.from?.tag;
    const remoteTag = response.to?.tag;
    const from = request.getHeader('From');
    const to = request.getHeader('To');
    if (
      callId === undefined ||
      localTag === undefined ||
      remoteTag === undefined ||
      from === undefined ||
      to === undefined
    ) {
      throw new DialogError('response cannot create a dialog: Call-ID, From tag or To tag missing');
    }
    return new Dialog({
      callId,
      localTag,
      remoteTag,
      localParty: from,
      remoteParty: response.getHeader('To') ?? `${to};tag=${remoteTag}`,
      localContact: request.getHeader('Contact') ?? '',
      remoteTarget: contactUri(response) ?? request.requestUri,
      routeSet: response.getHeaders('Record-Route').reverse(),
      localSeq: request.cseq?.seq ?? 1,
      remoteSeq: undefined,
      isUac: true,
      state: response.status >= 200 ? 'confirmed' : 'early',
    });
  }

  /**
   * RFC 3261 §12.1.1: the UAS side of a dialog created by our 101-199 or 2xx to `request`:
   * route set = Record-Route of the request in order, remote target = its Contact, remote CSeq =
   * its CSeq, local CSeq empty (we start at 0 and count up, any value being allowed, §12.2.1.1).
   */
  static fromRequest(
    request: SipMessage,
    localTag: string,
    localContact: string,
    state: DialogState,
  ): Dialog {
    const callId = request.callId;
    const remoteTag = request.from?.tag;
    const from = request.getHeader('From');
    const to = request.getHeader('To');
    if (callId === undefined || remoteTag === undefined || from === undefined || to === undefined) {
      throw new DialogError('request cannot create a dialog: Call-ID or From tag missing');
    }
    return new Dialog({
      callId,
      localTag,
      remoteTag,
      localParty: request.to?.tag === undefined ? `${to};tag=${localTag}` : to,
      remoteParty: from,
      localContact,
      remoteTarget: contactUri(request) ?? '',
      routeSet: request.getHeaders('Record-Route'),
      localSeq: 0,
      remoteSeq: request.cseq?.seq,
      isUac: false,
      state,
    });
  }

  /**
   * RFC 3261 §12.2.1.1: builds a request in this dialog. To = remote party, From = local party,
   * Call-ID, CSeq = local CSeq + 1 (unless `cseq` is given). With a loose-routing first route
   * (`;lr`) the Request-URI is the remote target and Route the route set; with a strict router
   * the Request-URI is the first route and the remote target goes last in Route.
   */
  createRequest(method: string, options?: DialogRequestOptions): SipMessage {
    if (this.state === 'terminated') throw new DialogError(`${method} in a terminated dialog`, this.id);
    let seq = options?.cseq;
    if (seq === undefined) {
      this.localSeq += 1;
      seq = this.localSeq;
    }
    let requestUri = this.remoteTarget;
    let route: readonly string[] = this.routeSet;
    if (route.length > 0 && !isLooseRoute(route[0])) {
      // RFC 3261 §12.2.1.1: strict routing: first route in the Request-URI, remote target last.
      requestUri = formatRouteUri(route[0]);
      route = [...route.slice(1), `<${this.remoteTarget}>`];
    }
    return createRequest({
      method,
      requestUri,
      from: this.localParty,
      to: this.remoteParty,
      callId: this.callId,
      cseq: seq,
      route,
      contact: method === 'BYE' || method === 'ACK' || method === 'CANCEL' ? undefined : this.localContact,
      headers: options?.headers,
      body: options?.body,
      contentType: options?.body !== undefined ? options.contentType : undefined,
    });
  }

  /** The URI the next request goes to: the first route, or the remote target (RFC 3261 §12.2.1.1, §8.1.2). */
  nextHopUri(): string {
    return this.routeSet.length > 0 ? formatRouteUri(this.routeSet[0]) : this.remoteTarget;
  }

  /**
   * RFC 3261 §12.2.2: checks the CSeq of a request received in the dialog. A CSeq lower than the
   * last one is out of order (the caller answers 500); otherwise the remote CSeq is updated.
   * ACK and CANCEL carry the CSeq of the request they refer to and are not counted.
   */
  acceptRemoteCSeq(request: SipMessage): boolean {
    const seq = request.cseq?.seq;
    if (seq === undefined) return false;
    if (request.method === 'ACK' || request.method === 'CANCEL') return true;
    if (this.remoteSeq !== undefined && seq < this.remoteSeq) return false;
    this.remoteSeq = seq;
    return true;
  }

  /**
   * RFC 3261 §12.2 (and RFC 3311 §5.1 for UPDATE): a target refresh request or its 2xx
   * replaces the remote target with its Contact.
   */
  refreshTarget(message: SipMessage): void {
    const c = contactUri(message);
    if (c !== undefined) this.remoteTarget = c;
  }
}

/** The URI of the first Contact of a message (RFC 3261 §12.1: the remote target), if any. */
export function contactUri(message: SipMessage): string | undefined {
  const c = message.contact[0];
  if (c === undefined || c === '*') return undefined;
  const raw = message.getHeader('Contact');
  if (raw === undefined) return undefined;
  return formatRouteUri(raw);
}

/** The URI inside a name-addr (`<sip:p1;lr>` → `sip:p1;lr`), or the value itself. */
export function formatRouteUri(value: string): string {
  const lt = value.indexOf('<');
  if (lt < 0) {
    const semi = value.indexOf(';');
    return (semi < 0 ? value : value.slice(0, semi)).trim();
  }
  const gt = value.indexOf('>', lt);
  return value.slice(lt + 1, gt < 0 ? value.length : gt).trim();
}

/** RFC 3261 §16.12 / §12.2.1.1: a route whose URI has the `lr` parameter is a loose router. */
function isLooseRoute(route: string): boolean {
  const uri = uriOfRoute(route);
  return uri.kind === 'sip' && uri.params.has('lr');
}
