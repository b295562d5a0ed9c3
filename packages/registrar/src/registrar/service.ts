import type { SipMessage } from '@tsvoip/sip';
import type { RequestEvent } from '@tsvoip/stack';
import type { RegisterSource, Registrar } from './registrar.js';

/** The {@link RegisterSource} of a request the stack core delivered: its transport flow. */
export function registerSourceOf(event: RequestEvent): RegisterSource {
  const s = event.source;
  return event.connectionId !== undefined
    ? { transport: s.transport, address: s.host, port: s.port, connectionId: event.connectionId }
    : { transport: s.transport, address: s.host, port: s.port };
}

/** Sends a response on a server transaction, e.g. `(id, r) => stack.sendResponse(id, r, clock())`. */
export type RespondOnTransaction = (transactionId: string, response: SipMessage) => void;

/**
 * The transaction-user glue between a stack core and a {@link Registrar}: for a `request` event carrying
 * a REGISTER, processes it and sends the response on its server transaction through `respond`.
 * Resolves to `false` (and sends nothing) for any other method, so a TU can chain handlers.
 *
 * The stack must allow REGISTER (`allowedMethods`) and support `REGISTRAR_OPTION_TAGS`. `now` is the
 * registrar's clock (ms since the epoch); `respond` uses the driver's own clock for the stack.
 */
export async function serveRegister(
  registrar: Registrar,
  event: RequestEvent,
  now: number,
  respond: RespondOnTransaction,
): Promise<boolean> {
  if (event.request.method !== 'REGISTER') return false;
  const response = await registrar.handleRegister(event.request, registerSourceOf(event), now);
  respond(event.transactionId, response);
  return true;
}
