import { SdpParseError } from '../errors.js';
import type { SdpLine } from '../model.js';

/** An `a=` line split into its name and (for value attributes) its value (RFC 8866 §5.13). */
export interface Attribute {
  /** The attribute name (`rtpmap`, `sendrecv`, …). */
  name: string;
  /** The text after the first `:`, untouched; absent for property attributes such as `a=rtcp-mux`. */
  value?: string;
  /** The line it came from. */
  line: SdpLine;
}

/** Splits the value of an `a=` line into name and value. */
export function splitAttribute(line: SdpLine): Attribute {
  const colon = line.value.indexOf(':');
  return colon < 0
    ? { name: line.value, line }
    : { name: line.value.slice(0, colon), value: line.value.slice(colon + 1), line };
}

/** All attributes of a list of lines (a session level or a media description), in order. */
export function listAttributes(lines: readonly SdpLine[]): Attribute[] {
  const out: Attribute[] = [];
  for (const l of lines) if (l.type === 'a') out.push(splitAttribute(l));
  return out;
}

/** Attributes named `name`, in order. */
export function findAttributes(lines: readonly SdpLine[], name: string): Attribute[] {
  return listAttributes(lines).filter((a) => a.name === name);
}

/** True when an attribute named `name` is present (with or without a value). */
export function hasAttribute(lines: readonly SdpLine[], name: string): boolean {
  for (const l of lines) {
    if (l.type !== 'a') continue;
    const v = l.value;
    if (v === name || (v.startsWith(name) && v.charCodeAt(name.length) === 0x3a)) return true;
  }
  return false;
}

/** The value of the first attribute named `name` (`''` for a property attribute), or undefined. */
export function getAttributeValue(lines: readonly SdpLine[], name: string): string | undefined {
  for (const a of findAttributes(lines, name)) return a.value ?? '';
  return undefined;
}

/**
 * Parses every attribute named `name` with `parse`. A parse error is reported with the line number of
 * the offending attribute. A property attribute (no value) is parsed as the empty string.
 */
export function readAttributes<T>(lines: readonly SdpLine[], name: string, parse: (value: string) => T): T[] {
  const out: T[] = [];
  for (const a of findAttributes(lines, name)) {
    try {
      out.push(parse(a.value ?? ''));
    } catch (e) {
      if (e instanceof SdpParseError) {
        throw new SdpParseError(`a=${name}: ${e.reason}`, a.line.lineNumber ?? 0);
      }
      throw e;
    }
  }
  return out;
}
