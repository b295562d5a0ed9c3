import { SdpParseError } from '../errors.js';

/** `a=fmtp:<format> <format specific parameters>` (RFC 8866 §6.15). */
export interface Fmtp {
  /** The media format (payload type for RTP). */
  format: string;
  /** The parameters, opaque to SDP (`minptime=10;useinbandfec=1`, `0-16`, `111/111`). */
  parameters: string;
}

/** One `name[=value]` item of a `;`-separated fmtp parameter list (RFC 4855 §3 style). */
export interface FmtpParameter {
  /** Parameter name. */
  name: string;
  /** Value, absent for a bare name. */
  value?: string;
}

/** Parses the value of an `a=fmtp` attribute. */
export function parseFmtp(value: string): Fmtp {
  const sp = value.indexOf(' ');
  if (sp <= 0) throw new SdpParseError('fmtp needs "<format> <parameters>"');
  return { format: value.slice(0, sp), parameters: value.slice(sp + 1) };
}

/** Formats an fmtp as the value of an `a=fmtp` attribute. */
export function formatFmtp(f: Fmtp): string {
  if (f.format.length === 0 || f.format.includes(' ')) throw new SdpParseError('fmtp format must be a token');
  return `${f.format} ${f.parameters}`;
}

/** Splits `a=b;c=d; e` into parameters (whitespace around items trimmed). */
export function parseFmtpParameters(parameters: string): FmtpParameter[] {
  const out: FmtpParameter[] = [];
  for (const item of parameters.split(';')) {
    const t = item.trim();
    if (t.length === 0) continue;
    const eq = t.indexOf('=');
    out.push(eq < 0 ? { name: t } : { name: t.slice(0, eq).trim(), value: t.slice(eq + 1).trim() });
  }
  return out;
}

/** Joins parameters as `a=b;c=d`. */
export function formatFmtpParameters(params: readonly FmtpParameter[]): string {
  return params.map((p) => (p.value === undefined ? p.name : `${p.name}=${p.value}`)).join(';');
}
