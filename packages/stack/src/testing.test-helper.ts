/** Shared fixtures of the stack tests: addresses, deterministic randomness, two-core set-ups. */
import { createRequest, createResponse, parseMessage, type SipMessage } from '@tsvoip/sip';
import { type LinkConditions, SimNetwork } from '@tsvoip/transport';
import type { SipAddress, TransportName } from './core/address.js';
import type { StackEvent } from './core/io.js';
import type { SipStackOptions } from './core/options.js';
import { SipStack } from './core/stack.js';
import { SimDriver, type SimStackNode } from './drivers/sim-driver.js';

/** Alice's and Bob's hosts. */
export const ALICE = '10.0.0.1';
export const BOB = '10.0.0.2';
/** A raw peer that writes bytes by hand. */
export const RAW = '10.0.0.9';

/** An address. */
export function addr(host: string, transport: TransportName = 'UDP', port = 5060): SipAddress {
  return { transport, host, port };
}

/** A deterministic token source: `${prefix}1`, `${prefix}2`, ... */
export function counter(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

/** A core on `host` (UDP and TCP on 5060) with deterministic randomness. */
export function makeStack(host: string, options: Partial<SipStackOptions> = {}): SipStack {
  return new SipStack({
    localAddresses: [addr(host, 'UDP'), addr(host, 'TCP')],
    random: counter(`${host.replace(/\./g, '')}x`),
    idPrefix: `${host}/`,
    ...options,
  });
}

/** A request from alice to bob (no Via: the stack adds it). */
export function request(
  method: string,
  extra: ReadonlyArray<readonly [string, string]> = [],
  cseq = 1,
): SipMessage {
  return createRequest({
    method,
    requestUri: `sip:bob@${BOB}`,
    from: `<sip:alice@${ALICE}>`,
    to: `<sip:bob@${BOB}>`,
    callId: `call-${method}-${cseq}`,
    cseq,
    contact: `<sip:alice@${ALICE}>`,
    headers: extra,
    random: counter('tag'),
  });
}

/** Events of one type recorded by a node. */
export function eventsOf<T extends StackEvent['type']>(
  node: SimStackNode,
  type: T,
): Array<Extract<StackEvent, { type: T }>> {
  return node.events
    .filter((e) => e.event.type === type)
    .map((e) => e.event as Extract<StackEvent, { type: T }>);
}

/** Alice and Bob on one network; Bob answers every request with `status` (default 200) unless `bobTu` is given. */
export function twoCores(
  o: {
    conditions?: LinkConditions;
    seed?: number;
    alice?: Partial<SipStackOptions>;
    bob?: Partial<SipStackOptions>;
    bobStatus?: number;
  } = {},
) {
  const network = new SimNetwork({ seed: o.seed ?? 1, defaults: o.conditions });
  const driver = new SimDriver(network);
  const alice = driver.add(makeStack(ALICE, o.alice), [addr(ALICE, 'UDP'), addr(ALICE, 'TCP')]);
  const bob = driver.add(makeStack(BOB, o.bob), [addr(BOB, 'UDP'), addr(BOB, 'TCP')], (event, node, now) => {
    if (event.type === 'request') {
      node.stack.sendResponse(
        event.transactionId,
        createResponse(event.request, o.bobStatus ?? 200, undefined, { toTag: 'bobtag' }),
        now,
      );
    }
  });
  return { network, driver, alice, bob };
}

/** Parses the deliveries a raw endpoint received. */
export function parsed(
  deliveries: ReadonlyArray<{ bytes: Uint8Array; at: number }>,
): Array<{ at: number; msg: SipMessage }> {
  return deliveries.map((d) => ({ at: d.at, msg: parseMessage(d.bytes) }));
}

/** A raw request from the RAW host (no stack), as wire text with CRLFs. */
export function rawRequest(lines: readonly string[], body = ''): Uint8Array {
  return Buffer.from(`${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
