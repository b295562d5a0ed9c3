/** Test fixtures: REGISTER builders, a registrar on memory stores, a digest client round trip. */
import { parseMessage, type SipMessage } from '@tsvoip/sip';
import { DigestClientSession, DigestServer, type StackLogger } from '@tsvoip/stack';
import type { LocationStore } from '../store/location-store.js';
import { MemoryLocationStore } from '../store/memory-location-store.js';
import { MemoryUserStore } from '../store/memory-user-store.js';
import type { UserStore } from '../store/user-store.js';
import { AuthThrottle, type AuthThrottleOptions } from './auth-throttle.js';
import { sipUriMatches } from './authenticate.js';
import type { RegistrarOptions } from './options.js';
import { type RegisterSource, Registrar } from './registrar.js';

export const DOMAIN = 'pbx.example';
export const T0 = 1_700_000_000_000; // epoch ms
export const UDP_SOURCE: RegisterSource = { transport: 'UDP', address: '198.51.100.7', port: 40312 };

let userCounter = 0;

/** Adds a user with a name no other test uses (the PGlite suites share one database) and returns it. */
export async function newUser(users: UserStore, password = 'correct horse'): Promise<string> {
  const username = `u${process.pid}x${++userCounter}`;
  await users.add({ username, realm: DOMAIN, password }, T0);
  return username;
}

/** A user name no other test uses, for tests without authentication. */
export function uniqueUser(): string {
  return `n${process.pid}x${++userCounter}`;
}

/** Fields of a test REGISTER. */
export interface RegisterSpec {
  readonly user?: string;
  readonly toUri?: string;
  readonly requestUri?: string;
  readonly contacts?: readonly string[];
  readonly expires?: number | string;
  readonly callId?: string;
  readonly cseq?: number;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly vias?: number;
}

/** A parsed REGISTER built from `spec`. */
export function register(spec: RegisterSpec = {}): SipMessage {
  const user = spec.user ?? '1001';
  const toUri = spec.toUri ?? `sip:${user}@${DOMAIN}`;
  const lines = [`REGISTER ${spec.requestUri ?? `sip:${DOMAIN}`} SIP/2.0`];
  const vias = spec.vias ?? 1;
  for (let i = vias - 1; i >= 0; i--)
    lines.push(`Via: SIP/2.0/UDP 192.0.2.${10 + i}:5060;branch=z9hG4bK${i}x${spec.cseq ?? 1}`);
  lines.push('Max-Forwards: 70', `From: <${toUri}>;tag=f1`, `To: <${toUri}>`);
  lines.push(`Call-ID: ${spec.callId ?? 'call-1@192.0.2.10'}`, `CSeq: ${spec.cseq ?? 1} REGISTER`);
  for (const c of spec.contacts ?? [`<sip:${user}@192.0.2.10:5060>`]) lines.push(`Contact: ${c}`);
  if (spec.expires !== undefined) lines.push(`Expires: ${spec.expires}`);
  for (const [n, v] of spec.headers ?? []) lines.push(`${n}: ${v}`);
  lines.push('Content-Length: 0', '', '');
  return parseMessage(lines.join('\r\n'));
}

/** A logger that keeps every line, to check what is (not) logged. */
export function capturingLogger(): StackLogger & { readonly lines: string[] } {
  const lines: string[] = [];
  const log = (fields: object, msg: string) => lines.push(`${msg} ${JSON.stringify(fields)}`);
  return { lines, debug: log, info: log, warn: log };
}

/** A registrar on the given (default: memory) stores, with deterministic nonces and To tags. */
export async function makeRegistrar(
  options: Partial<RegistrarOptions> & {
    locations?: LocationStore;
    users?: UserStore;
    throttle?: AuthThrottleOptions;
  } = {},
): Promise<{ registrar: Registrar; locations: LocationStore; users: UserStore; throttle: AuthThrottle }> {
  const locations = options.locations ?? new MemoryLocationStore();
  const users = options.users ?? new MemoryUserStore();
  const digest = new DigestServer({
    realm: DOMAIN,
    secret: new Uint8Array(32).fill(7),
    randomBytes: (n) => new Uint8Array(n).fill(1),
    uriMatches: sipUriMatches,
  });
  const throttle = new AuthThrottle(options.throttle);
  let n = 0;
  const registrar = new Registrar({
    domains: [DOMAIN],
    random: () => `tag${++n}`,
    ...options,
    locations,
    users,
    digest,
    throttle,
  });
  return { registrar, locations, users, throttle };
}

/**
 * Sends `spec` through the challenge round like a UA: unauthenticated first, then with the credentials
 * the digest client computes from the 401 (asked from `challengeSource`). Returns both responses.
 */
export async function registerWithDigest(
  registrar: Registrar,
  spec: RegisterSpec,
  password: string,
  now: number,
  source: RegisterSource = UDP_SOURCE,
  username = spec.user ?? '1001',
  challengeSource: RegisterSource = source,
): Promise<{ challenge: SipMessage; final: SipMessage }> {
  const cseq = spec.cseq ?? 1;
  const challenge = await registrar.handleRegister(register({ ...spec, cseq }), challengeSource, now);
  const client = new DigestClientSession({ credentials: { username, password } });
  const uri = spec.requestUri ?? `sip:${DOMAIN}`;
  const answer = client.respond(
    { statusCode: challenge.status, challenges: challenge.getHeaders('WWW-Authenticate') },
    { method: 'REGISTER', uri, authorization: [] },
  );
  if (!answer.ok) throw answer.error;
  const headers = [...(spec.headers ?? []), ...answer.headers.map((h) => [h.name, h.value] as const)];
  const final = await registrar.handleRegister(register({ ...spec, cseq: cseq + 1, headers }), source, now);
  return { challenge, final };
}

/** The Contact header values of a response, in order. */
export function contactsOf(response: SipMessage): string[] {
  return response.getHeaders('Contact');
}
