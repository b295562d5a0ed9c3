/**
 * The scriptable UAC of `tsvoip uac`, on the stack's user agent core: places calls one after
 * the other (INVITE with an SDP offer, optional digest retry, CANCEL, re-INVITE, BYE) and
 * reports what happened. It exists to test the stack against real peers.
 */
import { randomBytes } from 'node:crypto';
import { createRequest, defaultRandomToken, type SipMessage } from '@tsvoip/sip';
import {
  createUserAgentCore,
  DigestClientSession,
  defaultResolver,
  type InviteSession,
  NodeStackDriver,
  type StackLogger,
  UA_METHODS,
  UA_OPTION_TAGS,
  type UserAgentCore,
} from '@tsvoip/stack';
import type { Transport, TransportAddress } from '@tsvoip/transport';
import type { ListenSpec } from '../listen-spec.js';
import type { UserPassword } from '../options.js';
import { openTransports } from '../transports.js';
import { SdpAnswerer } from '../uas/sdp-answerer.js';
import { ObservedStack } from './observed-stack.js';

/** Options of {@link runUac}. */
export interface UacOptions {
  /** Local listener (its transport carries the calls). */
  readonly listen: ListenSpec;
  /** Request-URI of the calls, e.g. `sip:service@127.0.0.1:5080`. */
  readonly target: string;
  /** Calls to place, one after the other (default 1). */
  readonly calls?: number;
  /** Time between the ACK and the BYE (ms; default 0). */
  readonly holdMs?: number;
  /** Credentials for 401/407 challenges. */
  readonly auth?: UserPassword;
  /** Cancel each call this long after the INVITE (ms), instead of talking. */
  readonly cancelAfterMs?: number;
  /** Send a re-INVITE with a new offer once the call is up, before the BYE. */
  readonly reinvite?: boolean;
  /** 100rel (RFC 3262) in the INVITE (default `supported`). */
  readonly reliable?: 'supported' | 'required' | 'none';
  /** User part of our From and Contact (default `uac`). */
  readonly user?: string;
  /** REGISTER (our Contact, Expires 300) to the target's host before the calls. */
  readonly register?: boolean;
  /** Give up on a call after this long (ms; default 10000). */
  readonly callTimeoutMs?: number;
  /** Logger. */
  readonly logger: StackLogger;
}

/** What one call ended with. */
export type CallOutcome = 'completed' | 'cancelled' | 'failed' | 'timeout';

/** Results of {@link runUac}. */
export interface UacResult {
  /** Per call. */
  readonly outcomes: CallOutcome[];
  /** Final status of each call's INVITE (after an auth retry, the retry's). */
  readonly statuses: number[];
  /** 401/407 answered with credentials. */
  challenges: number;
  /** Reliable provisionals PRACKed (counted from early sessions). */
  reliableProvisionals: number;
  /** Re-INVITEs answered 2xx. */
  reinvites: number;
  /** Final status of each BYE. */
  readonly byeStatuses: number[];
  /** Final status of the REGISTER (with `register`). */
  registerStatus?: number;
}

/** Places the calls; resolves when all ended. */
export async function runUac(o: UacOptions): Promise<UacResult> {
  const transports: Transport[] = await openTransports([o.listen]);
  const local = transports[0]?.listening as TransportAddress;
  const host = local.host.includes(':') ? `[${local.host}]` : local.host;
  const t = local.transport === 'UDP' ? '' : `;transport=${local.transport.toLowerCase()}`;
  const user = o.user ?? 'uac';
  const contact = `<sip:${user}@${host}:${local.port}${t}>`;
  const forced: string[] = [];
  const stack = new ObservedStack({
    localAddresses: [local],
    logger: o.logger,
    allowedMethods: UA_METHODS,
    supportedOptionTags: UA_OPTION_TAGS,
  });
  const ua = createUserAgentCore(stack, {
    contact,
    from: `<sip:${user}@${host}:${local.port}>`,
    // The auth retry reuses the Call-ID and From tag: queued here, taken by the next INVITE.
    token: () => forced.shift() ?? defaultRandomToken(),
    // Every request goes over our one transport (sipp's Contact has no transport parameter).
    resolve: (uri) => ({ ...defaultResolver(uri), transport: local.transport }),
  });
  const driver = new NodeStackDriver(ua, transports);
  const answerer = new SdpAnswerer({
    address: local.host,
    port: 41000,
    sessionId: String(randomBytes(4).readUInt32BE(0)),
  });
  const result: UacResult = {
    outcomes: [],
    statuses: [],
    challenges: 0,
    reliableProvisionals: 0,
    reinvites: 0,
    byeStatuses: [],
  };
  stack.observer = { onByeResponse: (s) => result.byeStatuses.push(s) };
  try {
    if (o.register === true) {
      const { status, callId } = await register(ua, driver, o.target, user, contact);
      result.registerStatus = status;
      // Like sipp's branchc/branchs: the first call shares the REGISTER's Call-ID (new From tag).
      forced.push(callId);
    }
    for (let i = 0; i < (o.calls ?? 1); i++)
      result.outcomes.push(await oneCall(ua, stack, driver, answerer, o, forced, result));
    // Let the last BYE's 200 arrive.
    const until = Date.now() + 2000;
    while (
      result.byeStatuses.length < result.outcomes.filter((x) => x === 'completed').length &&
      Date.now() < until
    )
      await new Promise((r) => setTimeout(r, 10));
  } finally {
    driver.close();
    await Promise.allSettled(transports.map((x) => x.close()));
  }
  return result;
}

/** Sends one REGISTER for `user` with our Contact; resolves to its final status (408 after 10 s). */
function register(
  ua: UserAgentCore,
  driver: NodeStackDriver<UserAgentCore>,
  target: string,
  user: string,
  contact: string,
): Promise<{ status: number; callId: string }> {
  const at = target.indexOf('@');
  const registrar = at < 0 ? target : `sip:${target.slice(at + 1)}`;
  const aor = `<sip:${user}@${registrar.slice(4).split(/[;>]/)[0]}>`;
  const request = createRequest({
    method: 'REGISTER',
    requestUri: registrar,
    from: aor,
    to: aor,
    contact,
    headers: [['Expires', '300']],
  });
  const callId = request.callId ?? '';
  return new Promise((resolve) => {
    const timeout = setTimeout(() => resolve({ status: 408, callId }), 10_000);
    // UsageHost.sendRequest: the UA core has no registration client usage.
    driver.run(() =>
      ua.sendRequest(request, {
        onResponse: (r) => {
          if (r.status < 200) return;
          clearTimeout(timeout);
          resolve({ status: r.status, callId });
        },
      }),
    );
  });
}

function oneCall(
  ua: UserAgentCore,
  stack: ObservedStack,
  driver: NodeStackDriver<UserAgentCore>,
  answerer: SdpAnswerer,
  o: UacOptions,
  forced: string[],
  result: UacResult,
): Promise<CallOutcome> {
  const offer = answerer.offer();
  const digest =
    o.auth === undefined
      ? undefined
      : new DigestClientSession({ credentials: { username: o.auth.username, password: o.auth.password } });
  return new Promise<CallOutcome>((resolve) => {
    const timers: Array<ReturnType<typeof setTimeout>> = [];
    const later = (ms: number, fire: () => void) => timers.push(setTimeout(() => driver.run(fire), ms));
    let settled = false;
    const done = (outcome: CallOutcome, status?: number) => {
      if (settled) return;
      settled = true;
      if (status !== undefined) result.statuses.push(status);
      for (const x of timers) clearTimeout(x);
      resolve(outcome);
    };
    timers.push(setTimeout(() => done('timeout'), o.callTimeoutMs ?? 10_000));
    const start = (headers: ReadonlyArray<readonly [string, string]>, retry: SipMessage | undefined) => {
      if (retry !== undefined) {
        // RFC 3261 §22.2 / §8.1.3.5: same Call-ID, To and From; CSeq one higher.
        forced.push(retry.callId ?? '', retry.from?.tag ?? '');
        stack.nextInviteCSeq = (retry.cseq?.seq ?? 1) + 1;
      }
      const inv = driver.run(() =>
        ua.invite({ to: `<${o.target}>`, body: offer, reliable: o.reliable ?? 'supported', headers }),
      );
      inv.on('early', (s) => {
        s.on('terminated', () => {});
      });
      inv.on('provisional', (r) => {
        if (r.require.includes('100rel')) result.reliableProvisionals++;
      });
      inv.on('failed', (status, response) => {
        const challenges = response.getHeaders(status === 407 ? 'Proxy-Authenticate' : 'WWW-Authenticate');
        if ((status === 401 || status === 407) && digest !== undefined && retry === undefined) {
          const answer = digest.respond(
            { statusCode: status, challenges },
            { method: 'INVITE', uri: inv.request.requestUri, authorization: [] },
          );
          if (answer.ok) {
            result.challenges++;
            start(
              answer.headers.map((h) => [h.name, h.value] as const),
              inv.request,
            );
            return;
          }
        }
        done('failed', status);
      });
      inv.on('cancelled', () => done('cancelled', 487));
      inv.on('accepted', (session, response) => {
        result.statuses.push(response.status);
        talk(session);
      });
      if (o.cancelAfterMs !== undefined)
        later(o.cancelAfterMs, () =>
          inv.state === 'proceeding' || inv.state === 'calling' ? inv.cancel() : undefined,
        );
    };
    const talk = (session: InviteSession) => {
      const bye = () => {
        session.bye();
        done('completed');
      };
      later(o.holdMs ?? 0, () => {
        if (o.reinvite !== true) return bye();
        session.once('answer', () => {
          result.reinvites++;
          // Work-around: the session emits 'answer' from inside its 2xx handling, before it builds
          // the ACK; ending the session right there makes that ACK throw. BYE once it is done.
          setImmediate(() => driver.run(bye));
        });
        session.once('modify-failed', () => done('failed'));
        session.reinvite(answerer.offer());
      });
    };
    start([], undefined);
  });
}
