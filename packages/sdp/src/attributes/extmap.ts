import { SdpParseError } from '../errors.js';
import { isVisible, parseUint } from '../tokens.js';
import type { MediaDirection } from './direction.js';
import { isMediaDirection } from './direction.js';

/** `a=extmap:<id>[/<direction>] <URI> [<extension attributes>]` (RFC 8285 §8). */
export interface Extmap {
  /** Local identifier: 1–14 (one-byte) or 1–255 (two-byte header form); up to 4095 is accepted. */
  id: number;
  /** Direction, when given. */
  direction?: MediaDirection;
  /** Extension URI. */
  uri: string;
  /** Extension attributes (the rest of the line), when given. */
  attributes?: string;
}

/** Parses the value of an `a=extmap` attribute. */
export function parseExtmap(value: string): Extmap {
  const sp = value.indexOf(' ');
  if (sp <= 0) throw new SdpParseError('extmap needs "<id> <uri>"');
  const head = value.slice(0, sp);
  const slash = head.indexOf('/');
  const id = parseUint(slash < 0 ? head : head.slice(0, slash), 'extmap id', 4095);
  if (id === 0) throw new SdpParseError('extmap id 0 is reserved'); // RFC 8285 §4.2
  const rest = value.slice(sp + 1).trimStart();
  const sp2 = rest.indexOf(' ');
  const uri = sp2 < 0 ? rest : rest.slice(0, sp2);
  if (!isVisible(uri)) throw new SdpParseError('extmap URI is empty');
  const e: Extmap = { id, uri };
  if (slash >= 0) {
    const d = head.slice(slash + 1);
    if (!isMediaDirection(d)) throw new SdpParseError(`extmap direction "${d}" is invalid`);
    e.direction = d;
  }
  if (sp2 >= 0) e.attributes = rest.slice(sp2 + 1);
  return e;
}

/** Formats the value of an `a=extmap` attribute. */
export function formatExtmap(e: Extmap): string {
  if (!isVisible(e.uri)) throw new SdpParseError('extmap URI is invalid');
  const head = e.direction === undefined ? `${e.id}` : `${e.id}/${e.direction}`;
  return e.attributes === undefined ? `${head} ${e.uri}` : `${head} ${e.uri} ${e.attributes}`;
}
