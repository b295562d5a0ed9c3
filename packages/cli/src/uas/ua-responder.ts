/**
 * The UAS responder of `tsvoip uas --engine ua`: the same behaviour as {@link UasResponder} on
 * the stack's user agent core (dialogs, usages), plus reliable provisionals (RFC 3262) and the
 * UA core's in-dialog handling (UPDATE, INFO...). Slower than the transaction-layer responder:
 * it is there to compare them and to exercise the UA core against real peers.
 */
import {
  createHa1Lookup,
  DigestServer,
  type IncomingInvite,
  type ServerRequest,
  type StackLogger,
  type UserAgentCore,
} from '@tsvoip/stack';
import { newUasStats, registerContacts, type UasAuth, type UasStats } from './responder.js';
import type { SdpAnswerer } from './sdp-answerer.js';

/** Options of {@link attachUaResponder}. */
export interface UaResponderOptions {
  /** The SDP answerer. */
  readonly answerer: SdpAnswerer;
  /** Time between the 180 and the 200 (ms). */
  readonly ringMs: number;
  /** Send the 180 reliably (RFC 3262) when the UAC supports 100rel, and answer after its PRACK. */
  readonly reliable: boolean;
  /** Challenge INVITE and MESSAGE. */
  readonly auth?: UasAuth;
  /** Runs `fire` after `ms` (the driver's clock; the driver flushes the UA's outputs after it). */
  readonly later: (ms: number, fire: () => void) => void;
  /** The current time (ms), for nonces. */
  readonly now: () => number;
  /** Logger. */
  readonly logger: StackLogger;
}

/** Answers calls on `ua`; returns live counters. */
export function attachUaResponder(ua: UserAgentCore, o: UaResponderOptions): UasStats {
  const stats: UasStats = newUasStats();
  const realm = o.auth?.realm ?? 'tsvoip';
  const digest =
    o.auth === undefined
      ? undefined
      : new DigestServer({ realm, secret: o.auth.secret, algorithms: ['MD5'] });
  const lookup =
    o.auth === undefined
      ? undefined
      : createHa1Lookup(realm, [{ username: o.auth.username, password: o.auth.password }]);

  /** RFC 3261 §22.2: true when authorized, else the 401 is sent. */
  const authorized = (
    req: ServerRequest | IncomingInvite,
    reject: (headers: Array<readonly [string, string]>) => void,
  ) => {
    if (digest === undefined || lookup === undefined) return true;
    const m = req.request;
    const r = digest.verify(
      { method: m.method, uri: m.requestUri, authorization: m.getHeaders('Authorization') },
      o.now(),
      lookup,
    );
    if (r.ok) return true;
    reject(r.challenges.map((c) => [r.challengeHeader, c] as const));
    stats.challenged++;
    return false;
  };

  ua.on('invite', (inv) => {
    if (!authorized(inv, (headers) => inv.reject(401, { headers }))) return;
    const body = inv.offer === undefined ? o.answerer.offer() : o.answerer.answer(inv.offer);
    if (body === undefined) {
      inv.reject(488);
      stats.rejected++;
      return;
    }
    inv.on('cancelled', () => stats.cancelled++);
    const reliable = o.reliable && inv.reliableAllowed;
    let pracked = !reliable;
    let rung = o.ringMs <= 0;
    const answer = () => {
      if (!pracked || !rung || inv.state !== 'pending') return;
      const session = inv.accept({ body });
      stats.answered++;
      session.on('confirmed', () => stats.acked++);
      session.on('terminated', (reason) => {
        if (reason === 'remote-bye') stats.byes++;
        if (reason === 'no-ack') stats.noAck++;
      });
      session.on('reinvite', (sr, offer) => {
        const b = offer === undefined ? o.answerer.offer() : o.answerer.answer(offer);
        if (b === undefined) {
          sr.reject(488);
          stats.rejected++;
        } else {
          sr.accept({ body: b });
          stats.reinvites++;
        }
      });
    };
    inv.on('early', (session) => {
      session.on('prack', () => {
        pracked = true;
        answer();
      });
    });
    inv.provisional(180, { reliable });
    if (!rung)
      o.later(o.ringMs, () => {
        rung = true;
        answer();
      });
    answer();
  });
  ua.on('message', (sr) => {
    if (!authorized(sr, (headers) => sr.reject(401, { headers }))) return;
    sr.accept();
    stats.other++;
  });
  ua.on('request', (sr) => {
    if (sr.method !== 'REGISTER') {
      sr.reject(405, { headers: [['Allow', ua.config.allow.join(', ')]] });
      return;
    }
    sr.accept({ headers: registerContacts(sr.request) });
    stats.other++;
  });
  ua.on('options', (sr) => {
    sr.accept();
    stats.other++;
  });
  return stats;
}
