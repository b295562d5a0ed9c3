/**
 * The running session timer of one INVITE session (RFC 4028 §10): the refresher refreshes at
 * half the interval; the other side sends BYE when no refresh came by expiry - min(32 s, SE/3).
 */
import type { TimerHandle, UsageHost } from '../ua/host.js';
import { sessionTimerDelays } from './session-timer.js';

/** The interval in force and whether we are the refresher. */
export interface SessionTimerState {
  /** Session-Expires, seconds. */
  readonly interval: number;
  /** True when we refresh; false when we only watch for expiry. */
  readonly weRefresh: boolean;
}

/** One session timer; restart it after every successful session refresh (RFC 4028 §10). */
export class SessionRefresher {
  #state: SessionTimerState | undefined = undefined;
  #timer: TimerHandle | undefined = undefined;
  readonly #host: UsageHost;
  readonly #refresh: () => void;
  readonly #expire: () => void;

  /** `refresh` sends a refresh (re-INVITE or UPDATE); `expire` ends the session with BYE. */
  constructor(host: UsageHost, refresh: () => void, expire: () => void) {
    this.#host = host;
    this.#refresh = refresh;
    this.#expire = expire;
  }

  /** The timer in force, undefined when none. */
  get state(): SessionTimerState | undefined {
    return this.#state;
  }

  /** (Re)starts the timer. */
  start(interval: number, weRefresh: boolean): void {
    this.#host.cancelTimer(this.#timer);
    this.#state = { interval, weRefresh };
    const d = sessionTimerDelays(interval);
    const now = this.#host.now;
    this.#timer = weRefresh
      ? this.#host.schedule(now + d.refreshAfter, () => this.#fire(this.#refresh))
      : this.#host.schedule(now + d.expireAfter, () => this.#fire(this.#expire));
  }

  /** The refresh could not be sent now (a transaction in progress): try again after `delay` ms. */
  retryRefresh(delay: number): void {
    this.#host.cancelTimer(this.#timer);
    this.#timer = this.#host.schedule(this.#host.now + delay, () => this.#fire(this.#refresh));
  }

  #fire(action: () => void): void {
    this.#timer = undefined;
    action();
  }

  /** Stops the timer. */
  stop(): void {
    this.#host.cancelTimer(this.#timer);
    this.#timer = undefined;
  }
}
