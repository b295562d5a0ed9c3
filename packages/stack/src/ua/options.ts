/** Configuration of the user agent core. */
import { defaultRandomToken, type RandomToken } from '@tsvoip/sip';
import { defaultResolver, type TargetResolver } from '../dialog/resolve.js';
import type { SessionTimerPolicy } from '../usage/session-timer.js';
import type { AuthenticateHook } from './auth-retry.js';
import type { UsageConfig } from './host.js';

/** The methods the UA core handles: pass them as the stack's `allowedMethods`. */
export const UA_METHODS: readonly string[] = Object.freeze([
  'INVITE',
  'ACK',
  'CANCEL',
  'BYE',
  'OPTIONS',
  'PRACK',
  'UPDATE',
  'INFO',
  'MESSAGE',
  'REFER',
  'SUBSCRIBE',
  'NOTIFY',
]);

/** The option tags the UA core supports: pass them as the stack's `supportedOptionTags`. */
export const UA_OPTION_TAGS: readonly string[] = Object.freeze(['100rel', 'timer', 'replaces']);

/** Options of {@link createUserAgentCore}. */
export interface UserAgentOptions {
  /** Our Contact header value, e.g. `<sip:alice@192.0.2.1:5060>`. */
  readonly contact: string;
  /** Our address-of-record for From, e.g. `"Alice" <sip:alice@example.com>`. */
  readonly from: string;
  /** Next-hop resolution (RFC 3263); default: host/port/transport straight from the URI. */
  readonly resolve?: TargetResolver;
  /** Uniform random numbers in [0, 1) (glare back-off, RSeq); default Math.random. */
  readonly random?: () => number;
  /** Random tokens (tags, Call-IDs); default crypto. */
  readonly token?: RandomToken;
  /** Session timer policy (RFC 4028); default none (we still honour the peer's). */
  readonly sessionTimer?: SessionTimerPolicy;
  /** Refresh sessions with UPDATE when the peer allows it (default true), else re-INVITE. */
  readonly refreshWithUpdate?: boolean;
  /** Keep the extra 2xx dialogs of a forked INVITE (default false: BYE them, RFC 3261 §13.2.2.4). */
  readonly acceptForks?: boolean;
  /** Methods for Allow (default {@link UA_METHODS}). */
  readonly allow?: readonly string[];
  /** Option tags for Supported (default {@link UA_OPTION_TAGS}). */
  readonly supported?: readonly string[];
  /** Content type of session descriptions (default `application/sdp`). */
  readonly sessionContentType?: string;
  /**
   * Answers 401/407 challenges to every request the core sends (INVITE, BYE, re-INVITE, UPDATE,
   * REFER, INFO, MESSAGE, OPTIONS, SUBSCRIBE, NOTIFY, PRACK): one retry with these credentials
   * (RFC 3261 §22.2), e.g. `digestAuthenticator(session)`. Default none: a challenge is final.
   */
  readonly authenticate?: AuthenticateHook;
}

/** Applies the defaults. */
export function resolveUserAgentOptions(o: UserAgentOptions): {
  config: UsageConfig;
  resolve: TargetResolver;
  random: () => number;
  token: RandomToken;
  authenticate: AuthenticateHook | undefined;
} {
  return {
    config: {
      contact: o.contact,
      from: o.from,
      allow: o.allow ?? UA_METHODS,
      supported: o.supported ?? UA_OPTION_TAGS,
      sessionTimer: o.sessionTimer,
      refreshWithUpdate: o.refreshWithUpdate ?? true,
      acceptForks: o.acceptForks ?? false,
      sessionContentType: (o.sessionContentType ?? 'application/sdp').toLowerCase(),
    },
    resolve: o.resolve ?? defaultResolver,
    random: o.random ?? Math.random,
    token: o.token ?? defaultRandomToken,
    authenticate: o.authenticate,
  };
}
