import { defaultRandomToken, type RandomToken } from '@tsvoip/sip';
import { type StackLogger, silentLogger } from '@tsvoip/stack';
import { RegistrarConfigError } from './errors.js';

/** Decides whether an authenticated user may change the bindings of an address-of-record. */
export type AorAuthorizer = (username: string, aor: string) => boolean;

/** Configuration of a {@link Registrar}. Only `domains` is required. */
export interface RegistrarOptions {
  /**
   * The domains this registrar is responsible for (RFC 3261 §10.3 step 1), compared case-insensitively
   * with the host of the Request-URI and of the To AoR. The first one is the default digest realm.
   */
  readonly domains: readonly string[];
  /** Digest realm (default: the first domain). Users must be stored with this realm. */
  readonly realm?: string;
  /** Require digest authentication (RFC 3261 §10.3 step 3); default true. */
  readonly authenticate?: boolean;
  /** Expiry when neither the Contact `expires` parameter nor the Expires header gives one (s); default 3600. */
  readonly defaultExpires?: number;
  /** Shortest accepted expiry, in s (RFC 3261 §10.3 step 7: 423 below it); default 60. */
  readonly minExpires?: number;
  /** Longest accepted expiry, in s (longer ones are lowered to it); default 7200. */
  readonly maxExpires?: number;
  /** q-value of a Contact without `q` (RFC 3261 §20.10 leaves it to the registrar); default 1. */
  readonly defaultQ?: number;
  /**
   * RFC 5626 §6 Flow-Timer, in s: sent in the 200 of a REGISTER that created an outbound binding, so
   * the UA sends keep-alives at least that often. Default: no Flow-Timer header.
   */
  readonly flowTimer?: number;
  /**
   * RFC 3261 §10.3 step 4: may `username` register `aor`? Default: the AoR's user part (unescaped)
   * equals the username.
   */
  readonly authorize?: AorAuthorizer;
  /** Random tokens for To tags (RFC 3261 §8.2.6.2); default crypto. */
  readonly random?: RandomToken;
  /** Structured logger (pino-compatible); silent by default. Never given passwords or HA1 values. */
  readonly logger?: StackLogger;
}

/** {@link RegistrarOptions} with the defaults applied. */
export interface ResolvedRegistrarOptions {
  /** Domains, lower-cased. */
  readonly domains: ReadonlySet<string>;
  /** See {@link RegistrarOptions.realm}. */
  readonly realm: string;
  /** See {@link RegistrarOptions.authenticate}. */
  readonly authenticate: boolean;
  /** See {@link RegistrarOptions.defaultExpires}. */
  readonly defaultExpires: number;
  /** See {@link RegistrarOptions.minExpires}. */
  readonly minExpires: number;
  /** See {@link RegistrarOptions.maxExpires}. */
  readonly maxExpires: number;
  /** See {@link RegistrarOptions.defaultQ}. */
  readonly defaultQ: number;
  /** See {@link RegistrarOptions.flowTimer}. */
  readonly flowTimer: number | undefined;
  /** See {@link RegistrarOptions.authorize}. */
  readonly authorize: AorAuthorizer | undefined;
  /** See {@link RegistrarOptions.random}. */
  readonly random: RandomToken;
  /** See {@link RegistrarOptions.logger}. */
  readonly logger: StackLogger;
}

function seconds(option: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new RegistrarConfigError(option, `${v} is not a whole number of seconds`);
  }
  return v;
}

/**
 * Applies the defaults and checks the values.
 * @throws RegistrarConfigError naming the option at fault.
 */
export function resolveRegistrarOptions(o: RegistrarOptions): ResolvedRegistrarOptions {
  if (o.domains.length === 0) throw new RegistrarConfigError('domains', 'at least one domain is needed');
  const minExpires = seconds('minExpires', o.minExpires ?? 60);
  const maxExpires = seconds('maxExpires', o.maxExpires ?? 7200);
  const defaultExpires = seconds('defaultExpires', o.defaultExpires ?? 3600);
  if (minExpires > maxExpires) throw new RegistrarConfigError('minExpires', 'is above maxExpires');
  if (defaultExpires < minExpires || defaultExpires > maxExpires) {
    throw new RegistrarConfigError('defaultExpires', `must be in [minExpires, maxExpires]`);
  }
  const defaultQ = o.defaultQ ?? 1;
  if (!(defaultQ >= 0 && defaultQ <= 1)) throw new RegistrarConfigError('defaultQ', 'not in [0, 1]');
  if (o.flowTimer !== undefined && (!Number.isInteger(o.flowTimer) || o.flowTimer < 1)) {
    throw new RegistrarConfigError('flowTimer', 'must be a positive whole number of seconds');
  }
  return {
    domains: new Set(o.domains.map((d) => d.toLowerCase())),
    realm: o.realm ?? (o.domains[0] as string),
    authenticate: o.authenticate ?? true,
    defaultExpires,
    minExpires,
    maxExpires,
    defaultQ,
    flowTimer: o.flowTimer,
    authorize: o.authorize,
    random: o.random ?? defaultRandomToken,
    logger: o.logger ?? silentLogger,
  };
}
