/** Configuration of a proxy core. */
import type { RandomToken } from '@tsvoip/sip';
import {
  KNOWN_METHODS,
  type SipAddress,
  type StackLogger,
  silentLogger,
  type TimerConfig,
} from '@tsvoip/stack';
import { pooledRandomToken } from './random.js';
import type { RedirectPolicy } from './types.js';

/** Options of {@link ProxyCore}. Only `localAddresses` is required. */
export interface ProxyCoreOptions {
  /** The addresses the driver listens on; the first of each transport is our Via sent-by. */
  readonly localAddresses: readonly SipAddress[];
  /** Domains this proxy is responsible for (RFC 3261 §16.5), besides its own addresses. */
  readonly domains?: readonly string[];
  /** `stateful` (default: transactions, forking, §16.7) or `stateless` (RFC 3261 §16.11). */
  readonly mode?: 'stateful' | 'stateless';
  /** Record-Route dialog-creating requests (RFC 3261 §16.6 item 4); default true. */
  readonly recordRoute?: boolean;
  /** 3xx from a branch: `return` it to the caller (default) or `recurse` on its Contacts (§16.7 item 4). */
  readonly redirects?: RedirectPolicy;
  /** Timer C (RFC 3261 §16.6 item 11: more than 3 minutes); default 181 000 ms. */
  readonly timerC?: number;
  /** Proxy-Require option tags this proxy supports (§16.3 item 5); default none. */
  readonly proxyRequire?: readonly string[];
  /**
   * Methods listed in the `Allow` of the proxy's own OPTIONS answer, besides the RFC 3261 and
   * common extension ones (every method is forwarded: RFC 3261 §16.3 does not check methods).
   */
  readonly extraMethods?: readonly string[];
  /** Request-URI schemes accepted (§16.3 item 2); default sip, sips, tel. */
  readonly uriSchemes?: readonly string[];
  /** Key of the flow tokens' HMAC (RFC 5626 §5.2); without one, tokens are not protected. */
  readonly flowKey?: Uint8Array;
  /** Add a Reason header (RFC 3326) to the CANCELs sent after a 2xx or 6xx; default true. */
  readonly cancelReason?: boolean;
  /** Transaction timers of the stack core (T1, T2, T4, 100 Trying delay). */
  readonly timers?: Partial<TimerConfig>;
  /** Random tokens (branches, tags); inject a deterministic one in tests. */
  readonly random?: RandomToken;
  /** Structured logger (pino-compatible). */
  readonly logger?: StackLogger;
}

/** {@link ProxyCoreOptions} with defaults applied. */
export interface ResolvedProxyOptions {
  readonly localAddresses: readonly SipAddress[];
  readonly domains: ReadonlySet<string>;
  readonly stateless: boolean;
  readonly recordRoute: boolean;
  readonly redirects: RedirectPolicy;
  readonly timerC: number;
  readonly proxyRequire: ReadonlySet<string>;
  readonly allowedMethods: readonly string[];
  readonly uriSchemes: ReadonlySet<string>;
  readonly flowKey: Uint8Array | undefined;
  readonly cancelReason: boolean;
  readonly timers: Partial<TimerConfig> | undefined;
  readonly random: RandomToken;
  readonly logger: StackLogger;
}

/** RFC 3261 §16.6 item 11: Timer C "MUST be set for each client transaction ... greater than 3 minutes". */
export const DEFAULT_TIMER_C = 181_000;

/** Applies the defaults. */
export function resolveProxyOptions(o: ProxyCoreOptions): ResolvedProxyOptions {
  return {
    localAddresses: o.localAddresses,
    domains: new Set((o.domains ?? []).map((d) => d.toLowerCase())),
    stateless: o.mode === 'stateless',
    recordRoute: o.recordRoute ?? true,
    redirects: o.redirects ?? 'return',
    timerC: Math.max(o.timerC ?? DEFAULT_TIMER_C, 180_001),
    proxyRequire: new Set((o.proxyRequire ?? []).map((t) => t.toLowerCase())),
    allowedMethods: [...KNOWN_METHODS, ...(o.extraMethods ?? [])],
    uriSchemes: new Set((o.uriSchemes ?? ['sip', 'sips', 'tel']).map((s) => s.toLowerCase())),
    flowKey: o.flowKey,
    cancelReason: o.cancelReason ?? true,
    timers: o.timers,
    random: o.random ?? pooledRandomToken(),
    logger: o.logger ?? silentLogger,
  };
}
