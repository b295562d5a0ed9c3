/**
 * Parameter lists of URIs and header elements. A flat array of name/value pairs behind a small
 * read-only Map-like interface: much cheaper to build than a Map for the 1-4 parameters a header
 * usually carries, and iterable in written order.
 */

/** Read-only parameters: lower-cased names, raw values (`null` for a name without a value). */
export interface Params extends Iterable<[string, string | null]> {
  /** Number of parameters. */
  readonly size: number;
  /** Value of a parameter (`null` when written without a value), or undefined when absent. */
  get(name: string): string | null | undefined;
  /** True when the parameter is present. */
  has(name: string): boolean;
}

/** A {@link Params} built by the parsers (names must already be lower-case). */
export class ParamList implements Params {
  /** @internal name0, value0, name1, value1, ... */
  readonly kv: Array<string | null>;

  /** Wraps a flat name/value array (not copied). */
  constructor(kv: Array<string | null>) {
    this.kv = kv;
  }

  /** Builds a list from pairs, lower-casing the names. */
  static from(pairs: Iterable<readonly [string, string | null]>): ParamList {
    const kv: Array<string | null> = [];
    for (const [k, v] of pairs) kv.push(k.toLowerCase(), v);
    return new ParamList(kv);
  }

  /** Number of parameters. */
  get size(): number {
    return this.kv.length >> 1;
  }

  /** Value of a parameter (first occurrence), `null` for a flag, undefined when absent. */
  get(name: string): string | null | undefined {
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) if (kv[i] === name) return kv[i + 1];
    return undefined;
  }

  /** True when the parameter is present. */
  has(name: string): boolean {
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) if (kv[i] === name) return true;
    return false;
  }

  /** Pairs in written order. */
  *[Symbol.iterator](): Iterator<[string, string | null]> {
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) yield [kv[i] as string, kv[i + 1]];
  }

  /** Plain object view (for logging and tests). */
  toJSON(): Record<string, string | null> {
    const out: Record<string, string | null> = {};
    for (let i = 0; i < this.kv.length; i += 2) out[this.kv[i] as string] = this.kv[i + 1];
    return out;
  }
}

/** The empty parameter list, shared. */
export const NO_PARAMS: Params = new ParamList([]);
