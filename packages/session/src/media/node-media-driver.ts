/**
 * The Node media driver: UDP sockets from a port range and the clock that drives every stream's
 * 20 ms send/playout. The only part of the media stack with sockets and timers.
 * @module
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type InboundTarget, lookupNumeric, ReceiveBatch, SendBatch } from '@tsvoip/transport';
import { MediaStateError } from './errors.js';
import type { MediaChannel } from './media-types.js';
import { NodeMediaStream, type NodeMediaStreamOptions, type StreamHost } from './node-media-stream.js';
import { PortAllocator, type PortPair } from './port-allocator.js';
import { SharedPortDemux } from './shared-port-demux.js';

/** Options of {@link NodeMediaDriver}. */
export interface NodeMediaDriverOptions {
  /** Address to bind (and to put in SDP). Default `127.0.0.1`. */
  address?: string;
  /** Lowest port of the RTP range. Default 20000. */
  portMin?: number;
  /** Highest port of the range. Default 29999. */
  portMax?: number;
  /**
   * `shared`: one timer for the whole driver, firing at the earliest deadline of all streams
   * (default); `per-stream`: one timer per stream.
   */
  clock?: 'shared' | 'per-stream';
  /**
   * Period of the shared clock, ms (default 20, the usual ptime). Every stream's send instants
   * sit on this grid and its other deadlines (playout, RTCP, DTMF) are rounded up to it, so the
   * driver wakes once per period and sends every stream's packets in one batch, rather than
   * waking once per stream at scattered instants. Ignored with `clock: 'per-stream'`.
   */
  tickMs?: number;
  /**
   * Shared-port mode: the number of UDP port pairs that carry every stream's RTP and RTCP (default
   * 0: a port, or pair, per stream). Streams are spread over the pairs; their datagrams are routed
   * by SSRC and remote address (see {@link SharedPortDemux}), so a stream's SDP should announce its
   * {@link NodeMediaStream.ssrc} (RFC 5576 `a=ssrc`) and its config carry the remote's
   * (`remoteSsrc`) when several calls can come from one remote address. Far fewer sockets mean far
   * fewer poll wake-ups: each socket's datagrams are read in batches. For peers and networks that
   * expect a port per call (phones behind NATs that announce no SSRC), keep the default.
   */
  sharedPorts?: number;
}

/** One shared port pair: its sockets and the routing of what arrives on them. */
interface SharedSlot {
  ports: PortPair;
  rtp: Socket;
  rtcp: Socket;
  demux: SharedPortDemux<NodeMediaStream>;
  streams: number;
}

function bind(socket: Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    socket.once('error', onError);
    socket.bind(port, address, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

function isAddressInUse(e: unknown): boolean {
  return e instanceof Error && (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
}

/** Owns the sockets, ports and clock of many media streams. */
export class NodeMediaDriver implements StreamHost {
  /** Bound address. */
  readonly address: string;
  private readonly ports: PortAllocator;
  private readonly clock: 'shared' | 'per-stream';
  private readonly streams = new Set<NodeMediaStream>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly tickMs: number;
  private readonly epochMs: number;
  private readonly onTimer = (): void => this.batched(this.runDue);
  private readonly runDue = (): void => this.run();
  private readonly streamTimers = new Map<NodeMediaStream, NodeJS.Timeout>();
  private closed = false;
  private readonly sharedPorts: number;
  private slots: Promise<SharedSlot[]> | undefined;
  private boundSlots: SharedSlot[] = [];
  private readonly slotOf = new Map<NodeMediaStream, SharedSlot>();
  private readonly ssrcs = new Set<number>();
  /** Socket errors of shared ports (per-stream sockets count theirs on the stream). */
  sharedSocketErrors = 0;
  /** Clock ticks run (all streams), for measurements. */
  ticks = 0;
  /** What streams send while {@link batching} is above 0: sent when it returns to 0. */
  private readonly sendBatch = new SendBatch();
  private batching = 0;
  /** Datagrams read in the current poll phase, handed to their streams right after it. */
  private readonly inbox = new ReceiveBatch<MediaChannel>(
    (deliverAll) => this.batched(deliverAll),
    () => performance.now(),
  );

  constructor(options: NodeMediaDriverOptions = {}) {
    this.address = options.address ?? '127.0.0.1';
    this.ports = new PortAllocator(options.portMin ?? 20000, options.portMax ?? 29999);
    this.clock = options.clock ?? 'shared';
    this.tickMs = options.tickMs ?? 20;
    if (!(this.tickMs > 0)) throw new RangeError(`tickMs must be positive, got ${this.tickMs}`);
    this.epochMs = performance.now();
    this.sharedPorts = options.sharedPorts ?? 0;
    if (!Number.isInteger(this.sharedPorts) || this.sharedPorts < 0)
      throw new RangeError(`sharedPorts must be a whole number >= 0, got ${this.sharedPorts}`);
  }

  /** Datagrams on shared ports that no stream could be found for (dropped). */
  get unmatchedDatagrams(): number {
    let n = 0;
    for (const slot of this.boundSlots) n += slot.demux.unmatched;
    return n;
  }

  /** Streams open. */
  get size(): number {
    return this.streams.size;
  }

  /**
   * Allocates a port pair, binds its sockets and returns the stream (not started: put its ports in
   * SDP, negotiate, then `start(config)`). Busy ports are skipped.
   * @throws {PortRangeExhaustedError} when no pair of the range can be bound.
   */
  async open(options: NodeMediaStreamOptions = {}): Promise<NodeMediaStream> {
    if (this.closed) throw new MediaStateError('open', 'the driver is closed');
    if (this.sharedPorts > 0) return this.openShared(options);
    const rtcpMux = options.rtcpMux ?? false;
    const { pair, rtp, rtcp } = await this.bindFreePair(rtcpMux);
    const stream = new NodeMediaStream(this, this.address, pair, rtp, rtcp, options);
    this.streams.add(stream);
    return stream;
  }

  private async openShared(options: NodeMediaStreamOptions): Promise<NodeMediaStream> {
    this.slots ??= this.bindSlots();
    const slots = await this.slots;
    if (this.closed) throw new MediaStateError('open', 'the driver is closed');
    let slot = slots[0];
    for (const s of slots) if (s.streams < slot.streams) slot = s;
    // Our SSRCs are what a shared-port peer routes by: keep them distinct within the driver.
    let ssrc = options.ssrc;
    if (ssrc === undefined) {
      const random = options.random ?? Math.random;
      do ssrc = Math.floor(random() * 0x100000000) >>> 0;
      while (this.ssrcs.has(ssrc));
    }
    this.ssrcs.add(ssrc);
    const rtcpMux = options.rtcpMux ?? false;
    const ports = { rtp: slot.ports.rtp, rtcp: rtcpMux ? slot.ports.rtp : slot.ports.rtcp };
    const stream = new NodeMediaStream(
      this,
      this.address,
      ports,
      slot.rtp,
      rtcpMux ? slot.rtp : slot.rtcp,
      { ...options, ssrc },
      true,
    );
    slot.streams++;
    this.slotOf.set(stream, slot);
    slot.demux.set(stream, undefined, undefined, undefined);
    this.streams.add(stream);
    return stream;
  }

  private async bindSlots(): Promise<SharedSlot[]> {
    const slots: SharedSlot[] = [];
    try {
      for (let i = 0; i < this.sharedPorts; i++) slots.push(await this.bindSlot());
    } catch (e) {
      for (const s of slots) {
        s.rtp.close();
        s.rtcp.close();
        this.ports.release(s.ports.rtp);
      }
      this.slots = undefined;
      throw e;
    }
    this.boundSlots = slots;
    return slots;
  }

  private async bindSlot(): Promise<SharedSlot> {
    const { pair, rtp, rtcp } = await this.bindFreePair(false, 1 << 21);
    const slot: SharedSlot = { ports: pair, rtp, rtcp, demux: new SharedPortDemux(), streams: 0 };
    const onError = () => {
      this.sharedSocketErrors++;
    };
    const route: InboundTarget<MediaChannel> = (msg, from, channel, nowMs) =>
      slot.demux.route(msg, from.address, from.port, channel)?.deliver(msg, from, channel, nowMs);
    rtp.on('message', (msg, rinfo) => this.inbox.add(route, msg, rinfo, 'rtp'));
    rtcp.on('message', (msg, rinfo) => this.inbox.add(route, msg, rinfo, 'rtcp'));
    rtp.on('error', onError);
    rtcp.on('error', onError);
    return slot;
  }

  /** Allocates a port pair from the range and binds it, moving on past pairs another process holds. */
  private async bindFreePair(
    rtcpMux: boolean,
    bufferSize?: number,
  ): Promise<{ pair: PortPair; rtp: Socket; rtcp: Socket }> {
    for (let attempt = 0; ; attempt++) {
      const pair = this.ports.allocate(rtcpMux);
      try {
        const [rtp, rtcp] = await this.bindPair(pair, rtcpMux, bufferSize);
        return { pair, rtp, rtcp };
      } catch (e) {
        if (!isAddressInUse(e) || attempt >= this.ports.capacity) {
          this.ports.release(pair.rtp);
          throw e;
        }
        // Busy (another process): keep this pair reserved for now so the next attempt moves on.
        setImmediate(() => this.ports.release(pair.rtp));
      }
    }
  }

  /** @internal A datagram read on a stream's own socket: handed on with the others of its poll phase. */
  receive(
    target: InboundTarget<MediaChannel>,
    msg: Uint8Array,
    from: RemoteInfo,
    channel: MediaChannel,
  ): void {
    this.inbox.add(target, msg, from, channel);
  }

  /** @internal Sends a stream's datagram: at the end of the current batch if one is open, else now. */
  send(socket: Socket, bytes: Uint8Array, port: number, address: string): void {
    if (this.batching > 0) this.sendBatch.add(socket, bytes, port, address);
    else socket.send(bytes, port, address);
  }

  /** Runs `work` with sends batched; they leave, in order, when the outermost batch ends. */
  private batched(work: () => void): void {
    this.batching++;
    try {
      work();
    } finally {
      this.batching--;
      if (this.batching === 0) this.sendBatch.flush();
    }
  }

  /** @internal Re-keys a shared-port stream's routing after its remote changed. */
  remoteChanged(stream: NodeMediaStream): void {
    this.slotOf.get(stream)?.demux.set(stream, stream.remote, stream.remoteRtcp, stream.remoteSsrc);
  }

  private async bindPair(pair: PortPair, rtcpMux: boolean, bufferSize = 1 << 18): Promise<[Socket, Socket]> {
    const type = isIPv6(this.address) ? 'udp6' : 'udp4';
    const rtp = createSocket({
      type,
      recvBufferSize: bufferSize,
      sendBufferSize: bufferSize,
      lookup: lookupNumeric,
    });
    try {
      await bind(rtp, pair.rtp, this.address);
    } catch (e) {
      rtp.close();
      throw e;
    }
    if (rtcpMux) return [rtp, rtp];
    const rtcp = createSocket({ type, lookup: lookupNumeric });
    try {
      await bind(rtcp, pair.rtcp, this.address);
    } catch (e) {
      rtp.close();
      rtcp.close();
      throw e;
    }
    return [rtp, rtcp];
  }

  /** @internal The first clock instant at or after `nowMs` (where a stream's sends start). */
  alignMs(nowMs: number): number {
    if (this.clock === 'per-stream') return nowMs;
    return this.gridAtOrAfter(nowMs);
  }

  private gridAtOrAfter(ms: number): number {
    const k = Math.ceil((ms - this.epochMs) / this.tickMs - 1e-9);
    return this.epochMs + k * this.tickMs;
  }

  /** @internal Schedules a stream's next tick (called by the stream). */
  schedule(stream: NodeMediaStream): void {
    const now = performance.now();
    if (stream.deadlineMs > now) stream.deadlineMs = Math.min(stream.deadlineMs, now);
    if (this.clock === 'per-stream') this.armStream(stream, now);
    else this.arm(stream.deadlineMs, now);
  }

  /** @internal Forgets a stopped stream and frees its ports. */
  release(stream: NodeMediaStream): void {
    this.streams.delete(stream);
    const slot = this.slotOf.get(stream);
    if (slot !== undefined) {
      slot.demux.remove(stream);
      slot.streams--;
      this.slotOf.delete(stream);
      const ssrc = stream.ssrc;
      if (ssrc !== undefined) this.ssrcs.delete(ssrc);
    } else this.ports.release(stream.ports.rtp);
    const t = this.streamTimers.get(stream);
    if (t !== undefined) clearTimeout(t);
    this.streamTimers.delete(stream);
  }

  /** Arms the shared timer for the grid instant at or after `deadlineMs`, unless it fires sooner. */
  private arm(deadlineMs: number, now: number): void {
    if (deadlineMs === Number.POSITIVE_INFINITY) return;
    const at = this.gridAtOrAfter(deadlineMs);
    if (at >= this.timerAt) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(this.onTimer, Math.max(0, at - now));
  }

  private run(): void {
    // Timers fire on libuv's whole-millisecond clock, possibly a fraction early: the tick is at
    // its grid instant at the earliest, so the streams due then all run in this wake-up.
    const now = Math.max(performance.now(), this.timerAt);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.ticks++;
    let earliest = Number.POSITIVE_INFINITY;
    for (const s of this.streams) {
      if (s.deadlineMs <= now) s.tick(now);
      if (s.deadlineMs < earliest) earliest = s.deadlineMs;
    }
    this.arm(earliest, performance.now());
  }

  private armStream(stream: NodeMediaStream, now: number): void {
    const old = this.streamTimers.get(stream);
    if (old !== undefined) clearTimeout(old);
    if (stream.deadlineMs === Number.POSITIVE_INFINITY) return;
    const timer = setTimeout(
      () => {
        this.streamTimers.delete(stream);
        this.ticks++;
        this.batched(() => stream.tick(performance.now()));
        this.armStream(stream, performance.now());
      },
      Math.max(0, stream.deadlineMs - now),
    );
    this.streamTimers.set(stream, timer);
  }

  /** Stops every stream and the clock. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.streams].map((s) => s.stop()));
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    // Shared ports still being bound are closed once bound.
    const slots = this.slots === undefined ? [] : await this.slots.catch(() => []);
    this.boundSlots = [];
    this.slots = undefined;
    await Promise.all(
      slots.flatMap((s) => {
        this.ports.release(s.ports.rtp);
        return [s.rtp, s.rtcp].map((socket) => new Promise<void>((resolve) => socket.close(() => resolve())));
      }),
    );
  }
}
