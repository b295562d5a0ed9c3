/** Configuration of a stack core. */
import { defaultRandomToken, type ParseOptions, type RandomToken } from '@tsvoip/sip';
import type { SipAddress } from './address.js';
import type { IntakePolicy } from './intake.js';
import { type StackLogger, silentLogger } from './logger.js';
import { DEFAULT_TIMERS, type TimerConfig } from './timer-config.js';

/**
 * Whose rules the core's intake and response matching follow. `ua` (default): a user agent's
 * (RFC 3261 §8.1.3.3, §8.2). `proxy`: a proxy's (§16): the UA-only rules are off. No 405/501
 * method check (§16.3 does not check the method: a proxy forwards methods it does not know), no
 * Require check (§16.3: a proxy looks at Proxy-Require only), no merged-request 482 (§8.2.2.2 is a
 * UAS rule; a proxy tells loops from spirals itself, §16.3 item 4), and a response with several
 * Vias is matched by its top Via (§17.1.3; §16.7 item 3 removes it before forwarding).
 */
export type StackRole = 'ua' | 'proxy';

/** Options of {@link SipStack}. Only `localAddresses` is required. */
export interface SipStackOptions {
  /**
   * The addresses the driver listens on. The first one of a transport is the Via sent-by of
   * requests sent over that transport (RFC 3261 §18.1.1) and what responses are checked against
   * (§18.1.2).
   */
  readonly localAddresses: readonly SipAddress[];
  /** T1/T2/T4 and the 100 Trying delay; defaults 500/4000/5000/200 ms. */
  readonly timers?: Partial<TimerConfig>;
  /** Random tokens for branches and To tags (inject a deterministic one in tests). */
  readonly random?: RandomToken;
  /** Structured logger (pino-compatible); silent by default. */
  readonly logger?: StackLogger;
  /** Methods the TU handles (§8.2.1); default INVITE, ACK, CANCEL, BYE, OPTIONS. */
  readonly allowedMethods?: readonly string[];
  /** Option tags the TU supports (§8.2.2.3); default none. */
  readonly supportedOptionTags?: readonly string[];
  /** Request-URI schemes the TU handles (§8.2.2.1); default sip, sips, tel. */
  readonly uriSchemes?: readonly string[];
  /** Add `rport` to the Vias the stack writes (RFC 3581); default true. */
  readonly rport?: boolean;
  /** Parser limits (message size, header count...): a request over them gets 513. */
  readonly parseOptions?: ParseOptions;
  /** Prefix of transaction ids (default `t`), to tell the cores of one process apart in logs. */
  readonly idPrefix?: string;
  /** Whose intake and response-matching rules apply (see {@link StackRole}); default `ua`. */
  readonly role?: StackRole;
}

/** {@link SipStackOptions} with defaults applied. */
export interface ResolvedStackOptions {
  /** See {@link SipStackOptions.localAddresses}. */
  readonly localAddresses: readonly SipAddress[];
  /** See {@link SipStackOptions.timers}. */
  readonly timers: TimerConfig;
  /** See {@link SipStackOptions.random}. */
  readonly random: RandomToken;
  /** See {@link SipStackOptions.logger}. */
  readonly logger: StackLogger;
  /** Methods, option tags and URI schemes accepted (§8.2). */
  readonly policy: IntakePolicy;
  /** See {@link SipStackOptions.rport}. */
  readonly rport: boolean;
  /** See {@link SipStackOptions.parseOptions}. */
  readonly parseOptions: ParseOptions;
  /** See {@link SipStackOptions.idPrefix}. */
  readonly idPrefix: string;
  /** See {@link SipStackOptions.role}. */
  readonly role: StackRole;
}

/** Applies the defaults. */
export function resolveStackOptions(o: SipStackOptions): ResolvedStackOptions {
  const allowed = new Set(o.allowedMethods ?? ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS']);
  const role = o.role ?? 'ua';
  allowed.add('ACK');
  allowed.add('CANCEL');
  return {
    localAddresses: o.localAddresses,
    timers: { ...DEFAULT_TIMERS, ...o.timers },
    random: o.random ?? defaultRandomToken,
    logger: o.logger ?? silentLogger,
    policy: {
      allowedMethods: allowed,
      supportedOptionTags: new Set(o.supportedOptionTags ?? []),
      uriSchemes: new Set((o.uriSchemes ?? ['sip', 'sips', 'tel']).map((s) => s.toLowerCase())),
      proxy: role === 'proxy',
    },
    rport: o.rport ?? true,
    parseOptions: o.parseOptions ?? {},
    idPrefix: o.idPrefix ?? 't',
    role,
  };
}
