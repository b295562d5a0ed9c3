/**
 * A {@link SipStack} the UAC watches: it reports final responses to BYE (the UA core sends BYE
 * without telling), and renumbers the CSeq of an INVITE re-sent with credentials.
 *
 * Work-around: the UA core has no 401/407 retry and `ua.invite()` always sends CSeq 1; RFC 3261
 * §22.2 wants the retry with the same Call-ID and From tag (given through the UA's token source)
 * and the CSeq incremented (patched here, before the stack adds its Via).
 */
import { SipStack, type SipStack as SipStackType, type StackInput, type StackOutput } from '@tsvoip/stack';

/** Hooks of {@link ObservedStack}. */
export interface StackObserver {
  /** A final response to one of our BYEs. */
  onByeResponse?(status: number): void;
}

/** The UAC's stack core. */
export class ObservedStack extends SipStack {
  /** Set before a retried INVITE is sent: the CSeq number it must carry. */
  nextInviteCSeq: number | undefined = undefined;
  /** Hooks. */
  observer: StackObserver = {};

  /** See {@link SipStackType.handleInput}. */
  override handleInput(input: StackInput, now: number): string | undefined {
    if (
      input.type === 'send-request' &&
      input.request.method === 'INVITE' &&
      this.nextInviteCSeq !== undefined
    ) {
      input.request.setHeader('CSeq', `${this.nextInviteCSeq} INVITE`);
      this.nextInviteCSeq = undefined;
    }
    return super.handleInput(input, now);
  }

  /** See {@link SipStackType.pollOutput}. */
  override pollOutput(now: number): StackOutput | undefined {
    const o = super.pollOutput(now);
    if (o?.type === 'event' && o.event.type === 'response') {
      const r = o.event.response;
      if (r.status >= 200 && r.cseq?.method === 'BYE') this.observer.onByeResponse?.(r.status);
    }
    return o;
  }
}
