/**
 * The parser fuzzer: mutated seed messages through `parseMessage`, every typed view and
 * `serializeMessage`. A failure is an exception that is not a {@link SipParseError}, or a single
 * parse slower than the budget (1 ms by default: a sign of quadratic work on hostile input).
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
}

/** Runs the fuzzer and returns what it found. */
export function runFuzz(options: FuzzOptions): FuzzReport {
  const { seeds, iterations, now } = options;
  const rng = createRng(options.seed ?? 1);
  const budget = options.budgetMs ?? 1;
  const maxFailures = options.maxFailures ?? 10;
  const deadline = options.seconds === undefined ? Number.POSITIVE_INFINITY : now() + options.seconds * 1000;
  const report: FuzzReport = { iterations: 0, parsed: 0, rejected: 0, slowestMs: 0, failures: [] };
  for (let i = 0; i < iterations && report.failures.length < maxFailures; i++) {
    if ((i & 255) === 0 && now() > deadline) break;
    const input = mutate(seeds[rng.int(seeds.length)], rng, seeds[rng.int(seeds.length)]);
    report.iterations++;
    const failure = fuzzOne(input, budget, now, report, options.collect);
    if (failure) report.failures.push(failure);
  }
  return report;
}

function fuzzOne(
  input: Uint8Array,
  budget: number,
  now: () => number,
  report: FuzzReport,
  collect: (() => void) | undefined,
): FuzzFailure | undefined {
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
    // A GC pause or a descheduled thread can make one parse slow: collect, then time it again.
    let best = elapsed;
    for (let i = 0; i < 5 && best > budget; i++) {
      collect?.();
      best = Math.min(best, timeParse(input, now));
    }
    if (best > budget)
      return { kind: 'slow', detail: `parse took ${best.toFixed(3)} ms`, inputBase64: b64() };
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
