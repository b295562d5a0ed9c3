/**
 * Configuration of a user agent, validated at the edge with a zod schema: defaults for every
 * field but the address-of-record, unknown keys rejected with their name.
 * @module
 */
import { z } from 'zod';
import { UserAgentConfigError } from './errors.js';

const codecName = z.enum(['PCMU', 'PCMA', 'G722', 'opus']);
const sipTransport = z.enum(['udp', 'tcp']);

const mediaSchema = z.strictObject({
  /** Address to bind RTP sockets to (and to put in SDP). */
  address: z.string().min(1).default('127.0.0.1'),
  /** RTP port range. */
  portMin: z.number().int().min(1024).max(65534).default(20000),
  portMax: z.number().int().min(1025).max(65535).default(29999),
  /** Codecs in preference order. */
  codecs: z.array(codecName).min(1).default(['PCMU', 'PCMA', 'G722', 'opus']),
  /** Offer RFC 4733 telephone-event. */
  telephoneEvent: z.boolean().default(true),
  /** Packet time, ms. */
  ptime: z.number().int().min(10).max(60).default(20),
  /** Offer/accept rtcp-mux (RFC 5761). */
  rtcpMux: z.boolean().default(true),
  /** `sdes`: RTP/SAVP with SDES keys in SDP (RFC 4568); `off`: plain RTP/AVP. */
  srtp: z.enum(['off', 'sdes']).default('off'),
  /** Minimum RTCP interval, ms (RFC 3550 §6.2 says 5000; lower for tests). */
  rtcpMinIntervalMs: z.number().int().positive().default(5000),
  /**
   * Shared-port mode of the media driver: every call's RTP and RTCP on this many port pairs of the
   * range, routed by SSRC and remote address. 0 (default): a port pair per call.
   */
  sharedPorts: z.number().int().min(0).default(0),
});

const schema = z.strictObject({
  /** Our address-of-record, e.g. `sip:alice@example.com`. */
  uri: z.string().regex(/^sips?:/, 'must be a sip: or sips: URI'),
  /** Display name for From. */
  displayName: z.string().optional(),
  /** The SIP transports: UDP and/or TCP on `host:port` (port 0: any). */
  sip: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(5060),
      /**
       * `udp`, `tcp`, or several (all on the same port). The first is the preferred one: it goes
       * in our Contact and carries requests to URIs without a `transport` parameter.
       */
      transport: z.union([sipTransport, z.array(sipTransport).min(1)]).default('udp'),
      /** Host to advertise in Via/Contact when it differs from the bound one. */
      advertisedHost: z.string().min(1).optional(),
    })
    .default({ host: '127.0.0.1', port: 5060, transport: 'udp' }),
  /** Digest credentials (RFC 3261 §22). */
  auth: z.strictObject({ username: z.string().min(1), password: z.string() }).optional(),
  /** Registrar URI (default: the domain of `uri`). */
  registrar: z
    .string()
    .regex(/^sips?:/, 'must be a sip: URI')
    .optional(),
  /** REGISTER expiry asked for, seconds, and when to refresh (fraction of the granted expiry). */
  register: z
    .strictObject({
      expires: z.number().int().min(1).default(600),
      refreshRatio: z.number().gt(0).lt(1).default(0.5),
    })
    .default({ expires: 600, refreshRatio: 0.5 }),
  /** Session timers (RFC 4028): on by default; false to not ask for one. */
  sessionTimer: z
    .union([
      z.literal(false),
      z.strictObject({
        sessionExpires: z.number().int().min(90).default(1800),
        minSE: z.number().int().min(90).default(90),
      }),
    ])
    .default({ sessionExpires: 1800, minSE: 90 }),
  /** Send 180 Ringing on an incoming INVITE before the application answers. */
  autoRing: z.boolean().default(true),
  /** Act on a REFER received in a call (place the new call, report NOTIFY progress). */
  acceptTransfers: z.boolean().default(true),
  /** SIP T1 in ms (RFC 3261 §17.1.1.1). */
  t1: z.number().int().positive().default(500),
  media: mediaSchema.default(mediaSchema.parse({})),
});

/** The configuration accepted by `createUserAgent` (before defaults). */
export type UserAgentConfigInput = z.input<typeof schema>;
/** The configuration with every default applied. */
export type UserAgentConfig = z.output<typeof schema>;
/** SIP transports a user agent can listen on. */
export type UserAgentTransport = z.output<typeof sipTransport>;
/** Codec names a user agent can offer. */
export type UserAgentCodec = z.output<typeof codecName>;

/**
 * Validates a configuration and applies the defaults.
 * @throws {UserAgentConfigError} naming the first offending key (unknown keys included).
 */
export function parseUserAgentConfig(input: unknown): UserAgentConfig {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [...issue.path, ...keys.slice(0, 1)].map(String).join('.');
    const message = keys.length > 0 ? `unknown key "${keys[0]}"` : issue.message;
    throw new UserAgentConfigError(path, message);
  }
  const c = r.data;
  const transports = sipTransports(c);
  if (new Set(transports).size !== transports.length)
    throw new UserAgentConfigError('sip.transport', 'lists a transport twice');
  if (c.media.portMin > c.media.portMax)
    throw new UserAgentConfigError('media.portMin', 'must not exceed media.portMax');
  // RFC 3550 §11: each pair is an even RTP port and the odd one above it.
  const pairs = Math.floor((c.media.portMax - (c.media.portMin + (c.media.portMin & 1)) + 1) / 2);
  if (c.media.sharedPorts > pairs)
    throw new UserAgentConfigError('media.sharedPorts', `exceeds the ${pairs} port pairs of the range`);
  return c;
}

/** The configured SIP transports as a list, the preferred one first. */
export function sipTransports(config: UserAgentConfig): readonly UserAgentTransport[] {
  const t = config.sip.transport;
  return typeof t === 'string' ? [t] : t;
}
