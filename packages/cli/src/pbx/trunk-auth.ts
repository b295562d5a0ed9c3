/**
 * Outbound digest credentials toward trunks. The proxy core forwards a trunk's 401/407 upstream
 * (it cannot resend a request itself), so this answers the trunk's *last* challenge on later
 * requests (RFC 3261 §22.3 pre-emptive credentials with the next nonce count, RFC 7616 §3.4).
 * The first request after a start, or after the trunk rotates its nonce, gets the challenge.
 */
import { DigestClientSession } from '@tsvoip/stack';
import type { TrunkConfig } from '../config/schema.js';

/** Per-trunk digest client sessions, fed by the challenges seen on trunk branches. */
export class TrunkAuth {
  readonly #sessions = new Map<string, DigestClientSession>();

  /** Prepares a session for every trunk with credentials. */
  constructor(trunks: readonly TrunkConfig[]) {
    for (const t of trunks) {
      if (t.username === undefined || t.password === undefined) continue;
      const secret = { username: t.username, password: t.password };
      this.#sessions.set(t.name, new DigestClientSession({ credentials: secret }));
    }
  }

  /** Whether `trunk` has credentials. */
  has(trunk: TrunkConfig): boolean {
    return this.#sessions.has(trunk.name);
  }

  /**
   * Learns a 401/407 the trunk sent for `method` `uri`: its nonce is used for the following requests.
   * Returns false when the trunk has no credentials or the challenge cannot be answered.
   */
  observe(
    trunk: TrunkConfig,
    status: number,
    challenges: readonly string[],
    method: string,
    uri: string,
  ): boolean {
    const s = this.#sessions.get(trunk.name);
    if (s === undefined) return false;
    s.forget();
    return s.respond({ statusCode: status, challenges }, { method, uri, authorization: [] }).ok;
  }

  /** Authorization / Proxy-Authorization headers for a request to `trunk`, or undefined without a nonce yet. */
  headers(trunk: TrunkConfig, method: string, uri: string): Array<readonly [string, string]> | undefined {
    const s = this.#sessions.get(trunk.name);
    if (s === undefined) return undefined;
    const h = s.authorize({ method, uri });
    return h.length === 0 ? undefined : h.map((x) => [x.name, x.value] as const);
  }
}
