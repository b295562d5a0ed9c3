/** Opens the Node transports named by `--listen` specs. */
import {
  TcpTransport,
  TlsTransport,
  type Transport,
  type TransportProtocol,
  UdpTransport,
  WsTransport,
} from '@tsvoip/transport';
import { CliUsageError } from './errors.js';
import type { ListenSpec } from './listen-spec.js';

/** Key and certificate (PEM) for TLS listeners. */
export interface TlsFiles {
  /** PEM private key. */
  readonly key: string | Buffer;
  /** PEM certificate chain. */
  readonly cert: string | Buffer;
}

const PROTOCOL: Record<ListenSpec['transport'], TransportProtocol> = {
  udp: 'UDP',
  tcp: 'TCP',
  tls: 'TLS',
  ws: 'WS',
};

/** Socket buffer size of a `tuned` UDP listener (bytes; the kernel caps it at rmem_max / wmem_max). */
const TUNED_BUFFER = 4 * 1024 * 1024;

/** Options of {@link openTransports}. */
export interface OpenTransportsOptions {
  /**
   * `tuned`: udp listeners get 4 MiB socket buffers (what sipp uses: the kernel default, ~208 KiB,
   * overflows during a GC pause under load), synchronous sends (no look-up deferring each send,
   * no promise per send; see `UdpTransportOptions.synchronousSend`) and datagrams batched per
   * event-loop turn (`UdpTransportOptions.batch`). Default `standard`.
   */
  readonly udp?: 'standard' | 'tuned';
}

/** Creates and binds one transport per spec; closes those already open when one fails. */
export async function openTransports(
  specs: readonly ListenSpec[],
  tls?: TlsFiles,
  options: OpenTransportsOptions = {},
): Promise<Transport[]> {
  const seen = new Set<string>();
  for (const s of specs) {
    // The stack keys transports by protocol: one listener per transport.
    if (seen.has(s.transport))
      throw new CliUsageError(`--listen: only one ${s.transport} listener is supported`);
    seen.add(s.transport);
    if (s.transport === 'tls' && tls === undefined)
      throw new CliUsageError('--listen tls:... needs --tls-cert and --tls-key');
  }
  const open: Transport[] = [];
  try {
    for (const s of specs) {
      const t =
        s.transport === 'udp' && options.udp === 'tuned'
          ? new UdpTransport({
              receiveBufferSize: TUNED_BUFFER,
              sendBufferSize: TUNED_BUFFER,
              synchronousSend: true,
              batch: true,
            })
          : createTransport(s, tls);
      open.push(t);
      await t.listen(s.host, s.port);
    }
  } catch (err) {
    await Promise.allSettled(open.map((t) => t.close()));
    throw err;
  }
  return open;
}

function createTransport(s: ListenSpec, tls: TlsFiles | undefined): Transport {
  switch (PROTOCOL[s.transport]) {
    case 'UDP':
      return new UdpTransport();
    case 'TCP':
      return new TcpTransport();
    case 'TLS':
      return new TlsTransport({ server: { key: tls?.key, cert: tls?.cert } });
    default:
      return new WsTransport();
  }
}
