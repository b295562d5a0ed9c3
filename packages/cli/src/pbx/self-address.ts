/** The PBX's own address (Via, Record-Route) and its default domains. */
import { networkInterfaces } from 'node:os';
import type { TransportAddress } from '@tsvoip/transport';
import type { PbxConfig } from '../config/schema.js';

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/** This machine's IPv4 addresses, external ones first, loopback last. */
export function machineAddresses(): string[] {
  const external: string[] = [];
  const internal: string[] = [];
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4') (a.internal ? internal : external).push(a.address);
  return [...external, ...internal];
}

/** `advertise`, else the first specific listen host, else the machine's first external IPv4 (or 127.0.0.1). */
export function advertisedHost(config: PbxConfig, addresses: readonly TransportAddress[]): string {
  if (config.advertise !== undefined) return config.advertise;
  for (const a of addresses) if (!isWildcard(a.host)) return a.host;
  return machineAddresses()[0] ?? '127.0.0.1';
}

/**
 * The configured domains, else: the advertised host and the listen hosts (for a wildcard listener,
 * every address of the machine), lower-case, without duplicates.
 */
export function localDomains(
  config: PbxConfig,
  advertise: string,
  addresses: readonly TransportAddress[],
): string[] {
  const out = new Set<string>();
  if (config.domains.length > 0) {
    for (const d of config.domains) out.add(d.toLowerCase());
    return [...out];
  }
  out.add(advertise.toLowerCase());
  for (const a of addresses) {
    if (isWildcard(a.host)) for (const m of machineAddresses()) out.add(m);
    else out.add(a.host.toLowerCase());
  }
  return [...out];
}
