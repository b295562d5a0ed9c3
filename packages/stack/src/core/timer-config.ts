/** The RFC 3261 timer values (§17.1.1.1, Table 4) a stack core runs with. */

/** T1, T2, T4 in milliseconds. */
export interface TimerConfig {
  /** RTT estimate (RFC 3261 §17.1.1.1, default 500 ms). */
  readonly t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses (default 4000 ms). */
  readonly t2: number;
  /** Maximum duration a message remains in the network (default 5000 ms). */
  readonly t4: number;
  /** Delay before an INVITE server transaction sends 100 Trying itself (RFC 3261 §17.2.1, 200 ms). */
  readonly trying: number;
}

/** RFC 3261 defaults: T1 500 ms, T2 4 s, T4 5 s; 100 Trying after 200 ms. */
export const DEFAULT_TIMERS: TimerConfig = Object.freeze({ t1: 500, t2: 4000, t4: 5000, trying: 200 });

/** The names of the transaction timers (RFC 3261 Table 4, RFC 6026 L and M). */
export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'Trying';
