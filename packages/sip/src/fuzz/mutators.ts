/**
 * Input mutators for the parser fuzzer: each takes a seed message and a PRNG and returns a new
 * byte string shaped like the attacks a SIP element meets on the wire (bit flips, truncation,
 * duplicated headers, huge values, random bytes, CRLF damage, splices of two messages).
 */

/** A deterministic PRNG (xorshift32) so a failing case can be replayed from its seed. */
export interface Rng {
  /** An integer in [0, n). */
  int(n: number): number;
}

/** Creates a seeded xorshift32 {@link Rng}. */
export function createRng(seed: number): Rng {
  let s = seed >>> 0 || 0x9e3779b9;
  return {
    int(n: number): number {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      return s % n;
    },
  };
}

/** A mutation: seed bytes (and a second seed for splices) in, new bytes out. */
export type Mutator = (input: Uint8Array, rng: Rng, other: Uint8Array) => Uint8Array;

const CRLF = [13, 10];
const INTERESTING = [
  '\r\n',
  '\r\n\r\n',
  '\n',
  '\r',
  ':',
  ';',
  ',',
  '<',
  '>',
  '"',
  '\\',
  '%',
  '%00',
  '[',
  ']',
  '@',
  ' ',
  '\t',
  '=',
  '\0',
  '\xff',
  '4294967296',
  '-1',
  'SIP/2.0',
  'sip:',
  'Content-Length: 999999',
  'Content-Length: 0',
  'l: 5',
].map((s) => Uint8Array.from(Buffer.from(s, 'latin1')));

function concat(parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** Offsets just after each CRLF in the header section (start of each line). */
function lineStarts(input: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i + 1 < input.length; i++) {
    if (input[i] === 13 && input[i + 1] === 10) {
      if (input[i + 2] === 13 && input[i + 3] === 10) break;
      starts.push(i + 2);
    }
  }
  return starts;
}

/** Flips 1–8 random bits. */
export const flipBits: Mutator = (input, rng) => {
  const out = Uint8Array.from(input);
  if (out.length === 0) return out;
  const n = 1 + rng.int(8);
  for (let i = 0; i < n; i++) out[rng.int(out.length)] ^= 1 << rng.int(8);
  return out;
};

/** Cuts the message at a random point. */
export const truncate: Mutator = (input, rng) => input.subarray(0, rng.int(input.length + 1));

/** Duplicates a random header line 1–300 times (header-count limits, duplicate singletons). */
export const duplicateHeader: Mutator = (input, rng) => {
  const starts = lineStarts(input);
  if (starts.length < 2) return input;
  const k = 1 + rng.int(starts.length - 1);
  const end = k + 1 < starts.length ? starts[k + 1] : input.indexOf(13, starts[k]) + 2;
  if (end <= starts[k]) return input;
  const line = input.subarray(starts[k], end);
  const copies = 1 + rng.int(rng.int(2) === 0 ? 3 : 300);
  const parts = [input.subarray(0, end)];
  for (let i = 0; i < copies; i++) parts.push(line);
  parts.push(input.subarray(end));
  return concat(parts);
};

/** Inserts a huge run of one byte (or a repeated token) at a random point: size and line limits. */
export const hugeValue: Mutator = (input, rng) => {
  const at = rng.int(input.length + 1);
  const token = INTERESTING[rng.int(INTERESTING.length)];
  const reps = 1 + rng.int(rng.int(2) === 0 ? 100 : 20000);
  const big = new Uint8Array(token.length * reps);
  for (let i = 0; i < reps; i++) big.set(token, i * token.length);
  return concat([input.subarray(0, at), big, input.subarray(at)]);
};

/** Overwrites or inserts random bytes. */
export const randomBytes: Mutator = (input, rng) => {
  const n = 1 + rng.int(32);
  const junk = new Uint8Array(n);
  for (let i = 0; i < n; i++) junk[i] = rng.int(256);
  const at = rng.int(input.length + 1);
  const replace = rng.int(2) === 0 ? Math.min(n, input.length - at) : 0;
  return concat([input.subarray(0, at), junk, input.subarray(at + replace)]);
};

/** Inserts a structurally interesting token (separators, CRLF, quotes, escapes, numbers). */
export const insertToken: Mutator = (input, rng) => {
  const at = rng.int(input.length + 1);
  const token = INTERESTING[rng.int(INTERESTING.length)];
  return concat([input.subarray(0, at), token, input.subarray(at)]);
};

/** Damages line endings: CRLF → LF, CR, or a folded continuation. */
export const breakLines: Mutator = (input, rng) => {
  const starts = lineStarts(input);
  const k = starts[rng.int(starts.length)];
  if (k < 2) return input;
  const choice = rng.int(3);
  const repl = choice === 0 ? [10] : choice === 1 ? [13] : [...CRLF, 32];
  return concat([input.subarray(0, k - 2), Uint8Array.from(repl), input.subarray(k)]);
};

/** Joins the head of one message to the tail of another. */
export const splice: Mutator = (input, rng, other) =>
  concat([input.subarray(0, rng.int(input.length + 1)), other.subarray(rng.int(other.length + 1))]);

/** Every mutator, for uniform choice. */
export const MUTATORS: readonly Mutator[] = [
  flipBits,
  truncate,
  duplicateHeader,
  hugeValue,
  randomBytes,
  insertToken,
  breakLines,
  splice,
];

/** Applies 1–3 random mutations to a seed. */
export function mutate(input: Uint8Array, rng: Rng, other: Uint8Array): Uint8Array {
  let out = input;
  const rounds = 1 + rng.int(3);
  for (let i = 0; i < rounds; i++) out = MUTATORS[rng.int(MUTATORS.length)](out, rng, other);
  return out;
}
