/**
 * tsvoip's own per-packet media work without sockets: N calls, two `MediaSession`s each, driven in
 * one process the way `NodeMediaDriver` drives them. Each 20 ms step: every near session sends a
 * frame and runs its timers (playout), its datagrams are copied into a shared "network" slab (as a
 * kernel socket buffer would hold them), then delivered to the far sessions one by one; then the
 * same the other way. Audio outputs are polled and dropped (a driver without listeners).
 *
 * `node --conditions=source --import tsx bench/media-core.ts [calls,...] [seconds]`
 * prints CPU µs per received packet (send + receive + playout of one packet, both sides' share).
 * @module
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { MediaSession, type MediaSessionConfig } from '../src/index.js';

const WARMUP_STEPS = 250;

/** What the bench needs of a session class (so that two builds can be compared in one run). */
export type SessionClass = new (
  config: MediaSessionConfig,
  options: { jitterBuffer: { minDelayMs: number } },
  nowMs: number,
) => Pick<
  MediaSession,
  'sendAudio' | 'nextTimeoutMs' | 'handleTimeout' | 'pollOutput' | 'handleDatagram' | 'statistics'
>;

interface Side {
  sessions: InstanceType<SessionClass>[];
  /** Where each session's datagrams come from, as the peer sees it. */
  sources: { address: string; port: number }[];
}

function side(Session: SessionClass, n: number, basePort: number, peerBasePort: number): Side {
  const sessions: InstanceType<SessionClass>[] = [];
  const sources: { address: string; port: number }[] = [];
  for (let i = 0; i < n; i++) {
    const config: MediaSessionConfig = {
      remoteAddress: '127.0.0.1',
      remotePort: peerBasePort + 2 * i,
      rtcpMux: true,
      codecs: [{ payloadType: 0, name: 'PCMU', clockRate: 8000 }],
      telephoneEvent: { payloadType: 101, clockRate: 8000 },
      direction: 'sendrecv',
    };
    sessions.push(new Session(config, { jitterBuffer: { minDelayMs: 40 } }, 0));
    sources.push({ address: '127.0.0.1', port: basePort + 2 * i });
  }
  return { sessions, sources };
}

/** Datagrams in flight: one slab, like a socket's receive buffer, rewritten each step. */
class Network {
  private readonly slab: Uint8Array;
  private offset = 0;
  readonly bytes: Uint8Array[] = [];
  readonly to: number[] = [];
  readonly channels: ('rtp' | 'rtcp')[] = [];

  constructor(calls: number) {
    this.slab = new Uint8Array(Math.max(1, calls) * 2 * 1500);
  }

  put(call: number, bytes: Uint8Array, channel: 'rtp' | 'rtcp'): void {
    if (this.offset + bytes.length > this.slab.length) this.offset = 0;
    const copy = this.slab.subarray(this.offset, this.offset + bytes.length);
    copy.set(bytes);
    this.offset += (bytes.length + 63) & ~63;
    this.bytes.push(copy);
    this.to.push(call);
    this.channels.push(channel);
  }

  clear(): void {
    this.bytes.length = 0;
    this.to.length = 0;
    this.channels.length = 0;
    this.offset = 0;
  }
}

const silence = new Int16Array(160);

function drain(s: InstanceType<SessionClass>, call: number, net: Network): void {
  for (let o = s.pollOutput(); o; o = s.pollOutput()) {
    if (o.type === 'transmit') net.put(call, o.bytes, o.channel);
  }
}

/** One direction of one step: `from` ticks and sends, `to` receives. Returns packets received. */
function half(from: Side, to: Side, net: Network, now: number): number {
  const n = from.sessions.length;
  for (let i = 0; i < n; i++) {
    const s = from.sessions[i];
    s.sendAudio(silence, now);
    const t = s.nextTimeoutMs();
    if (t !== undefined && t <= now) s.handleTimeout(now);
    drain(s, i, net);
  }
  const count = net.bytes.length;
  for (let k = 0; k < count; k++) {
    const call = net.to[k];
    const s = to.sessions[call];
    s.handleDatagram(net.bytes[k], from.sources[call], net.channels[k], now);
    drain(s, call, net);
  }
  // Anything the receivers sent in return (nothing in steady state) is dropped with the step.
  net.clear();
  return count;
}

/** The sessions of N calls and their network, stepped 20 ms at a time. */
export class CoreCalls {
  private readonly a: Side;
  private readonly b: Side;
  private readonly net: Network;
  private now = 0;

  constructor(Session: SessionClass, calls: number) {
    this.a = side(Session, calls, 20000, 30000);
    this.b = side(Session, calls, 30000, 20000);
    this.net = new Network(calls);
  }

  /** One 20 ms step both ways; returns the datagrams received. */
  step(): number {
    const p = half(this.a, this.b, this.net, this.now) + half(this.b, this.a, this.net, this.now + 1);
    this.now += 20;
    return p;
  }

  /** Steps for `ms` of wall time; CPU µs per received datagram. */
  measure(ms: number): { packets: number; cpuUs: number } {
    let packets = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    while (performance.now() - t0 < ms) packets += this.step();
    const c = process.cpuUsage(c0);
    return { packets, cpuUs: c.user + c.system };
  }

  /** A line on the first far session's reception, to check the calls are healthy. */
  check(): string {
    const st = this.b.sessions[0].statistics();
    return `received ${st.packetsReceived}, lost ${st.packetsLost}, underruns ${st.jitterBuffer.underruns}`;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const calls = (process.argv[2] ?? '1,400').split(',').map(Number);
  const seconds = Number(process.argv[3] ?? 3);
  for (const n of calls) {
    const bench = new CoreCalls(MediaSession, n);
    for (let k = 0; k < WARMUP_STEPS; k++) bench.step();
    const { packets, cpuUs } = bench.measure(seconds * 1000);
    console.log(
      `calls=${n} packets=${packets} cpu µs/packet=${(cpuUs / packets).toFixed(2)} (${bench.check()})`,
    );
  }
}
