/** The events of the user agent core. */
import type { IncomingInvite } from '../usage/incoming-invite.js';
import type { IncomingRefer } from '../usage/refer.js';
import type { ServerRequest } from '../usage/server-request.js';
import type { NotifierSubscription } from '../usage/subscription.js';

/** Events of the {@link UserAgentCore}. */
export type UserAgentEvents = {
  /** A new INVITE (RFC 3261 §13.3). Without a listener it is rejected 480. */
  invite: [invite: IncomingInvite];
  /** A MESSAGE out of a dialog (RFC 3428). Default: 200. */
  message: [request: ServerRequest];
  /** An OPTIONS out of a dialog (RFC 3261 §11.2). Default: 200 with Allow/Accept/Supported. */
  options: [request: ServerRequest];
  /** A SUBSCRIBE creating a subscription (RFC 6665 §4.2.1). Default: 489 Bad Event. */
  subscribe: [subscription: NotifierSubscription];
  /** A REFER out of a dialog, or in a dialog without INVITE session (RFC 3515). Default: 603. */
  refer: [refer: IncomingRefer];
  /** Any other request out of a dialog (PUBLISH, REGISTER...). Default: 405 with Allow. */
  request: [request: ServerRequest];
};
