/**
 * The PBX's routing function for `@tsvoip/proxy`: authenticate (RFC 3261 §22.3: 407 for
 * non-trusted sources), then local users by number or name (location service, RFC 3261 §16.5),
 * then trunks by prefix or domain. Never an open relay: a non-local domain without a trunk is 403.
 */
import type { RouteContext, RouteFunction, RouteResult, Target } from '@tsvoip/proxy';
import type { AuthThrottle, Binding, LocationStore, User, UserStore } from '@tsvoip/registrar';
import { verifyDigest } from '@tsvoip/registrar';
import { percentDecode, type SipMessage } from '@tsvoip/sip';
import type { DigestServer, StackLogger } from '@tsvoip/stack';
import type { TrunkConfig } from '../config/schema.js';
import type { TrustedSources } from './cidr.js';
import type { TrunkAuth } from './trunk-auth.js';

/** What the router works with. */
export interface PbxRouterOptions {
  /** Local SIP domains (lower-case); a user's bindings are looked up under each. */
  readonly domains: readonly string[];
  /** Users (digest HA1s, display names). */
  readonly users: UserStore;
  /** The location service the registrar writes. */
  readonly locations: LocationStore;
  /** Proxy-mode digest verifier (407, Proxy-Authenticate). */
  readonly digest: DigestServer;
  /** Authentication-failure throttle, shared with the registrar. */
  readonly throttle: AuthThrottle;
  /** Sources not challenged. */
  readonly trusted: TrustedSources;
  /** Trunks and static routes. */
  readonly trunks: readonly TrunkConfig[];
  /** Outbound credentials toward trunks. */
  readonly trunkAuth?: TrunkAuth;
  /** Wall clock (ms since the epoch): binding expiry and nonces survive restarts. */
  readonly clock: () => number;
  /** Logger (never given passwords or HA1s). */
  readonly logger: StackLogger;
}

const forbidden = (reason: string): RouteResult => ({ status: 403, reason });

function userOf(request: SipMessage): string | undefined {
  const uri = request.parsedRequestUri;
  if (uri?.kind === 'sip') return uri.user === undefined ? undefined : percentDecode(uri.user);
  if (uri?.kind === 'tel') return uri.number;
  return undefined;
}

/** The trunk whose prefix matches `number` (longest prefix first). */
export function trunkForNumber(trunks: readonly TrunkConfig[], number: string): TrunkConfig | undefined {
  let best: TrunkConfig | undefined;
  let bestLength = -1;
  for (const t of trunks)
    for (const p of t.prefixes)
      if (number.startsWith(p) && p.length > bestLength) {
        best = t;
        bestLength = p.length;
      }
  return best;
}

/** The trunk serving `domain` (case-insensitive). */
export function trunkForDomain(trunks: readonly TrunkConfig[], domain: string): TrunkConfig | undefined {
  const d = domain.toLowerCase();
  return trunks.find((t) => t.domains.some((x) => x.toLowerCase() === d));
}

/** The Request-URI toward a trunk: the number with `strip`/`prepend` applied, at the trunk's address. */
export function trunkUri(trunk: TrunkConfig, user: string | undefined): string {
  const number = user === undefined ? undefined : `${trunk.prepend}${user.slice(trunk.strip)}`;
  const t = trunk.transport === 'udp' ? '' : `;transport=${trunk.transport}`;
  return `sip:${number === undefined || number === '' ? '' : `${number}@`}${trunk.address}${t}`;
}

const TRANSPORTS: ReadonlySet<string> = new Set(['UDP', 'TCP', 'TLS', 'WS', 'WSS']);

/**
 * A binding as a proxy target, reached over the flow it registered from (RFC 5626 §5.3, RFC 3581:
 * the NAT's public side), or at its Contact when no flow was stored.
 */
export function bindingTarget(b: Binding): Target {
  const r = b.received;
  const transport = r?.transport.toUpperCase();
  if (r === undefined || transport === undefined || !TRANSPORTS.has(transport))
    return { uri: b.contact, q: b.q };
  const t = transport as NonNullable<Target['flow']>['transport'];
  const flow =
    r.connectionId === undefined
      ? { transport: t, host: r.address, port: r.port }
      : { transport: t, host: r.address, port: r.port, connectionId: r.connectionId };
  return { uri: b.contact, q: b.q, flow };
}

/** Creates the routing function. */
export function createPbxRouter(o: PbxRouterOptions): RouteFunction {
  const findUser = async (name: string): Promise<User | undefined> => {
    const byName = await o.users.get(name);
    if (byName !== undefined) return byName;
    // Dialling by name: the display name, case-insensitively ("alice" reaches "Alice").
    const lower = name.toLowerCase();
    for (const u of await o.users.list())
      if (u.username.toLowerCase() === lower || u.displayName?.toLowerCase() === lower) return u;
    return undefined;
  };

  const trunkTargets = (request: SipMessage, trunk: TrunkConfig, user: string | undefined): Target[] => {
    const uri = trunkUri(trunk, user);
    const headers: Array<readonly [string, string]> = [];
    // RFC 3325 §9.1: the caller-ID asserted toward a trusted provider.
    if (trunk.callerId !== undefined) {
      const host = trunk.address.slice(0, trunk.address.lastIndexOf(':'));
      headers.push(['P-Asserted-Identity', `<sip:${trunk.callerId}@${host}>`]);
    }
    const auth = o.trunkAuth?.headers(trunk, request.method, uri);
    if (auth !== undefined) headers.push(...auth);
    return [headers.length === 0 ? { uri } : { uri, headers }];
  };

  /** Local users (location service, RFC 3261 §16.5), then trunks by prefix: database look-ups. */
  const routeToNumber = async (
    request: SipMessage,
    user: string,
    now: number,
    caller: string | undefined,
  ): Promise<RouteResult> => {
    const callId = request.callId;
    const log = o.logger;
    const local = await findUser(user);
    if (local !== undefined) {
      const lists = await Promise.all(
        o.domains.map((d) => o.locations.lookup(`sip:${local.username}@${d}`, now)),
      );
      const bindings = lists.flat();
      if (bindings.length === 0) {
        log.info({ callId, caller, callee: local.username }, 'callee not registered');
        return { status: 480 };
      }
      log.info(
        { callId, caller, callee: local.username, targets: bindings.length },
        'routing to a local user',
      );
      return bindings.map(bindingTarget);
    }
    const trunk = trunkForNumber(o.trunks, user);
    if (trunk !== undefined) {
      log.info({ callId, caller, trunk: trunk.name }, 'routing to a trunk by prefix');
      return trunkTargets(request, trunk, user);
    }
    log.info({ callId, caller, callee: user }, 'no such user');
    return { status: 404 };
  };

  /**
   * Routing once the caller is known. Synchronous for a request toward a trunk's domain (no
   * look-up needed: the common case of a trusted trunk), a promise when the database is asked.
   */
  const routeRequest = (
    request: SipMessage,
    ctx: RouteContext,
    now: number,
    caller: string | undefined,
  ): RouteResult | Promise<RouteResult> => {
    const user = userOf(request);
    const uri = request.parsedRequestUri;
    if (ctx.requestUriIsOurs || uri?.kind === 'tel') {
      if (user === undefined || user === '') return { status: 404 };
      return routeToNumber(request, user, now, caller);
    }
    const trunk = uri?.kind === 'sip' ? trunkForDomain(o.trunks, uri.host) : undefined;
    if (trunk !== undefined) {
      o.logger.info({ callId: request.callId, caller, trunk: trunk.name }, 'routing to a trunk by domain');
      return trunkTargets(request, trunk, user);
    }
    // Not an open relay: a domain that is neither ours nor a trunk's.
    o.logger.info({ callId: request.callId, caller, source: ctx.arrival.source.host }, 'relay refused');
    return forbidden('Forbidden (relaying denied)');
  };

  /** RFC 3261 §22.3: a proxy challenges with 407 and Proxy-Authenticate; then routes. */
  const authenticateAndRoute = async (
    request: SipMessage,
    ctx: RouteContext,
    now: number,
  ): Promise<RouteResult> => {
    const source = ctx.arrival.source.host;
    const callId = request.callId;
    const log = o.logger;
    const r = await verifyDigest(request, o.digest, o.users, now);
    if (!r.ok) {
      if (r.reason === 'bad-response' || r.reason === 'unknown-user') {
        const banned = o.throttle.recordFailure(source, now);
        log.warn({ callId, source, reason: r.reason, banned }, `${request.method} authentication failed`);
        return forbidden('Forbidden');
      }
      if (r.reason === 'bad-uri') return { status: 400, reason: 'Bad Request (digest uri)' };
      log.debug({ callId, source, reason: r.reason }, `${request.method} challenged`);
      return { status: r.statusCode, headers: r.challenges.map((c) => [r.challengeHeader, c] as const) };
    }
    o.throttle.recordSuccess(source, now);
    const caller = r.username;
    // The From identity must be the authenticated user (no caller-ID spoofing by local users).
    const from = request.from?.uri;
    const fromUser = from?.kind === 'sip' && from.user !== undefined ? percentDecode(from.user) : undefined;
    if (fromUser !== caller) {
      log.warn({ callId, source, username: caller }, 'From is not the authenticated user');
      return forbidden('Forbidden (From is not the authenticated user)');
    }
    return routeRequest(request, ctx, now, caller);
  };

  return (request: SipMessage, ctx: RouteContext): RouteResult | Promise<RouteResult> => {
    const now = o.clock();
    const source = ctx.arrival.source.host;
    if (o.throttle.isBanned(source, now)) {
      o.logger.info(
        { callId: request.callId, source, method: request.method },
        'request from a banned source',
      );
      return forbidden('Forbidden (too many authentication failures)');
    }
    // Trusted sources are not challenged.
    if (!o.trusted.has(source)) return authenticateAndRoute(request, ctx, now);
    return routeRequest(request, ctx, now, undefined);
  };
}
