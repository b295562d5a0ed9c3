/**
 * What reaches which core, and the relay guard the proxy's routing functions cannot give: the
 * proxy forwards a request carrying a Route set, or a To tag (in-dialog), without asking them
 * (RFC 3261 §16.4, §16.12). From a non-trusted source such a request must name this PBX first
 * (its Record-Route, or its own address): otherwise it is answered 403 here (an ACK is dropped),
 * so a forged "in-dialog" request cannot use the PBX as an open relay.
 */
import { randomBytes } from 'node:crypto';
import { createResponse, type SipMessage, serializeMessage, type Uri } from '@tsvoip/sip';
import type { StackLogger } from '@tsvoip/stack';
import type { ReceivedMessage, Transport } from '@tsvoip/transport';
import type { TrustedSources } from './cidr.js';
import type { MessageDestination } from './transport-split.js';

/** How the PBX recognises a URI naming itself. */
export interface Ourselves {
  /** Our hosts and domains, lower-case. */
  readonly hosts: ReadonlySet<string>;
  /** Our listening ports. */
  readonly ports: ReadonlySet<number>;
}

function stripBrackets(h: string): string {
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** Whether `uri` names this PBX: one of its hosts, and (when written) one of its ports. */
export function namesUs(uri: Uri | undefined, us: Ourselves): boolean {
  if (uri?.kind !== 'sip') return false;
  if (!us.hosts.has(stripBrackets(uri.host).toLowerCase())) return false;
  return uri.port === undefined || us.ports.has(uri.port);
}

/** Why `request` from a non-trusted source may not go to the proxy, or undefined when it may. */
export function relayViolation(request: SipMessage, us: Ourselves): string | undefined {
  let route: SipMessage['route'];
  try {
    route = request.route;
  } catch {
    return 'malformed Route';
  }
  const first = route[0];
  if (first !== undefined) return namesUs(first.uri, us) ? undefined : 'first Route is not this PBX';
  if (request.to?.tag !== undefined && !namesUs(request.parsedRequestUri, us))
    return 'in-dialog request not routed through this PBX';
  return undefined;
}

/** The classifier of a transport split: REGISTER to the registrar, the relay guard, the rest to the proxy. */
export function requestFilter(
  transport: Transport,
  us: Ourselves,
  trusted: TrustedSources,
  logger: StackLogger,
): (m: ReceivedMessage) => MessageDestination {
  return (m) => {
    const msg = m.message;
    if (!msg.isRequest) return 'proxy';
    if (msg.method === 'REGISTER') return 'registrar';
    if (trusted.has(m.source.host)) return 'proxy';
    const why = relayViolation(msg, us);
    if (why === undefined) return 'proxy';
    logger.info({ callId: msg.callId, source: m.source.host, method: msg.method, why }, 'relay refused');
    if (msg.method !== 'ACK') {
      // RFC 3261 §8.2.6: answered statelessly, back where it came from (§18.2.2).
      const response = createResponse(msg, 403, 'Forbidden (relaying denied)', {
        toTag: randomBytes(6).toString('hex'),
      });
      transport
        .send(
          { address: m.source.host, port: m.source.port, connectionId: m.connectionId },
          serializeMessage(response),
        )
        .catch((err: unknown) => logger.debug({ callId: msg.callId, err: String(err) }, '403 not sent'));
    }
    return 'drop';
  };
}
