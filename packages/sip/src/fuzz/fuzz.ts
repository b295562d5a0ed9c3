/**
 * The parser fuzzer: mutated seed messages through `parseMessage`, every typed view and
 * `serializeMessage`. A failure is an exception that is not a {@link SipParseError}, or a single
 * parse that is both slower than the budget (1 ms by default) and many times slower than a plain,
 * valid message of the same size parsed right after it (a sign of superlinear work on hostile input).
 * The reference parse makes the check hold on a loaded or slow machine: a stalled machine slows both.
 */
import { parseMessage, SipParseError, serializeMessage } from '../index.js';
import { createRng, mutate } from './mutators.js';

/** Typed views the fuzzer reads on every message that parses (lazily parsed values must hold too). */
const VIEWS = [
  'isRequest',
  'method',
  'requestUri',
  'status',
  'reason',
  'via',
  'from',
  'to',
  'callId',
  'cseq',
  'contact',
  'route',
  'recordRoute',
  'maxForwards',
  'contentLength',
  'contentType',
  'expires',
  'supported',
  'require',
  'allow',
  'body',
] as const;

/** What one fuzz run did. */
export interface FuzzReport {
  iterations: number;
  parsed: number;
  rejected: number;
  slowestMs: number;
  failures: FuzzFailure[];
}

/** A failing input, with what went wrong, as base64 so it can be replayed. */
export interface FuzzFailure {
  kind: 'exception' | 'slow';
  detail: string;
  inputBase64: string;
}

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  seeds: readonly Uint8Array[];
  iterations: number;
  /** Stop after this many seconds even if iterations remain. */
  seconds?: number;
  seed?: number;
  /** Per-parse time budget in ms. Default 1. */
  budgetMs?: number;
  /** Stop at the first N failures. Default 10. */
  maxFailures?: number;
  /** Monotonic clock in ms (injected; the CLI passes performance.now). */
  now: () => number;
  /** Runs a full garbage collection (the CLI passes `gc` under --expose-gc) before a slow input is re-timed. */
  collect?: () => void;
  /** A slow input fails only if it also takes this many times a same-size plain message. Default 20. */
  ratio?: number;
}

/** Runs the fuzzer and returns what it found. */
export function runFuzz(options: FuzzOptions): FuzzReport {
  const { seeds, iterations, now } = options;
  const rng = createRng(options.seed ?? 1);
  const budget = options.budgetMs ?? 1;
  const maxFailures = options.maxFailures ?? 10;
  const ratio = options.ratio ?? 20;
  const deadline = options.seconds === undefined ? Number.POSITIVE_INFINITY : now() + options.seconds * 1000;
  const report: FuzzReport = { iterations: 0, parsed: 0, rejected: 0, slowestMs: 0, failures: [] };
  for (let i = 0; i < iterations && report.failures.length < maxFailures; i++) {
    if ((i & 255) === 0 && now() > deadline) break;
    const input = mutate(seeds[rng.int(seeds.length)], rng, seeds[rng.int(seeds.length)]);
    report.iterations++;
    const failure = fuzzOne(input, { budget, ratio, now, collect: options.collect }, report);
    if (failure) report.failures.push(failure);
  }
  return report;
}

interface Timing {
  budget: number;
  ratio: number;
  now: () => number;
  collect: (() => void) | undefined;
}

function fuzzOne(input: Uint8Array, timing: Timing, report: FuzzReport): FuzzFailure | undefined {
  const { budget, now, collect } = timing;
  const b64 = () => Buffer.from(input).toString('base64');
  let elapsed = 0;
  try {
    const t0 = now();
    let msg: ReturnType<typeof parseMessage> | undefined;
    try {
      msg = parseMessage(input);
    } finally {
      elapsed = now() - t0;
    }
    report.parsed++;
    const views = msg as unknown as Record<string, unknown>;
    for (const v of VIEWS) {
      try {
        void views[v];
      } catch (e) {
        if (!(e instanceof SipParseError)) throw e;
      }
    }
    serializeMessage(msg);
  } catch (e) {
    if (!(e instanceof SipParseError)) {
      return {
        kind: 'exception',
        detail: e instanceof Error ? (e.stack ?? e.message) : String(e),
        inputBase64: b64(),
      };
    }
    report.rejected++;
  }
  if (elapsed > budget) {
    // A GC pause or a descheduled thread can make one parse slow: collect, then time the input and a
    // plain message of its size in turns, keeping the best of each, until the input looks linear.
    const reference = referenceMessage(input.length);
    let best = elapsed;
    let referenceMs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 20 && isSlow(best, referenceMs, budget, timing.ratio); i++) {
      collect?.();
      best = Math.min(best, timeParse(input, now));
      referenceMs = Math.min(referenceMs, timeParse(reference, now));
    }
    if (isSlow(best, referenceMs, budget, timing.ratio))
      return {
        kind: 'slow',
        detail: `parse took ${best.toFixed(3)} ms, a plain ${input.length}-octet message ${referenceMs.toFixed(3)} ms`,
        inputBase64: b64(),
      };
  }
  report.slowestMs = Math.max(report.slowestMs, elapsed);
  return undefined;
}

function timeParse(input: Uint8Array, now: () => number): number {
  const t0 = now();
  try {
    parseMessage(input);
  } catch {
    // only the time matters here
  }
  return now() - t0;
}

/**
 * Whether a parse that took `ms` is a failure: over the absolute budget and over `ratio` times the
 * time of a plain message of the same size measured under the same machine conditions.
 */
export function isSlow(ms: number, referenceMs: number, budget: number, ratio: number): boolean {
  return ms > budget && ms > referenceMs * ratio;
}

/**
 * A valid OPTIONS request of about `size` octets (at least its fixed headers), padded with up to
 * 200 Via and Contact headers whose parameters fill the size: headers the parser validates, so the
 * baseline a hostile input is held to does the same kind of work per octet.
 */
export function referenceMessage(size: number): Uint8Array {
  const head =
    'OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKref\r\n' +
    'Max-Forwards: 70\r\nTo: <sip:bob@example.com>\r\nFrom: "Alice" <sip:alice@example.com>;tag=1\r\n' +
    'Call-ID: ref@192.0.2.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n';
  const parts = [head];
  let length = head.length + 2;
  const each = Math.max(1, Math.ceil((size - length) / 200));
  for (let i = 0; length < size && i < 200; i++) {
    const line =
      i % 2 === 0
        ? `Via: SIP/2.0/TCP 198.51.100.${i % 250}:5060;branch=z9hG4bK${i};x=`
        : `Contact: "Pad ${i}" <sip:pad${i}@example.com;transport=tcp>;q=0.5;x=`;
    const value = 'a'.repeat(Math.max(1, Math.min(each, size - length - line.length - 2)));
    parts.push(`${line}${value}\r\n`);
    length += line.length + value.length + 2;
  }
  parts.push('\r\n');
  return new TextEncoder().encode(parts.join(''));
}
