/**
 * NAPTR service selection for SIP (RFC 3263 §4.1, RFC 7118 §8 for WebSocket).
 * @module
 */
import type { TransportProtocol } from '../address.js';
import type { NaptrRecord } from './resolver.js';

/**
 * The transport a NAPTR service field names, or `undefined` for a service SIP does not use.
 * RFC 3263 §4.1: SIP+D2U (UDP), SIP+D2T (TCP), SIPS+D2T (TLS); RFC 7118 §8: SIP+D2W (WS), SIPS+D2W (WSS).
 */
export function naptrServiceTransport(service: string): TransportProtocol | undefined {
  switch (service.toUpperCase()) {
    case 'SIP+D2U':
      return 'UDP';
    case 'SIP+D2T':
      return 'TCP';
    case 'SIPS+D2T':
      return 'TLS';
    case 'SIP+D2W':
      return 'WS';
    case 'SIPS+D2W':
      return 'WSS';
    default:
      return undefined;
  }
}

/** A NAPTR record kept for SIP, with its transport. */
export interface SipNaptr {
  /** The transport of the service. */
  readonly transport: TransportProtocol;
  /** The SRV name to look up next. */
  readonly replacement: string;
  /** The record. */
  readonly record: NaptrRecord;
}

/**
 * Keeps the NAPTR records usable for a URI and orders them (RFC 3263 §4.1): only `s`-flagged records
 * with a known SIP service and a supported transport; for a SIPS URI only the SIPS services ("the
 * client MUST discard any records other than SIPS+D2T" — RFC 7118 adds SIPS+D2W); ordered by
 * `order`, then `preference` (RFC 3403 §4.1). Pure.
 */
export function selectNaptr(
  records: readonly NaptrRecord[],
  sips: boolean,
  supported: readonly TransportProtocol[],
): SipNaptr[] {
  const out: SipNaptr[] = [];
  for (const record of records) {
    const transport = naptrServiceTransport(record.service);
    if (transport === undefined || !supported.includes(transport)) continue;
    if (sips && transport !== 'TLS' && transport !== 'WSS') continue;
    // RFC 3263 §4.1: SIP NAPTR records use the "s" flag: the replacement is an SRV name.
    if (record.flags.toLowerCase() !== 's') continue;
    out.push({ transport, replacement: record.replacement, record });
  }
  // Array.prototype.sort is stable: equal records keep their DNS order.
  return out.sort((a, b) => a.record.order - b.record.order || a.record.preference - b.record.preference);
}
