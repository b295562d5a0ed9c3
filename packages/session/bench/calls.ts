/**
 * Helpers shared by both sides of the media benchmark: open N G.711 streams, sample CPU and
 * packet counters, judge call quality.
 * @module
 */
import type { Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { MediaSessionConfig, NodeMediaDriver, NodeMediaStream } from '../src/index.js';
import type { CallQuality } from './protocol.js';

/**
 * The config of a PCMU call with rtcp-mux towards a port on 127.0.0.1, with the remote's SSRC as
 * its SDP would announce it (RFC 5576 `a=ssrc`; needed when the peer's calls share ports).
 */
export function pcmuTo(port: number, remoteSsrc: number | undefined): MediaSessionConfig {
  return {
    remoteAddress: '127.0.0.1',
    remotePort: port,
    remoteSsrc,
    rtcpMux: true,
    codecs: [{ payloadType: 0, name: 'PCMU', clockRate: 8000 }],
    telephoneEvent: { payloadType: 101, clockRate: 8000 },
    direction: 'sendrecv',
  };
}

/** Opens `count` streams (not started). */
export async function openStreams(driver: NodeMediaDriver, count: number): Promise<NodeMediaStream[]> {
  const streams: NodeMediaStream[] = [];
  for (let i = 0; i < count; i++)
    streams.push(await driver.open({ rtcpMux: true, jitterBuffer: { minDelayMs: 40 } }));
  return streams;
}

/** RTP packets received by all streams. */
export function packetsReceived(streams: readonly NodeMediaStream[]): number {
  let n = 0;
  for (const s of streams) if (s.session !== undefined) n += s.statistics().packetsReceived;
  return n;
}

/** Per-call counters at an instant, to judge quality over a window. */
export interface CallCounters {
  received: number[];
  lost: number[];
  frames: number[];
  underruns: number[];
}

/** Takes the counters of every call. */
export function snapshot(streams: readonly NodeMediaStream[]): CallCounters {
  const c: CallCounters = { received: [], lost: [], frames: [], underruns: [] };
  for (const s of streams) {
    const st = s.statistics();
    c.received.push(st.packetsReceived);
    c.lost.push(st.packetsLost);
    c.frames.push(st.jitterBuffer.frames);
    c.underruns.push(st.jitterBuffer.underruns);
  }
  return c;
}

/** The worst call between a snapshot and now (loss and underruns over that window only). */
export function quality(streams: readonly NodeMediaStream[], before: CallCounters): CallQuality {
  const after = snapshot(streams);
  const q: CallQuality = { worstLoss: 0, worstUnderrunRatio: 0, worstJitterMs: 0, silentCalls: 0 };
  for (let i = 0; i < streams.length; i++) {
    const received = after.received[i] - (before.received[i] ?? 0);
    const lost = after.lost[i] - (before.lost[i] ?? 0);
    const frames = after.frames[i] - (before.frames[i] ?? 0);
    const underruns = after.underruns[i] - (before.underruns[i] ?? 0);
    if (received === 0) q.silentCalls++;
    q.worstLoss = Math.max(q.worstLoss, lost / Math.max(1, lost + received));
    q.worstUnderrunRatio = Math.max(q.worstUnderrunRatio, underruns / Math.max(1, frames));
    q.worstJitterMs = Math.max(q.worstJitterMs, streams[i].statistics().jitterMs);
  }
  return q;
}

/** Process CPU time so far, µs (user + system). */
export function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/**
 * `count` datagrams every 20 ms from one drift-free timer (the best a driver can do): datagram i
 * leaves socket i mod S for remote port i mod S (one datagram per socket with a socket per call).
 */
export function pace(sockets: readonly Socket[], remotePorts: readonly number[], count: number): () => void {
  const packet = Buffer.alloc(172, 0x55);
  let next = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = performance.now();
    while (next <= now) {
      for (let i = 0; i < count; i++)
        sockets[i % sockets.length].send(packet, remotePorts[i % remotePorts.length], '127.0.0.1');
      next += 20;
    }
    timer = setTimeout(tick, Math.max(0, next - performance.now()));
  };
  tick();
  return () => clearTimeout(timer);
}
