/**
 * Option values of `tsvoip phone` (each parser throws {@link CliUsageError} with one line) and the
 * user-agent configuration they make.
 * @module
 */
import type { UserAgentCodec, UserAgentConfigInput } from '@tsvoip/session';
import { CliUsageError } from '../errors.js';
import type { ListenSpec } from '../listen-spec.js';

/** The codec names `--codecs` accepts, as the user agent spells them. */
export const PHONE_CODECS: readonly UserAgentCodec[] = ['PCMU', 'PCMA', 'G722', 'opus'];

/** Parses `--codecs PCMU,PCMA,G722,opus` (case-insensitive, no duplicates, at least one). */
export function parseCodecs(value: string): UserAgentCodec[] {
  const out: UserAgentCodec[] = [];
  for (const raw of value.split(',')) {
    const name = raw.trim();
    const codec = PHONE_CODECS.find((c) => c.toLowerCase() === name.toLowerCase());
    if (codec === undefined)
      throw new CliUsageError(`--codecs: unknown codec ${JSON.stringify(name)} (${PHONE_CODECS.join(', ')})`);
    if (out.includes(codec)) throw new CliUsageError(`--codecs: ${codec} given twice`);
    out.push(codec);
  }
  return out;
}

/** Formats codecs back to the `--codecs` form. */
export function formatCodecs(codecs: readonly UserAgentCodec[]): string {
  return codecs.join(',');
}

/** Parses DTMF digits (`--dtmf 123#`): 0-9, *, #, A-D; returned upper-case. */
export function parseDtmfDigits(name: string, value: string): string {
  const digits = value.toUpperCase();
  if (digits.length === 0) throw new CliUsageError(`${name}: no digits`);
  for (const d of digits)
    if (!'0123456789*#ABCD'.includes(d))
      throw new CliUsageError(`${name} ${JSON.stringify(value)}: not a DTMF digit: ${JSON.stringify(d)}`);
  return digits;
}

/** Parses a duration in seconds (`--duration 5`, `2.5`) to milliseconds; must be > 0. */
export function parseSeconds(name: string, value: string): number {
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || Number(value) <= 0 || Number(value) > 86_400)
    throw new CliUsageError(
      `${name} ${JSON.stringify(value)}: expected seconds, more than 0 and at most 86400`,
    );
  return Math.round(Number(value) * 1000);
}

/** An RTP port range. */
export interface PortRange {
  /** Lowest port. */
  readonly min: number;
  /** Highest port. */
  readonly max: number;
}

/** Parses `--rtp-ports 21000-21999` (at least two ports: RTP and RTCP). */
export function parsePortRange(value: string): PortRange {
  const m = /^([0-9]{1,5})-([0-9]{1,5})$/.exec(value);
  const bad = () =>
    new CliUsageError(`--rtp-ports ${JSON.stringify(value)}: expected min-max within 1024-65535`);
  if (m === null) throw bad();
  const min = Number(m[1]);
  const max = Number(m[2]);
  if (min < 1024 || max > 65535 || max <= min) throw bad();
  return { min, max };
}

/** Formats a range back to `min-max`. */
export function formatPortRange(r: PortRange): string {
  return `${r.min}-${r.max}`;
}

/** Parses a SIP URI argument (`sip:` or `sips:`, something after the colon). */
export function parseSipUri(name: string, value: string): string {
  if (!/^sips?:[^\s]+$/i.test(value))
    throw new CliUsageError(`${name} ${JSON.stringify(value)}: expected a sip: URI`);
  return value;
}

/** Everything `tsvoip phone` needs, from the command line. */
export interface PhoneOptions {
  /** Our address-of-record. */
  readonly account: string;
  /** Digest password (registers when given). */
  readonly password?: string;
  /** Digest username (default: the user part of the account). */
  readonly username?: string;
  /** Registrar URI (default: the account's domain). */
  readonly registrar?: string;
  /** Register before calling/listening. */
  readonly register: boolean;
  /** Where SIP listens (UDP). */
  readonly listen: ListenSpec;
  /** RTP ports. */
  readonly rtpPorts: PortRange;
  /** Address RTP binds to (default: the SIP host). */
  readonly rtpAddress: string;
  /** Codecs in preference order. */
  readonly codecs: readonly UserAgentCodec[];
  /** SDES-SRTP (RTP/SAVP). */
  readonly srtp: boolean;
  /** WAV to play once answered. */
  readonly play?: string;
  /** WAV to record what we hear to. */
  readonly record?: string;
  /** Call length once answered, ms. */
  readonly durationMs?: number;
  /** DTMF digits to send once answered. */
  readonly dtmf?: string;
  /** Answer incoming calls at once. */
  readonly autoAnswer: boolean;
  /** Give up on an unanswered outgoing call after this long, ms. */
  readonly answerTimeoutMs: number;
}

/** The user part of a SIP URI (`sip:alice@host` → `alice`), if any. */
export function userOf(uri: string): string | undefined {
  const rest = uri.replace(/^sips?:/i, '');
  const at = rest.indexOf('@');
  return at <= 0 ? undefined : rest.slice(0, at);
}

/** The user-agent configuration for these options. */
export function userAgentConfig(o: PhoneOptions): UserAgentConfigInput {
  const username = o.username ?? userOf(o.account);
  if (o.password !== undefined && username === undefined)
    throw new CliUsageError('--password needs a user in --account (sip:user@host) or --username');
  return {
    uri: o.account,
    sip: { host: o.listen.host, port: o.listen.port },
    auth: o.password === undefined || username === undefined ? undefined : { username, password: o.password },
    registrar: o.registrar,
    media: {
      address: o.rtpAddress,
      portMin: o.rtpPorts.min,
      portMax: o.rtpPorts.max,
      codecs: [...o.codecs],
      srtp: o.srtp ? 'sdes' : 'off',
    },
  };
}
