/**
 * Virtual time for tests: advances straight to the next deadline of any participant (the simulated
 * network, a protocol core's timers), so "32 s of SIP timers" runs in milliseconds.
 * @module
 */
import { SimulationError } from '../errors.js';
import { TimeHeap } from './min-heap.js';

/** Something with deadlines: the shape of a sans-IO core (and of {@link SimNetwork}). */
export interface SimParticipant {
  /** The earliest time at which this participant has work, or `undefined` when idle. */
  nextDeadline(): number | undefined;
  /** Called at (or after) its deadline with the current virtual time. */
  handleTimeout(now: number): unknown;
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: (now: number) => void;
}

/** Options of {@link VirtualClock.runUntilIdle}. */
export interface RunOptions {
  /** Stop (without error) once virtual time would pass `start + limitMs`. */
  readonly limitMs?: number;
  /** Throw {@link SimulationError} after this many steps (default 100 000): a run that never idles. */
  readonly maxSteps?: number;
}

/**
 * A virtual clock driving participants and one-shot timers. Time only moves forward; a participant
 * whose deadline is already past is run at the current time.
 */
export class VirtualClock {
  #now: number;
  readonly #participants: SimParticipant[] = [];
  readonly #timers = new TimeHeap<Timer>();
  #seq = 0;

  /** Creates a clock at `start` ms (default 0). */
  constructor(start = 0) {
    this.#now = start;
  }

  /** The current virtual time in ms. */
  get now(): number {
    return this.#now;
  }

  /** Adds a participant whose deadlines the clock honours. */
  add(participant: SimParticipant): void {
    this.#participants.push(participant);
  }

  /** Runs `fn(now)` once at virtual time `at` (or now, if `at` is past). */
  at(at: number, fn: (now: number) => void): void {
    this.#timers.push({ at, seq: this.#seq++, fn });
  }

  /** Runs `fn(now)` once, `ms` after the current time. */
  after(ms: number, fn: (now: number) => void): void {
    this.at(this.#now + ms, fn);
  }

  /** The earliest deadline of any participant or timer, or `undefined` when all are idle. */
  nextDeadline(): number | undefined {
    let next = this.#timers.peek()?.at;
    for (const p of this.#participants) {
      const d = p.nextDeadline();
      if (d !== undefined && (next === undefined || d < next)) next = d;
    }
    return next;
  }

  /**
   * Moves time to the next deadline (if it is not past `until`) and runs everything due then.
   * Returns false when nothing was due.
   */
  step(until = Number.POSITIVE_INFINITY): boolean {
    const next = this.nextDeadline();
    if (next === undefined || next > until) return false;
    if (next > this.#now) this.#now = next;
    const now = this.#now;
    for (let t = this.#timers.peek(); t !== undefined && t.at <= now; t = this.#timers.peek()) {
      this.#timers.pop();
      t.fn(now);
    }
    for (const p of this.#participants) {
      const d = p.nextDeadline();
      if (d !== undefined && d <= now) p.handleTimeout(now);
    }
    return true;
  }

  /** Runs every event in the next `ms` of virtual time, then sets the clock to now + ms. Returns the steps run. */
  advance(ms: number, maxSteps = 100_000): number {
    const until = this.#now + ms;
    let steps = 0;
    while (this.step(until)) {
      if (++steps > maxSteps) throw new SimulationError(`no idle after ${maxSteps} steps`);
    }
    this.#now = until;
    return steps;
  }

  /** Runs until no participant or timer has a deadline (or `limitMs` of virtual time). Returns the steps run. */
  runUntilIdle(options: RunOptions = {}): number {
    const until = options.limitMs === undefined ? Number.POSITIVE_INFINITY : this.#now + options.limitMs;
    const maxSteps = options.maxSteps ?? 100_000;
    let steps = 0;
    while (this.step(until)) {
      if (++steps > maxSteps) throw new SimulationError(`no idle after ${maxSteps} steps`);
    }
    return steps;
  }
}
