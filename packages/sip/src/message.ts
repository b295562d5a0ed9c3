/**
 * The SIP message model (RFC 3261 §7): {@link SipMessageCore} (original bytes, header index,
 * header access, mutation) plus the typed views, each parsed on first access and cached.
 */

import { H } from './header-names.js';
import type { AuthValue, CSeq, MediaType } from './headers.js';
import { SipMessageCore } from './message-core.js';
import type { NameAddr } from './name-addr.js';
import type { Via } from './via.js';
import * as views from './views.js';

export { isAsciiText } from './header-text.js';
export {
  type AddedHeader,
  type AddHeaderOptions,
  F,
  FOLDED,
  ID_MASK,
  type MessageInit,
} from './message-core.js';

/** A SIP request or response. Create with {@link parseMessage}, `createRequest` or `createResponse`. */
export class SipMessage extends SipMessageCore {
  /** Request method; for a response, the method of its CSeq (RFC 3261 §17.1.3 matching), or ''. */
  get method(): string {
    if (this.isRequest) return this._method;
    return this.cseq?.method ?? '';
  }

  /** All Via elements, top first (RFC 3261 §20.42). */
  get via(): readonly Via[] {
    return this._view(H.via, views.buildVia) as readonly Via[];
  }
  /** The From header (RFC 3261 §20.20). */
  get from(): NameAddr | undefined {
    return this._view(H.from, views.buildFrom);
  }
  /** The To header (RFC 3261 §20.39). */
  get to(): NameAddr | undefined {
    return this._view(H.to, views.buildTo);
  }
  /** The Call-ID (RFC 3261 §20.8). */
  get callId(): string | undefined {
    return this._view(H.callId, views.buildCallId);
  }
  /** The CSeq header (RFC 3261 §20.16). */
  get cseq(): CSeq | undefined {
    return this._view(H.cseq, views.buildCSeq);
  }
  /** Contact elements; `'*'` for the REGISTER wildcard (RFC 3261 §10.2.2, §20.10). */
  get contact(): ReadonlyArray<NameAddr | '*'> {
    return this._view(H.contact, views.buildContact) as ReadonlyArray<NameAddr | '*'>;
  }
  /** Route elements in order (RFC 3261 §20.34). */
  get route(): readonly NameAddr[] {
    return this._view(H.route, views.buildRoute) as readonly NameAddr[];
  }
  /** Record-Route elements in order (RFC 3261 §20.30). */
  get recordRoute(): readonly NameAddr[] {
    return this._view(H.recordRoute, views.buildRecordRoute) as readonly NameAddr[];
  }
  /** Max-Forwards (RFC 3261 §20.22). */
  get maxForwards(): number | undefined {
    return this._view(H.maxForwards, views.buildMaxForwards);
  }
  /** Content-Length header value, or the body length when the header is absent. */
  get contentLength(): number {
    if (this._body !== null) return this._body.length;
    return this._contentLength >= 0 ? this._contentLength : Math.max(0, this._bodyEnd - this._bodyStart);
  }
  /** Content-Type (RFC 3261 §20.15). */
  get contentType(): MediaType | undefined {
    return this._view(H.contentType, views.buildContentType);
  }
  /** Expires in seconds (RFC 3261 §20.19). */
  get expires(): number | undefined {
    return this._view(H.expires, views.buildExpires);
  }
  /** WWW-Authenticate challenges (RFC 3261 §20.44). */
  get wwwAuthenticate(): readonly AuthValue[] {
    return this._view(H.wwwAuthenticate, views.buildWwwAuthenticate) as readonly AuthValue[];
  }
  /** Proxy-Authenticate challenges (RFC 3261 §20.27). */
  get proxyAuthenticate(): readonly AuthValue[] {
    return this._view(H.proxyAuthenticate, views.buildProxyAuthenticate) as readonly AuthValue[];
  }
  /** Authorization credentials (RFC 3261 §20.7). */
  get authorization(): readonly AuthValue[] {
    return this._view(H.authorization, views.buildAuthorization) as readonly AuthValue[];
  }
  /** Proxy-Authorization credentials (RFC 3261 §20.28). */
  get proxyAuthorization(): readonly AuthValue[] {
    return this._view(H.proxyAuthorization, views.buildProxyAuthorization) as readonly AuthValue[];
  }
  /** Supported option tags (RFC 3261 §20.37). */
  get supported(): readonly string[] {
    return this._view(H.supported, views.buildSupported) as readonly string[];
  }
  /** Require option tags (RFC 3261 §20.32). */
  get require(): readonly string[] {
    return this._view(H.require, views.buildRequire) as readonly string[];
  }
  /** Allow methods (RFC 3261 §20.5). */
  get allow(): readonly string[] {
    return this._view(H.allow, views.buildAllow) as readonly string[];
  }
}
