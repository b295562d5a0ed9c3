/**
 * `--listen transport:host:port` values: parsing and formatting (`udp:127.0.0.1:5080`,
 * `tcp:[::1]:5080`, `tls:0.0.0.0:5061`, `ws:127.0.0.1:8080`).
 */
import { CliUsageError } from './errors.js';

/** Transports the CLI can listen on. */
export type ListenTransport = 'udp' | 'tcp' | 'tls' | 'ws';

/** The transports accepted in a listen spec. */
export const LISTEN_TRANSPORTS: readonly ListenTransport[] = ['udp', 'tcp', 'tls', 'ws'];

/** One listening address. */
export interface ListenSpec {
  /** Transport. */
  readonly transport: ListenTransport;
  /** Host: an IPv4 or IPv6 literal (without brackets) or a name. */
  readonly host: string;
  /** Port (0 for any). */
  readonly port: number;
}

function isListenTransport(s: string): s is ListenTransport {
  return (LISTEN_TRANSPORTS as readonly string[]).includes(s);
}

/** Parses `transport:host:port` (an IPv6 host in brackets). Throws {@link CliUsageError}. */
export function parseListenSpec(value: string): ListenSpec {
  const bad = (why: string) =>
    new CliUsageError(
      `--listen ${JSON.stringify(value)}: ${why} (expected transport:host:port, e.g. udp:127.0.0.1:5080)`,
    );
  const c1 = value.indexOf(':');
  if (c1 <= 0) throw bad('no transport');
  const transport = value.slice(0, c1).toLowerCase();
  if (!isListenTransport(transport))
    throw bad(`unknown transport "${value.slice(0, c1)}" (udp, tcp, tls, ws)`);
  const rest = value.slice(c1 + 1);
  const c2 = rest.lastIndexOf(':');
  if (c2 < 0) throw bad('no port');
  let host = rest.slice(0, c2);
  const portText = rest.slice(c2 + 1);
  if (host.startsWith('[')) {
    if (!host.endsWith(']')) throw bad('unclosed [ in host');
    host = host.slice(1, -1);
  } else if (host.includes(':')) throw bad('an IPv6 host needs brackets');
  if (host === '' || /[\s/[\]]/.test(host)) throw bad('bad host');
  if (!/^[0-9]{1,5}$/.test(portText)) throw bad('bad port');
  const port = Number(portText);
  if (port > 65535) throw bad('port over 65535');
  return { transport, host, port };
}

/** Formats a spec back to `transport:host:port` (IPv6 in brackets). */
export function formatListenSpec(spec: ListenSpec): string {
  const host = spec.host.includes(':') ? `[${spec.host}]` : spec.host;
  return `${spec.transport}:${host}:${spec.port}`;
}
