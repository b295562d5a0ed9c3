import { createResponse, parseNameAddr, type SipMessage, SipParseError } from '@tsvoip/sip';
import type { DigestServer } from '@tsvoip/stack';
import {
  type Binding,
  type BindingKey,
  bindingKeyOf,
  isInOrder,
  type ReceivedSource,
} from '../store/binding.js';
import { BindingOutOfOrderError } from '../store/errors.js';
import type { LocationStore } from '../store/location-store.js';
import type { UserStore } from '../store/user-store.js';
import { canonicalAor, requestDomain } from './aor.js';
import type { AuthThrottle } from './auth-throttle.js';
import { verifyDigest } from './authenticate.js';
import { type ContactPlan, planContacts } from './contacts.js';
import { RegisterRejection, RegistrarConfigError } from './errors.js';
import { type RegistrarOptions, type ResolvedRegistrarOptions, resolveRegistrarOptions } from './options.js';
import { registerOk } from './response.js';

/** Option tags a registrar supports (RFC 3327 path, RFC 5626 outbound): give them to the stack's intake. */
export const REGISTRAR_OPTION_TAGS: readonly string[] = Object.freeze(['path', 'outbound']);

/** Where a REGISTER came from: its flow (RFC 5626), stored as the binding's `received`. */
export type RegisterSource = ReceivedSource;

/** What a {@link Registrar} works with, besides its options. */
export interface RegistrarInit extends RegistrarOptions {
  /** The location service. */
  readonly locations: LocationStore;
  /** Users and their HA1s; required unless `authenticate` is false. */
  readonly users?: UserStore;
  /** The digest verifier (its realm must be the registrar's); required unless `authenticate` is false. */
  readonly digest?: DigestServer;
  /** Per-source throttling of authentication failures (keyed by source address); none by default. */
  readonly throttle?: AuthThrottle;
}

/**
 * A copy of `s` that does not keep the received message alive: header values are V8 slices of the
 * whole message head, and a stored binding would otherwise retain it (about 1 KB per binding).
 */
function detach(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

function hasTag(tags: readonly string[], tag: string): boolean {
  for (const t of tags) if (t.toLowerCase() === tag) return true;
  return false;
}

/**
 * RFC 3261 §10.3 REGISTER processing over a {@link LocationStore} and a {@link UserStore}, sans-IO:
 * {@link Registrar.handleRegister} takes the parsed request, its source and `now` and resolves to the
 * response to send; only the store calls are asynchronous. `now` is ms since the epoch (bindings are
 * stored with absolute times and the Date header is formatted from it).
 */
export class Registrar {
  readonly #o: ResolvedRegistrarOptions;
  readonly #locations: LocationStore;
  readonly #users: UserStore | undefined;
  readonly #digest: DigestServer | undefined;
  readonly #throttle: AuthThrottle | undefined;

  /** @throws RegistrarConfigError when authentication is on without users or digest, or realms differ. */
  constructor(init: RegistrarInit) {
    this.#o = resolveRegistrarOptions(init);
    this.#locations = init.locations;
    this.#users = init.users;
    this.#digest = init.digest;
    this.#throttle = init.throttle;
    if (this.#o.authenticate) {
      if (init.users === undefined) throw new RegistrarConfigError('users', 'needed to authenticate');
      if (init.digest === undefined) throw new RegistrarConfigError('digest', 'needed to authenticate');
      if (init.digest.realm !== this.#o.realm) {
        throw new RegistrarConfigError('digest', `realm ${init.digest.realm} is not ${this.#o.realm}`);
      }
      if (init.digest.statusCode !== 401)
        throw new RegistrarConfigError('digest', 'must not be a proxy server');
    }
  }

  /** The location service the registrar writes. */
  get locations(): LocationStore {
    return this.#locations;
  }

  /**
   * Processes a REGISTER (RFC 3261 §10.3 steps 1-8) and resolves to the response to send: 200 with
   * every binding of the AoR, or 400/401/403/404/420/423/439/500. Never rejects: a store failure is
   * logged once and answered 500.
   */
  async handleRegister(request: SipMessage, source: RegisterSource, now: number): Promise<SipMessage> {
    try {
      return await this.#process(request, source, now);
    } catch (e) {
      if (e instanceof RegisterRejection) return this.#reject(request, e);
      const callId = request.callId;
      if (e instanceof BindingOutOfOrderError) {
        // RFC 3261 §10.3 step 7: same Call-ID and CSeq not higher: 500, nothing written.
        this.#o.logger.info({ callId, aor: e.aor, cseq: e.requestCseq }, 'REGISTER out of order');
        return this.#reject(request, new RegisterRejection(500, e.message, 'Out of Order'));
      }
      this.#o.logger.warn({ callId, error: e instanceof Error ? e.message : String(e) }, 'REGISTER failed');
      return this.#reject(request, new RegisterRejection(500, 'internal error'));
    }
  }

  /** Deletes the bindings expired at `now` and returns them: call it from a driver timer. */
  expire(now: number): Promise<Binding[]> {
    this.#throttle?.prune(now);
    return this.#locations.expire(now);
  }

  async #process(request: SipMessage, source: RegisterSource, now: number): Promise<SipMessage> {
    const o = this.#o;
    if (!request.isRequest || request.method !== 'REGISTER') {
      throw new RegisterRejection(405, `${request.method} is not REGISTER`, undefined, [
        ['Allow', 'REGISTER'],
      ]);
    }
    const callId = request.callId;
    const cseq = request.cseq;
    const to = request.to;
    if (callId === undefined || cseq === undefined || to === undefined) {
      throw new RegisterRejection(400, 'missing Call-ID, CSeq or To');
    }
    // RFC 3261 §10.3 step 1: the Request-URI domain must be one we are responsible for.
    let domain: string | undefined;
    try {
      domain = requestDomain(request.parsedRequestUri);
    } catch (e) {
      if (e instanceof SipParseError) throw new RegisterRejection(400, 'bad Request-URI');
      throw e;
    }
    if (domain === undefined || !o.domains.has(domain)) {
      throw new RegisterRejection(404, `domain ${domain ?? '(none)'} not served`, 'Domain Not Served');
    }
    // RFC 3261 §10.3 step 2 / §8.2.2.3: every Require option tag must be understood, else 420.
    const require = request.require;
    let unsupported: string[] | undefined;
    for (const t of require) {
      if (REGISTRAR_OPTION_TAGS.includes(t.toLowerCase())) continue;
      unsupported ??= [];
      unsupported.push(t);
    }
    if (unsupported !== undefined) {
      throw new RegisterRejection(420, `unsupported ${unsupported.join(', ')}`, undefined, [
        ['Unsupported', unsupported.join(', ')],
      ]);
    }
    // RFC 3261 §10.3 step 5: the AoR is the To URI in canonical form (checked after authentication).
    const aor = canonicalAor(to.uri);
    // RFC 3261 §10.3 steps 3-4: authenticate, then authorize the user for this AoR.
    if (o.authenticate) {
      const username = await this.#authenticate(request, source, now);
      const allowed =
        aor !== undefined &&
        (o.authorize !== undefined ? o.authorize(username, aor.aor) : aor.user === username);
      if (!allowed) {
        o.logger.info({ callId, username, aor: aor?.aor }, 'REGISTER for an AoR the user may not register');
        throw new RegisterRejection(403, `${username} may not register ${aor?.aor ?? 'this To'}`);
      }
    }
    // RFC 3261 §10.3 step 5: an AoR not valid for the Request-URI's domain is answered 404.
    if (aor === undefined || aor.domain !== domain) {
      throw new RegisterRejection(404, `To is not an address-of-record of ${domain}`);
    }
    const supported = request.supported;
    const pathSupported = hasTag(supported, 'path') || hasTag(require, 'path');
    // RFC 3327 §5.3: Path is stored (and echoed) only when the UA supports it.
    const path = pathSupported ? request.getHeaders('Path') : [];
    const outbound = hasTag(supported, 'outbound') || hasTag(require, 'outbound');
    const plan = planContacts(request, o, outbound);
    if (plan.kind === 'update' && plan.outbound) this.#checkFirstHop(request, path);
    const order = { callId, cseq: cseq.seq };
    await this.#apply(plan, detach(aor.aor), order, request, source, path, now);
    const bindings = await this.#locations.lookup(aor.aor, now);
    o.logger.info(
      { callId, aor: aor.aor, bindings: bindings.length, source: source.address, port: source.port },
      'REGISTER accepted',
    );
    const usedOutbound = plan.kind === 'update' && plan.outbound;
    return registerOk(
      request,
      bindings,
      { path, outbound: usedOutbound, flowTimer: o.flowTimer },
      now,
      o.random(),
    );
  }

  async #authenticate(request: SipMessage, source: RegisterSource, now: number): Promise<string> {
    const digest = this.#digest as DigestServer;
    const users = this.#users as UserStore;
    const throttle = this.#throttle;
    const callId = request.callId;
    if (throttle?.isBanned(source.address, now) === true) {
      this.#o.logger.info({ callId, source: source.address }, 'REGISTER from a banned source');
      throw new RegisterRejection(403, `source ${source.address} is banned`);
    }
    const result = await verifyDigest(request, digest, users, now);
    if (result.ok) {
      throttle?.recordSuccess(source.address, now);
      return result.username;
    }
    if (result.reason === 'bad-response' || result.reason === 'unknown-user') {
      // The issue: wrong credentials after the challenge round get 403, not another challenge.
      // Unknown user and wrong password answer alike, so names cannot be probed.
      const banned = throttle?.recordFailure(source.address, now) ?? false;
      this.#o.logger.warn(
        { callId, source: source.address, reason: result.reason, detail: result.detail, banned },
        'REGISTER authentication failed',
      );
      throw new RegisterRejection(403, result.detail);
    }
    if (result.reason === 'bad-uri')
      throw new RegisterRejection(400, result.detail, 'Bad Request (digest uri)');
    // missing, malformed, other realm: challenge (RFC 3261 §22.1); stale/replay: stale=true challenge.
    this.#o.logger.debug({ callId, reason: result.reason }, 'REGISTER challenged');
    throw new RegisterRejection(
      result.statusCode,
      result.detail,
      undefined,
      result.challenges.map((c) => [result.challengeHeader, c] as const),
    );
  }

  /**
   * RFC 5626 §6: outbound needs a first hop that supports it: the edge proxy's Path value (the last
   * one) carries `ob`, or without Path the UA is the previous hop (one Via). Else 439.
   */
  #checkFirstHop(request: SipMessage, path: readonly string[]): void {
    let ok: boolean;
    if (path.length > 0) {
      try {
        const edge = parseNameAddr(path[path.length - 1] as string).uri;
        ok = edge.kind === 'sip' && edge.params.has('ob');
      } catch (e) {
        if (!(e instanceof SipParseError)) throw e;
        throw new RegisterRejection(400, 'bad Path', 'Bad Request (bad Path)');
      }
    } else {
      ok = request.via.length <= 1;
    }
    if (!ok)
      throw new RegisterRejection(
        439,
        'first hop lacks outbound support',
        'First Hop Lacks Outbound Support',
      );
  }

  async #apply(
    plan: ContactPlan,
    aor: string,
    order: { readonly callId: string; readonly cseq: number },
    request: SipMessage,
    source: RegisterSource,
    path: readonly string[],
    now: number,
  ): Promise<void> {
    if (plan.kind === 'query') return;
    if (plan.kind === 'remove-all') {
      // RFC 3261 §10.3 step 6: Contact: * removes every binding, subject to the Call-ID/CSeq rule.
      await this.#locations.removeAll(aor, order);
      return;
    }
    const ua = request.getHeader('User-Agent');
    const userAgent = ua === undefined ? undefined : detach(ua);
    const callId = detach(order.callId);
    const storedPath = path.length === 0 ? path : path.map(detach);
    const upserts: Binding[] = [];
    const removals: BindingKey[] = [];
    for (const e of plan.entries) {
      const key = { aor, contact: e.contact, instanceId: e.instanceId, regId: e.regId };
      // RFC 3261 §10.3 step 7: expires 0 removes the binding.
      if (e.expires === 0) {
        removals.push(key);
        continue;
      }
      const b: { -readonly [K in keyof Binding]: Binding[K] } = {
        aor,
        contact: detach(e.contact),
        expiresAt: now + e.expires * 1000,
        q: e.q,
        callId,
        cseq: order.cseq,
        // NAT: the source is kept beside the Contact so the proxy can reach the UA through its mapping.
        received: source,
        path: storedPath,
        updatedAt: now,
      };
      if (e.instanceId !== undefined) b.instanceId = detach(e.instanceId);
      if (e.regId !== undefined) b.regId = e.regId;
      if (userAgent !== undefined) b.userAgent = userAgent;
      upserts.push(b);
    }
    if (removals.length > 0) {
      // RFC 3261 §10.3: process atomically; check the order of every touched binding before writing.
      const current = new Map<string, Binding>();
      for (const b of await this.#locations.lookup(aor, now)) current.set(bindingKeyOf(b), b);
      for (const k of [...removals, ...upserts]) {
        const key = bindingKeyOf(k);
        const b = current.get(key);
        if (b !== undefined && !isInOrder(b, order)) {
          throw new BindingOutOfOrderError(aor, key, order.callId, b.cseq, order.cseq);
        }
      }
    }
    if (upserts.length > 0) await this.#locations.upsertMany(upserts);
    for (const k of removals) await this.#locations.remove(k, order);
  }

  #reject(request: SipMessage, r: RegisterRejection): SipMessage {
    return createResponse(request, r.status, r.reason, {
      toTag: this.#o.random(),
      headers: r.headers,
    });
  }
}
