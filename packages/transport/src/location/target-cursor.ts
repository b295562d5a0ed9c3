/**
 * Walking the located targets on failure (RFC 3263 §4.3).
 * @module
 */
import type { LocateTarget } from './locate.js';

/** Why the current target is abandoned. */
export type FailoverReason = 'timeout' | 'transport-error' | 'service-unavailable';

/**
 * A cursor over the targets returned by {@link locate}. RFC 3263 §4.3: "If a failure occurs based on
 * a transport error or a timeout, or a 503 response is received, the client SHOULD try the next
 * element"; any other response ends the search (it was the server that answered).
 */
export class TargetCursor {
  readonly #targets: readonly LocateTarget[];
  #index = 0;
  /** The failures so far, in order, with the target each concerned. */
  readonly failures: { readonly target: LocateTarget; readonly reason: FailoverReason }[] = [];

  /** Creates a cursor at the first target. */
  constructor(targets: readonly LocateTarget[]) {
    this.#targets = targets;
  }

  /** The target to use now, or `undefined` when every target has failed. */
  get current(): LocateTarget | undefined {
    return this.#targets[this.#index];
  }

  /** True when every target has failed. */
  get exhausted(): boolean {
    return this.#index >= this.#targets.length;
  }

  /** How many targets are left, the current one included. */
  get remaining(): number {
    return Math.max(0, this.#targets.length - this.#index);
  }

  /** Records a failure of the current target and moves to the next; returns it (or `undefined`). */
  fail(reason: FailoverReason): LocateTarget | undefined {
    const t = this.current;
    if (t === undefined) return undefined;
    this.failures.push({ target: t, reason });
    this.#index++;
    return this.current;
  }

  /**
   * Feeds a final response status for a request sent to the current target: 503 fails over
   * (RFC 3263 §4.3); any other status means the target was reached. Returns the next target to
   * retry on, or `undefined` when there is nothing to retry.
   */
  onResponse(status: number): LocateTarget | undefined {
    return status === 503 ? this.fail('service-unavailable') : undefined;
  }
}
