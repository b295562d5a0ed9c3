/**
 * A {@link Resolver} over `node:dns` (the system's DNS servers, or those given).
 * @module
 */
import { Resolver as NodeDnsResolver } from 'node:dns/promises';
import { ResolverError, type ResolverErrorCode } from '../errors.js';
import type { NaptrRecord, Resolver, SrvRecord } from './resolver.js';

/** The subset of `node:dns/promises` `Resolver` used here (injectable for tests). */
export interface DnsBackend {
  /** See `dns.resolveNaptr`. */
  resolveNaptr(name: string): Promise<NaptrRecord[]>;
  /** See `dns.resolveSrv`. */
  resolveSrv(name: string): Promise<Array<{ priority: number; weight: number; port: number; name: string }>>;
  /** See `dns.resolve4`. */
  resolve4(name: string): Promise<string[]>;
  /** See `dns.resolve6`. */
  resolve6(name: string): Promise<string[]>;
}

/** Options of {@link DnsResolver}. */
export interface DnsResolverOptions {
  /** DNS servers (`['127.0.0.1:5353']`); the system's when absent. */
  readonly servers?: readonly string[];
  /** Per-try timeout in ms (node:dns default when absent). */
  readonly timeoutMs?: number;
  /** Tries per query (node:dns default when absent). */
  readonly tries?: number;
  /** A backend to use instead of a new `node:dns` resolver. */
  readonly backend?: DnsBackend;
}

/** Maps a `node:dns` error code to a {@link ResolverErrorCode}. */
export function dnsErrorCode(err: unknown): ResolverErrorCode {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOTFOUND' || code === 'NXDOMAIN') return 'not-found';
  if (code === 'ENODATA') return 'no-data';
  return 'failure';
}

/** A resolver asking real DNS servers through `node:dns`. */
export class DnsResolver implements Resolver {
  readonly #dns: DnsBackend;

  /** Creates a resolver; see {@link DnsResolverOptions}. */
  constructor(options: DnsResolverOptions = {}) {
    if (options.backend) {
      this.#dns = options.backend;
    } else {
      const r = new NodeDnsResolver({
        ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
        ...(options.tries !== undefined ? { tries: options.tries } : {}),
      });
      if (options.servers) r.setServers([...options.servers]);
      this.#dns = r;
    }
  }

  async #query<T>(rrtype: string, name: string, q: () => Promise<T[]>): Promise<T[]> {
    let out: T[];
    try {
      out = await q();
    } catch (err) {
      throw new ResolverError(dnsErrorCode(err), rrtype, name, err);
    }
    if (out.length === 0) throw new ResolverError('no-data', rrtype, name);
    return out;
  }

  /** {@inheritDoc Resolver.naptr} */
  naptr(name: string): Promise<readonly NaptrRecord[]> {
    return this.#query('NAPTR', name, () => this.#dns.resolveNaptr(name));
  }

  /** {@inheritDoc Resolver.srv} */
  async srv(name: string): Promise<readonly SrvRecord[]> {
    const records = await this.#query('SRV', name, () => this.#dns.resolveSrv(name));
    return records.map((r) => ({ priority: r.priority, weight: r.weight, port: r.port, target: r.name }));
  }

  /** {@inheritDoc Resolver.a} */
  a(name: string): Promise<readonly string[]> {
    return this.#query('A', name, () => this.#dns.resolve4(name));
  }

  /** {@inheritDoc Resolver.aaaa} */
  aaaa(name: string): Promise<readonly string[]> {
    return this.#query('AAAA', name, () => this.#dns.resolve6(name));
  }
}
