/**
 * Requests the transaction layer builds itself: the ACK for a non-2xx final response
 * (RFC 3261 §17.1.1.3) and the CANCEL of an INVITE (§9.1).
 */
import { createRequest, type SipMessage } from '@tsvoip/sip';
import { InvalidCommandError } from '../core/errors.js';

/** Headers common to ACK and CANCEL, taken from the INVITE. */
function base(
  invite: SipMessage,
  method: 'ACK' | 'CANCEL',
  to: string,
  headers?: ReadonlyArray<readonly [string, string]>,
) {
  const from = invite.getHeader('From');
  const callId = invite.callId;
  const cseq = invite.cseq;
  const via = invite.getHeader('Via');
  if (from === undefined || callId === undefined || cseq === undefined || via === undefined) {
    throw new InvalidCommandError(`cannot build ${method}: the INVITE lacks From, Call-ID, CSeq or Via`);
  }
  return createRequest({
    method,
    requestUri: invite.requestUri,
    from,
    to,
    callId,
    cseq: cseq.seq,
    via,
    route: invite.getHeaders('Route'),
    maxForwards: 70,
    headers,
  });
}

/**
 * RFC 3261 §17.1.1.3: the ACK for a 300-699 response has the Request-URI, Call-ID, From, CSeq
 * number and Route of the INVITE, the To of the response, and one Via: the INVITE's top Via.
 */
export function buildAckForFailure(invite: SipMessage, response: SipMessage): SipMessage {
  const to = response.getHeader('To') ?? invite.getHeader('To') ?? '';
  return base(invite, 'ACK', to);
}

/**
 * RFC 3261 §9.1: a CANCEL has the Request-URI, Call-ID, To, From, CSeq number and Route of the
 * request it cancels, method CANCEL, and one Via equal to the request's top Via (same branch).
 */
export function buildCancel(
  invite: SipMessage,
  headers?: ReadonlyArray<readonly [string, string]>,
): SipMessage {
  return base(invite, 'CANCEL', invite.getHeader('To') ?? '', headers);
}
