/**
 * An in-memory {@link Resolver} for tests and fixed deployments.
 * @module
 */
import { ResolverError } from '../errors.js';
import type { NaptrRecord, Resolver, SrvRecord } from './resolver.js';

/** The records a {@link StaticResolver} answers from; names are matched case-insensitively. */
export interface StaticZone {
  /** NAPTR records by owner name. */
  readonly naptr?: Readonly<Record<string, readonly NaptrRecord[]>>;
  /** SRV records by owner name (`_sip._tcp.example.com`). */
  readonly srv?: Readonly<Record<string, readonly SrvRecord[]>>;
  /** IPv4 addresses by name. */
  readonly a?: Readonly<Record<string, readonly string[]>>;
  /** IPv6 addresses by name. */
  readonly aaaa?: Readonly<Record<string, readonly string[]>>;
  /** Names whose every query fails with `failure` (a broken or unreachable DNS server). */
  readonly failing?: readonly string[];
}

/** One query made, in order, for tests that check which look-ups happened. */
export interface StaticQuery {
  /** The record type. */
  readonly rrtype: 'NAPTR' | 'SRV' | 'A' | 'AAAA';
  /** The name asked. */
  readonly name: string;
}

function normalize(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function index<T>(table: Readonly<Record<string, readonly T[]>> | undefined): Map<string, readonly T[]> {
  const m = new Map<string, readonly T[]>();
  if (table) for (const [k, v] of Object.entries(table)) m.set(normalize(k), v);
  return m;
}

/**
 * A resolver answering from a fixed zone. A name present in any table but without records of the
 * asked type answers `no-data`; an unknown name answers `not-found` (like NXDOMAIN).
 */
export class StaticResolver implements Resolver {
  /** Every query made so far, in order. */
  readonly queries: StaticQuery[] = [];
  readonly #naptr: Map<string, readonly NaptrRecord[]>;
  readonly #srv: Map<string, readonly SrvRecord[]>;
  readonly #a: Map<string, readonly string[]>;
  readonly #aaaa: Map<string, readonly string[]>;
  readonly #failing: Set<string>;
  readonly #names = new Set<string>();

  /** Creates a resolver over `zone`. */
  constructor(zone: StaticZone) {
    this.#naptr = index(zone.naptr);
    this.#srv = index(zone.srv);
    this.#a = index(zone.a);
    this.#aaaa = index(zone.aaaa);
    this.#failing = new Set((zone.failing ?? []).map(normalize));
    for (const m of [this.#naptr, this.#srv, this.#a, this.#aaaa])
      for (const k of m.keys()) this.#names.add(k);
  }

  #answer<T>(
    rrtype: StaticQuery['rrtype'],
    name: string,
    table: Map<string, readonly T[]>,
  ): Promise<readonly T[]> {
    this.queries.push({ rrtype, name });
    const key = normalize(name);
    if (this.#failing.has(key)) return Promise.reject(new ResolverError('failure', rrtype, name));
    const records = table.get(key);
    if (records !== undefined && records.length > 0) return Promise.resolve(records);
    const code = this.#names.has(key) ? 'no-data' : 'not-found';
    return Promise.reject(new ResolverError(code, rrtype, name));
  }

  /** {@inheritDoc Resolver.naptr} */
  naptr(name: string): Promise<readonly NaptrRecord[]> {
    return this.#answer('NAPTR', name, this.#naptr);
  }

  /** {@inheritDoc Resolver.srv} */
  srv(name: string): Promise<readonly SrvRecord[]> {
    return this.#answer('SRV', name, this.#srv);
  }

  /** {@inheritDoc Resolver.a} */
  a(name: string): Promise<readonly string[]> {
    return this.#answer('A', name, this.#a);
  }

  /** {@inheritDoc Resolver.aaaa} */
  aaaa(name: string): Promise<readonly string[]> {
    return this.#answer('AAAA', name, this.#aaaa);
  }
}
