/**
 * The DNS look-ups RFC 3263 needs, behind an interface so that server location can be tested with
 * static data and run with `node:dns` in production.
 * @module
 */

/** A NAPTR record (RFC 3403 §4.1). */
export interface NaptrRecord {
  /** Lower is tried first. */
  readonly order: number;
  /** Among equal `order`, lower is tried first. */
  readonly preference: number;
  /** Flags; `s` means the replacement is an SRV name (RFC 3263 §4.1). */
  readonly flags: string;
  /** Service field, e.g. `SIP+D2U`, `SIPS+D2T`, `SIP+D2W` (RFC 3263 §4.1, RFC 7118 §8). */
  readonly service: string;
  /** Regular expression (unused by SIP: RFC 3263 requires an empty regexp and a replacement). */
  readonly regexp: string;
  /** The name to look up next (an SRV name for SIP). */
  readonly replacement: string;
}

/** An SRV record (RFC 2782). */
export interface SrvRecord {
  /** Lower is tried first. */
  readonly priority: number;
  /** Relative weight for random selection among equal priorities. */
  readonly weight: number;
  /** The port of the service. */
  readonly port: number;
  /** The host name offering the service; `.` means the service is decidedly not available. */
  readonly target: string;
}

/**
 * DNS look-ups used by {@link locate}. Each method returns the records found or throws a
 * {@link ResolverError}: `not-found` / `no-data` for an empty answer, `failure` when the resolver
 * could not answer.
 */
export interface Resolver {
  /** NAPTR records of `name`. */
  naptr(name: string): Promise<readonly NaptrRecord[]>;
  /** SRV records of `name` (e.g. `_sip._udp.example.com`). */
  srv(name: string): Promise<readonly SrvRecord[]>;
  /** IPv4 addresses of `name`. */
  a(name: string): Promise<readonly string[]>;
  /** IPv6 addresses of `name` (without brackets). */
  aaaa(name: string): Promise<readonly string[]>;
}
