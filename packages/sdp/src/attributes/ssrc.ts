import { SdpParseError } from '../errors.js';
import { isToken, parseUint, splitSpaces } from '../tokens.js';

/** `a=ssrc:<ssrc-id> <attribute>[:<value>]` (RFC 5576 §4.1). */
export interface SsrcAttribute {
  /** SSRC, 0–2^32−1. */
  ssrc: number;
  /** Source attribute name, e.g. `cname`, `msid`. */
  attribute: string;
  /** Source attribute value (may contain spaces, e.g. the msid value). */
  value?: string;
}

/** `a=ssrc-group:<semantics> *(SP <ssrc-id>)` (RFC 5576 §4.2). */
export interface SsrcGroup {
  /** `FID`, `FEC`, `SIM`, … */
  semantics: string;
  /** SSRCs in order. */
  ssrcs: number[];
}

/** Parses the value of an `a=ssrc` attribute. */
export function parseSsrc(value: string): SsrcAttribute {
  const sp = value.indexOf(' ');
  if (sp <= 0) throw new SdpParseError('ssrc needs "<ssrc-id> <attribute>"');
  const ssrc = parseUint(value.slice(0, sp), 'ssrc id', 0xffffffff);
  const rest = value.slice(sp + 1).trimStart();
  const colon = rest.indexOf(':');
  const attribute = colon < 0 ? rest : rest.slice(0, colon);
  if (!isToken(attribute)) throw new SdpParseError(`ssrc attribute "${attribute}" is not a token`);
  return colon < 0 ? { ssrc, attribute } : { ssrc, attribute, value: rest.slice(colon + 1) };
}

/** Formats the value of an `a=ssrc` attribute. */
export function formatSsrc(s: SsrcAttribute): string {
  if (!isToken(s.attribute)) throw new SdpParseError(`ssrc attribute "${s.attribute}" is not a token`);
  return s.value === undefined ? `${s.ssrc} ${s.attribute}` : `${s.ssrc} ${s.attribute}:${s.value}`;
}

/** Parses the value of an `a=ssrc-group` attribute. */
export function parseSsrcGroup(value: string): SsrcGroup {
  const f = splitSpaces(value);
  if (f.length === 0 || !isToken(f[0])) throw new SdpParseError('ssrc-group needs "<semantics> <ssrc>..."');
  return { semantics: f[0], ssrcs: f.slice(1).map((s) => parseUint(s, 'ssrc-group ssrc', 0xffffffff)) };
}

/** Formats the value of an `a=ssrc-group` attribute. */
export function formatSsrcGroup(g: SsrcGroup): string {
  return [g.semantics, ...g.ssrcs].join(' ');
}
