/**
 * Parameter lists of URIs and header elements. A flat array of name/value pairs behind a small
 * read-only Map-like interface: much cheaper to build than a Map for the 1-4 parameters a header
 * usually carries, and iterable in written order.
 */
import { octetsEqualLower } from './bytes.js';

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

/** @internal Fills `out` with the name/value pairs of the already-checked range `s[start, end)`. */
export type ParamsParser = (
  b: Uint8Array,
  s: string,
  start: number,
  end: number,
  out: Array<string | null>,
) => void;

/**
 * @internal A {@link Params} over a range of source text that a scanner has already checked:
 * the name/value pairs are only built (by `parse`) when a parameter is first read, so parsing a
 * header whose parameters are never looked at allocates nothing for them.
 */
export class LazyParams implements Params {
  private _kv: Array<string | null> | null = null;
  private readonly _b: Uint8Array;
  private readonly _s: string;
  private readonly _start: number;
  private readonly _end: number;
  private readonly _parse: ParamsParser;
  /** Number of parameters (counted by the checking scan). */
  readonly size: number;

  /** Wraps the checked range `s[start, end)` holding `size` parameters. */
  constructor(b: Uint8Array, s: string, start: number, end: number, size: number, parse: ParamsParser) {
    this._b = b;
    this._s = s;
    this._start = start;
    this._end = end;
    this.size = size;
    this._parse = parse;
  }

  /** The name/value pairs, built on first use. */
  private kv(): Array<string | null> {
    let kv = this._kv;
    if (kv === null) {
      kv = [];
      this._parse(this._b, this._s, this._start, this._end, kv);
      this._kv = kv;
    }
    return kv;
  }

  /**
   * False when no parameter of the range can be `name` (lower-case): a scan of the raw octets that
   * builds nothing, so asking for an absent parameter (a Via's `maddr`, a URI's `lr`) stays cheap.
   * True may be wrong (a prefix, a `;` inside a quoted value): the pairs then decide.
   */
  private mayHave(name: string): boolean {
    const b = this._b;
    const end = this._end;
    const n = name.length;
    for (let i = this._start; i < end; i++) {
      if (b[i] !== 59) continue;
      let j = i + 1;
      while (j < end && (b[j] === 32 || b[j] === 9 || b[j] === 13 || b[j] === 10)) j++;
      if (j + n <= end && octetsEqualLower(b, j, name)) return true;
    }
    return false;
  }

  /** Value of a parameter (first occurrence), `null` for a flag, undefined when absent. */
  get(name: string): string | null | undefined {
    if (this._kv === null && !this.mayHave(name)) return undefined;
    const kv = this.kv();
    for (let i = 0; i < kv.length; i += 2) if (kv[i] === name) return kv[i + 1];
    return undefined;
  }

  /** True when the parameter is present. */
  has(name: string): boolean {
    if (this._kv === null && !this.mayHave(name)) return false;
    const kv = this.kv();
    for (let i = 0; i < kv.length; i += 2) if (kv[i] === name) return true;
    return false;
  }

  /** Pairs in written order. */
  *[Symbol.iterator](): Iterator<[string, string | null]> {
    const kv = this.kv();
    for (let i = 0; i < kv.length; i += 2) yield [kv[i] as string, kv[i + 1]];
  }

  /** Plain object view (for logging and tests). */
  toJSON(): Record<string, string | null> {
    const kv = this.kv();
    const out: Record<string, string | null> = {};
    for (let i = 0; i < kv.length; i += 2) out[kv[i] as string] = kv[i + 1];
    return out;
  }
}
