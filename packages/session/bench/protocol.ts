/**
 * The IPC messages between the media benchmark (bench/media.ts) and its far side (bench/media-far.ts).
 * @module
 */

/** Parent → child. */
export type BenchCommand =
  | { cmd: 'relay' }
  /**
   * The calls' topology without tsvoip: one bare socket per parent's socket, `count` datagrams
   * every 20 ms spread over them (a call's 50 datagrams/s each).
   */
  | { cmd: 'relay-n'; remotePorts: number[]; count: number }
  | {
      cmd: 'open';
      count: number;
      remotePorts: number[];
      /** The near streams' SSRCs (what their SDP would announce with a=ssrc). */
      remoteSsrcs: (number | undefined)[];
      clock: 'shared' | 'per-stream';
      /** The drivers' `sharedPorts` (0: a socket per call). */
      sharedPorts: number;
    }
  | { cmd: 'sample' }
  | { cmd: 'mark' }
  | { cmd: 'quality' }
  | { cmd: 'close' }
  | { cmd: 'exit' };

/** Child → parent. */
export type BenchReply =
  | { reply: 'relay'; port: number }
  | { reply: 'relay-n'; ports: number[] }
  | { reply: 'open'; ports: number[]; ssrcs: (number | undefined)[] }
  | { reply: 'sample'; cpuUs: number; packets: number; wallMs: number }
  | { reply: 'mark' }
  | { reply: 'quality'; quality: CallQuality }
  | { reply: 'close' };

/** The worst call of a side. */
export interface CallQuality {
  /** Largest fraction lost of any call, 0..1. */
  worstLoss: number;
  /** Largest jitter-buffer underruns / frames of any call. */
  worstUnderrunRatio: number;
  /** Largest interarrival jitter of any call, ms. */
  worstJitterMs: number;
  /** Calls that received nothing. */
  silentCalls: number;
}

/** Port ranges of the two sides (one port per stream with rtcp-mux). */
export const NEAR_PORTS = { min: 30000, max: 39999 };
export const FAR_PORTS = { min: 40000, max: 49999 };
