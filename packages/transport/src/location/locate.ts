/**
 * RFC 3263 §4 server location: a SIP(S) URI to an ordered list of transport targets.
 * @module
 */
import { isSecureTransport, TRANSPORT_PROTOCOLS, type TransportProtocol } from '../address.js';
import { LocateError, ResolverError } from '../errors.js';
import { selectNaptr } from './naptr.js';
import type { Resolver, SrvRecord } from './resolver.js';
import { decideLocate, defaultPort, fallbackTransport, type LocateUri, srvName } from './select-transport.js';
import { orderSrv, type RandomSource } from './srv-order.js';

/** One place to send a request, in the order it should be tried (RFC 3263 §4.3). */
export interface LocateTarget {
  /** The transport to use. */
  readonly transport: TransportProtocol;
  /** The host name this address came from (for TLS server identity, RFC 5922), or the address itself. */
  readonly host: string;
  /** The port. */
  readonly port: number;
  /** The IP address (IPv6 without brackets). */
  readonly address: string;
}

/** Which address families to use, and which first. */
export type AddressFamilyPreference = 'ipv4-first' | 'ipv6-first' | 'ipv4' | 'ipv6';

/** Options of {@link locate}. */
export interface LocateOptions {
  /** The DNS resolver. */
  readonly resolver: Resolver;
  /** Transports this element supports (default UDP, TCP, TLS). */
  readonly supported?: readonly TransportProtocol[];
  /** Random source for SRV weight selection (default `Math.random`; seed one in tests). */
  readonly random?: RandomSource;
  /** Address families (default `ipv4-first`). */
  readonly family?: AddressFamilyPreference;
  /**
   * Transports to try, in order, when there are no NAPTR records (RFC 3263 §4.1 leaves the order to
   * the client). Default TLS, TCP, UDP.
   */
  readonly srvPreference?: readonly TransportProtocol[];
}

const DEFAULT_SUPPORTED: readonly TransportProtocol[] = ['UDP', 'TCP', 'TLS'];
const DEFAULT_SRV_PREFERENCE: readonly TransportProtocol[] = ['TLS', 'TCP', 'UDP'];

/** Runs the look-ups, treating an empty answer as no records and remembering the first failure. */
class Lookups {
  failure: ResolverError | undefined;
  constructor(
    readonly resolver: Resolver,
    readonly family: AddressFamilyPreference,
  ) {}

  async #records<T>(q: () => Promise<readonly T[]>): Promise<readonly T[]> {
    try {
      return await q();
    } catch (err) {
      if (err instanceof ResolverError) {
        if (err.code === 'failure') this.failure ??= err;
        return [];
      }
      throw err;
    }
  }

  naptr(name: string) {
    return this.#records(() => this.resolver.naptr(name));
  }

  srv(name: string) {
    return this.#records(() => this.resolver.srv(name));
  }

  async addresses(name: string): Promise<string[]> {
    const want4 = this.family !== 'ipv6';
    const want6 = this.family !== 'ipv4';
    const [v4, v6] = await Promise.all([
      want4 ? this.#records(() => this.resolver.a(name)) : [],
      want6 ? this.#records(() => this.resolver.aaaa(name)) : [],
    ]);
    return this.family === 'ipv6-first' ? [...v6, ...v4] : [...v4, ...v6];
  }
}

async function fromHost(
  l: Lookups,
  transport: TransportProtocol,
  host: string,
  port: number,
  out: LocateTarget[],
): Promise<void> {
  for (const address of await l.addresses(host)) out.push({ transport, host, port, address });
}

async function fromSrv(
  l: Lookups,
  transport: TransportProtocol,
  records: readonly SrvRecord[],
  random: RandomSource,
  out: LocateTarget[],
): Promise<void> {
  const ordered = orderSrv(records, random);
  const resolved = await Promise.all(ordered.map((r) => l.addresses(r.target)));
  ordered.forEach((r, i) => {
    const host = r.target.endsWith('.') ? r.target.slice(0, -1) : r.target;
    for (const address of resolved[i]) out.push({ transport, host, port: r.port, address });
  });
}

/**
 * Locates the servers for a SIP or SIPS URI (RFC 3263 §4): decides the transport (§4.1) and the
 * port and addresses (§4.2) through NAPTR → SRV → A/AAAA look-ups, and returns every target in the
 * order to try them (§4.3: on a transport error, a timeout or a 503, try the next; see
 * {@link TargetCursor}).
 *
 * Choices where RFC 3263 leaves room: every usable NAPTR record contributes targets (lowest
 * order/preference first), not only the first; NAPTR records that are all unusable count as none;
 * every address of a host is a separate target. Empty answers (NXDOMAIN, NODATA) mean "no records";
 * a resolver failure is reported only when no target at all was found.
 *
 * @throws LocateError `unsupported-transport`, `no-targets` or `resolver-failure`.
 */
export async function locate(uri: LocateUri, options: LocateOptions): Promise<LocateTarget[]> {
  const supported = options.supported ?? DEFAULT_SUPPORTED;
  const random = options.random ?? Math.random;
  const l = new Lookups(options.resolver, options.family ?? 'ipv4-first');
  const sips = uri.scheme === 'sips';
  const decision = decideLocate(uri, supported);
  const out: LocateTarget[] = [];
  switch (decision.kind) {
    case 'numeric':
      out.push({
        transport: decision.transport,
        host: decision.address,
        port: decision.port,
        address: decision.address,
      });
      break;
    case 'port':
      await fromHost(l, decision.transport, decision.target, decision.port, out);
      break;
    case 'srv': {
      const name = srvName(decision.transport, decision.target);
      const records = name === undefined ? [] : await l.srv(name);
      if (records.length > 0) await fromSrv(l, decision.transport, records, random, out);
      // RFC 3263 §4.2: no SRV records: A/AAAA of TARGET with the transport's default port.
      else await fromHost(l, decision.transport, decision.target, defaultPort(decision.transport), out);
      break;
    }
    case 'naptr':
      await locateByNaptr(l, decision.target, sips, supported, options, random, out);
      break;
  }
  if (out.length === 0) {
    if (l.failure)
      throw new LocateError('resolver-failure', `cannot locate ${uri.host}: ${l.failure.message}`, l.failure);
    throw new LocateError('no-targets', `no SIP server found for ${uri.host}`);
  }
  return out;
}

async function locateByNaptr(
  l: Lookups,
  target: string,
  sips: boolean,
  supported: readonly TransportProtocol[],
  options: LocateOptions,
  random: RandomSource,
  out: LocateTarget[],
): Promise<void> {
  // RFC 3263 §4.1: NAPTR first; keep the SIP services we support, by order then preference.
  const naptr = selectNaptr(await l.naptr(target), sips, supported);
  if (naptr.length > 0) {
    const srv = await Promise.all(naptr.map((n) => l.srv(n.replacement)));
    for (let i = 0; i < naptr.length; i++) await fromSrv(l, naptr[i].transport, srv[i], random, out);
    // RFC 3263 §4.2: "If no SRV records were found, the client performs an A or AAAA record lookup
    // of the domain name" with the transport determined previously, at its default port.
    if (out.length === 0) await fromHost(l, naptr[0].transport, target, defaultPort(naptr[0].transport), out);
    return;
  }
  // RFC 3263 §4.1: "If no NAPTR records are found, the client constructs SRV queries for those
  // transport protocols it supports, and does a query for each."
  const preference = (options.srvPreference ?? DEFAULT_SRV_PREFERENCE).filter(
    (t) => supported.includes(t) && (!sips || isSecureTransport(t)) && TRANSPORT_PROTOCOLS.includes(t),
  );
  const names = preference.map((t) => srvName(t, target));
  const answers = await Promise.all(names.map((n) => (n === undefined ? [] : l.srv(n))));
  for (let i = 0; i < preference.length; i++) {
    if (answers[i].length > 0) await fromSrv(l, preference[i], answers[i], random, out);
  }
  if (out.length > 0) return;
  // RFC 3263 §4.1/§4.2: no SRV records: UDP for SIP, TLS for SIPS, A/AAAA with the default port.
  const transport = fallbackTransport(sips, supported);
  if (transport === undefined) throw new LocateError('unsupported-transport', 'no supported transport');
  await fromHost(l, transport, target, defaultPort(transport), out);
}
