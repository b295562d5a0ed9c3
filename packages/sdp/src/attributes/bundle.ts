import { SdpParseError } from '../errors.js';
import { isToken, splitSpaces } from '../tokens.js';

/** `a=group:<semantics> *(SP <identification-tag>)` (RFC 5888 §5; BUNDLE: RFC 9143 §7.1). */
export interface Group {
  /** `BUNDLE`, `LS`, `FID`, … */
  semantics: string;
  /** The `a=mid` values of the grouped media descriptions, in order. */
  mids: string[];
}

/** Parses the value of an `a=mid` attribute (RFC 5888 §4: a token). */
export function parseMid(value: string): string {
  if (!isToken(value)) throw new SdpParseError(`mid "${value}" is not a token`);
  return value;
}

/** Parses the value of an `a=group` attribute. */
export function parseGroup(value: string): Group {
  const f = splitSpaces(value);
  if (f.length === 0 || !isToken(f[0])) throw new SdpParseError('group needs "<semantics> <mid>..."');
  for (const m of f.slice(1)) if (!isToken(m)) throw new SdpParseError(`group mid "${m}" is not a token`);
  return { semantics: f[0], mids: f.slice(1) };
}

/** Formats the value of an `a=group` attribute. */
export function formatGroup(g: Group): string {
  for (const t of [g.semantics, ...g.mids]) if (!isToken(t)) throw new SdpParseError(`"${t}" is not a token`);
  return g.mids.length === 0 ? g.semantics : `${g.semantics} ${g.mids.join(' ')}`;
}
