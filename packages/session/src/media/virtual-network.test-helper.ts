/**
 * Test support: an in-memory datagram network on virtual time (loss, delay, jitter → reordering)
 * and a harness that runs two media sessions against each other.
 * @module
 */
import type { TransportAddress } from '@tsvoip/rtp';
import type { MediaSession } from './media-session.js';
import type { MediaChannel, MediaEvent } from './media-types.js';

/** A seeded PRNG (mulberry32) returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Impairments of the path from one endpoint. */
export interface PathImpairments {
  /** Probability a datagram is dropped. */
  loss?: number;
  /** Fixed one-way delay, ms. */
  delayMs?: number;
  /** Uniform extra delay in [0, jitterMs), ms (reorders packets when > packet spacing). */
  jitterMs?: number;
}

interface InFlight {
  at: number;
  order: number;
  to: string;
  from: TransportAddress;
  bytes: Uint8Array;
}

/** An endpoint of the virtual network: a session bound to an RTP (and RTCP) address. */
export interface Endpoint {
  session: MediaSession;
  /** RTP address (RTCP is port + 1 unless rtcp-mux). */
  address: string;
  port: number;
  rtcpMux: boolean;
  /** Send from this address instead (e.g. a NAT rebinding); default the bound one. */
  sourceOverride?: TransportAddress;
  /** Decoded audio received. */
  audio: Int16Array[];
  /** Concealment flag of each audio frame. */
  concealed: boolean[];
  /** Sample rate of the last audio frame. */
  sampleRate: number;
  /** Events received. */
  events: MediaEvent[];
  /** Datagrams sent, by channel. */
  sent: { rtp: number; rtcp: number };
}

/** Creates an endpoint record. */
export function endpoint(session: MediaSession, address: string, port: number, rtcpMux: boolean): Endpoint {
  return {
    session,
    address,
    port,
    rtcpMux,
    audio: [],
    concealed: [],
    sampleRate: 0,
    events: [],
    sent: { rtp: 0, rtcp: 0 },
  };
}

/** Datagrams in flight between endpoints on virtual time. */
export class VirtualNetwork {
  private readonly random: () => number;
  private readonly inFlight: InFlight[] = [];
  private order = 0;
  private readonly endpoints = new Map<string, { ep: Endpoint; channel: MediaChannel }>();
  private readonly impairments = new Map<Endpoint, PathImpairments>();

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  /** Attaches an endpoint with the impairments of the path leaving it. */
  attach(ep: Endpoint, impairments: PathImpairments = {}): void {
    this.endpoints.set(`${ep.address}:${ep.port}`, { ep, channel: 'rtp' });
    if (!ep.rtcpMux) this.endpoints.set(`${ep.address}:${ep.port + 1}`, { ep, channel: 'rtcp' });
    this.impairments.set(ep, impairments);
  }

  /** Routes datagrams for `address:port` to `ep` too (a NAT's public side). */
  alias(ep: Endpoint, address: string, port: number, channel: MediaChannel = 'rtp'): void {
    this.endpoints.set(`${address}:${port}`, { ep, channel });
  }

  /** Changes the impairments of the path leaving `ep`. */
  impair(ep: Endpoint, impairments: PathImpairments): void {
    this.impairments.set(ep, impairments);
  }

  /** Carries every output of `ep`'s session into the network (or into its audio/event lists). */
  drain(ep: Endpoint, now: number): void {
    const imp = this.impairments.get(ep) ?? {};
    for (let o = ep.session.pollOutput(); o; o = ep.session.pollOutput()) {
      if (o.type === 'audio') {
        ep.audio.push(o.samples.slice());
        ep.concealed.push(o.concealed);
        ep.sampleRate = o.sampleRate;
      } else if (o.type === 'event') ep.events.push(o.event);
      else {
        ep.sent[o.channel]++;
        if (this.random() < (imp.loss ?? 0)) continue;
        const delay = (imp.delayMs ?? 0) + this.random() * (imp.jitterMs ?? 0);
        const fromPort = o.channel === 'rtcp' && !ep.rtcpMux ? ep.port + 1 : ep.port;
        const from = ep.sourceOverride ?? { address: ep.address, port: fromPort };
        this.inFlight.push({
          at: now + delay,
          order: this.order++,
          to: `${o.address}:${o.port}`,
          from,
          bytes: o.bytes.slice(),
        });
      }
    }
  }

  /** Hands a datagram straight to `ep`'s session, bypassing the network. */
  deliverNow(ep: Endpoint, bytes: Uint8Array, from: TransportAddress, now: number): void {
    ep.session.handleDatagram(bytes.slice(), from, 'rtp', now);
  }

  /** Delivers the datagrams due by `now`, in arrival order. */
  deliver(now: number): void {
    this.inFlight.sort((a, b) => a.at - b.at || a.order - b.order);
    while (this.inFlight.length > 0 && this.inFlight[0].at <= now) {
      const d = this.inFlight.shift() as InFlight;
      const target = this.endpoints.get(d.to);
      if (target === undefined) continue;
      target.ep.session.handleDatagram(d.bytes, d.from, target.channel, now);
    }
  }
}

/** Runs two endpoints for `durationMs` of virtual time, feeding each 20 ms of audio per tick from `source`. */
export function runCall(
  net: VirtualNetwork,
  endpoints: readonly Endpoint[],
  startMs: number,
  durationMs: number,
  source: (ep: Endpoint, now: number) => { samples: Int16Array; sampleRate: number } | undefined,
  onTick?: (now: number) => void,
): number {
  const end = startMs + durationMs;
  for (let now = startMs; now < end; now++) {
    net.deliver(now);
    onTick?.(now);
    for (const ep of endpoints) {
      if (ep.session.isStopped) continue;
      if ((now - startMs) % 20 === 0) {
        const frame = source(ep, now);
        if (frame !== undefined) ep.session.sendAudio(frame.samples, now, frame.sampleRate);
      }
      const t = ep.session.nextTimeoutMs();
      if (t !== undefined && t <= now) ep.session.handleTimeout(now);
      net.drain(ep, now);
    }
  }
  return end;
}

/** A continuous sine source: 20 ms frames of `frequency` Hz at `sampleRate`, phase-continuous. */
export function sineSource(frequency: number, sampleRate: number, amplitude = 8000): () => Int16Array {
  let n = 0;
  const size = sampleRate / 50;
  return () => {
    const frame = new Int16Array(size);
    for (let i = 0; i < size; i++, n++)
      frame[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * n) / sampleRate));
    return frame;
  };
}

/** Goertzel power of `frequency` in `samples` (ITU-T Q.24 style single-bin DFT). */
export function goertzelPower(samples: Int16Array, frequency: number, sampleRate: number): number {
  const k = (2 * Math.PI * frequency) / sampleRate;
  const coeff = 2 * Math.cos(k);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s0 = samples[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** Concatenates frames. */
export function concat(frames: readonly Int16Array[]): Int16Array {
  const total = frames.reduce((n, f) => n + f.length, 0);
  const out = new Int16Array(total);
  let at = 0;
  for (const f of frames) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}

/**
 * Margin in dB of the tone at `frequency` over the strongest of the `others` bins, measured over
 * `samples` (Goertzel).
 */
export function toneMarginDb(
  samples: Int16Array,
  frequency: number,
  others: readonly number[],
  sampleRate: number,
): number {
  const target = goertzelPower(samples, frequency, sampleRate);
  let worst = 1e-9;
  for (const f of others) worst = Math.max(worst, goertzelPower(samples, f, sampleRate));
  return 10 * Math.log10(target / worst);
}
