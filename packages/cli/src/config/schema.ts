/**
 * The PBX configuration schema (`tsvoip pbx --config pbx.yaml`): every field has a default that
 * makes `tsvoip pbx` work on a laptop; unknown keys are rejected.
 */
import { z } from 'zod';
import { parseListenSpec } from '../listen-spec.js';
import { LOG_LEVELS } from '../options.js';
import { parseCidr } from '../pbx/cidr.js';

function validListen(v: string): boolean {
  try {
    parseListenSpec(v);
    return true;
  } catch {
    return false;
  }
}

function validCidr(v: string): boolean {
  return parseCidr(v) !== undefined;
}

/** `host:port` (IPv6 hosts in brackets). */
function validHostPort(v: string): boolean {
  const c = v.lastIndexOf(':');
  if (c <= 0) return false;
  const port = Number(v.slice(c + 1));
  return Number.isInteger(port) && port > 0 && port < 65536 && !/\s/.test(v);
}

const seconds = (d: number) => z.number().int().min(0).max(0xffffffff).default(d);

/** A trunk or static route: numbers with a prefix, or a domain, sent to `host:port`. */
export const trunkSchema = z.strictObject({
  /** Name in logs. */
  name: z.string().min(1),
  /** Where to send: `host:port` (a numeric host; names are not resolved). */
  address: z.string().refine(validHostPort, 'expected host:port'),
  /** Transport toward the trunk. */
  transport: z.enum(['udp', 'tcp']).default('udp'),
  /** Request-URI user parts starting with one of these (dialled at a local domain) take this trunk. */
  prefixes: z.array(z.string().regex(/^[0-9*#+]+$/, 'digits, *, # or +')).default([]),
  /** Request-URIs for these (non-local) domains take this trunk. */
  domains: z.array(z.string().min(1)).default([]),
  /** Characters removed from the start of the number before it is sent. */
  strip: z.number().int().min(0).default(0),
  /** Prepended to the number (after `strip`). */
  prepend: z.string().default(''),
  /** Outbound digest credentials (answered from the trunk's last challenge, see the README). */
  username: z.string().min(1).optional(),
  /** Outbound digest password. */
  password: z.string().min(1).optional(),
  /** Caller-ID toward the trunk: sent as P-Asserted-Identity (RFC 3325). */
  callerId: z.string().min(1).optional(),
});

/** The PBX configuration, as written in the file (before defaults). */
export const pbxConfigSchema = z.strictObject({
  /** Listeners `transport:host:port`; tls needs `tls`. */
  listen: z
    .array(z.string().refine(validListen, 'expected transport:host:port, e.g. udp:0.0.0.0:5060'))
    .min(1)
    .default(['udp:0.0.0.0:5060', 'tcp:0.0.0.0:5060']),
  /** Host written in Via and Record-Route; default: the listen host, or this machine's first address. */
  advertise: z.string().min(1).optional(),
  /** Certificate and key files (PEM) for tls listeners. */
  tls: z.strictObject({ cert: z.string().min(1), key: z.string().min(1) }).optional(),
  /** SIP domains served; default: the advertised and listen addresses. */
  domains: z.array(z.string().min(1)).default([]),
  /** Digest realm of every user. */
  realm: z.string().min(1).default('tsvoip'),
  /** Directory for the embedded database, the lock and the admin endpoint file. */
  dataDir: z.string().min(1).default('./data'),
  /** `postgres://...` for a PostgreSQL server; default: PGlite in `<dataDir>/db`. */
  database: z.string().min(1).optional(),
  /** Sources (CIDR) not challenged: INVITE and REGISTER from them are accepted without digest. */
  trusted: z.array(z.string().refine(validCidr, 'expected a CIDR, e.g. 10.0.0.0/8 or 127.0.0.1')).default([]),
  /** Digest authentication and the failure throttle. */
  auth: z
    .strictObject({
      // One challenge per algorithm, in this order. MD5 comes first by default because common clients
      // (baresip 1.0, sipp 3.6, many desk phones) answer only the first challenge and know only MD5;
      // RFC 8760 §2.4 clients still pick the strongest one they support, whatever the order.
      algorithms: z
        .array(z.enum(['SHA-512-256', 'SHA-256', 'MD5']))
        .min(1)
        .default(['MD5', 'SHA-256']),
      maxFailures: z.number().int().min(1).default(5),
      windowSeconds: z.number().int().min(1).default(60),
      banSeconds: z.number().int().min(1).default(300),
    })
    .prefault({}),
  /** REGISTER expiry bounds (seconds). */
  registrar: z
    .strictObject({ minExpires: seconds(60), maxExpires: seconds(7200), defaultExpires: seconds(3600) })
    .prefault({}),
  /** Trunks and static routes. */
  trunks: z.array(trunkSchema).default([]),
  /** On the first start with no users, create 1000 and 1001 with random passwords. */
  demoUsers: z.boolean().default(true),
  /** Logging. */
  log: z
    .strictObject({ level: z.enum(LOG_LEVELS).default('info'), sipTrace: z.boolean().default(false) })
    .prefault({}),
});

/** The PBX configuration with every default applied. */
export type PbxConfig = z.output<typeof pbxConfigSchema>;
/** One trunk, defaults applied. */
export type TrunkConfig = z.output<typeof trunkSchema>;
