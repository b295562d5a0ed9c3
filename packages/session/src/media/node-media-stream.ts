/**
 * One call's media on real UDP sockets: the {@link MediaSession} core fed by the sockets and the
 * driver's clock, with audio I/O for applications (play, tones, write, received frames, record).
 * @module
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { ToneSpec } from '@tsvoip/dsp';
import type { TransportAddress } from '@tsvoip/rtp';
import type { MediaDirection } from '@tsvoip/sdp';
import type { InboundTarget } from '@tsvoip/transport';
import {
  type AudioFrame,
  bufferSource,
  type FrameSource,
  FrameStream,
  QueuedSource,
  toneSource,
  WavRecorder,
  wavFileSource,
} from './audio-io.js';
import { MediaStateError } from './errors.js';
import type { MediaSessionConfig, MediaSessionOptions } from './media-config.js';
import { MediaSession } from './media-session.js';
import type { MediaChannel, MediaEvent, MediaStatistics } from './media-types.js';
import type { PortPair } from './port-allocator.js';

/** What a stream needs from its driver. */
export interface StreamHost {
  /** Schedules (or reschedules) the stream's next clock tick. */
  schedule(stream: NodeMediaStream): void;
  /** The first clock instant at or after `nowMs`: where a starting stream's 20 ms sends begin. */
  alignMs(nowMs: number): number;
  /** Releases the stream's ports and forgets it. */
  release(stream: NodeMediaStream): void;
  /**
   * Called when the stream's remote addresses or announced remote SSRC change (start, update,
   * latching), for a host that routes shared ports' datagrams by them.
   */
  remoteChanged?(stream: NodeMediaStream): void;
  /**
   * Sends a datagram for the stream (a host may hold it to send with others); without it the
   * stream sends on the socket itself.
   */
  send?(socket: Socket, bytes: Uint8Array, port: number, address: string): void;
  /**
   * Takes a datagram read on the stream's own socket, to call `target` with it later in the same
   * event-loop turn; without it the stream handles datagrams as they are read.
   */
  receive?(
    target: InboundTarget<MediaChannel>,
    msg: Uint8Array,
    from: RemoteInfo,
    channel: MediaChannel,
  ): void;
}

/** Options of a stream (local, not negotiated). */
export interface NodeMediaStreamOptions extends MediaSessionOptions {
  /** Multiplex RTP and RTCP on one port (RFC 5761). Default false. */
  rtcpMux?: boolean;
  /** Send silence when nothing is playing (keeps the stream and NAT bindings alive). Default true. */
  sendSilence?: boolean;
}

interface Playback {
  source: FrameSource;
  done: () => void;
}

/** Media of one call on UDP sockets. Create it with `NodeMediaDriver.open`. */
export class NodeMediaStream {
  /** Local address the sockets are bound to. */
  readonly localAddress: string;
  /** Local ports (for the SDP offer or answer). */
  readonly ports: PortPair;
  private readonly host: StreamHost;
  private readonly rtpSocket: Socket;
  private readonly rtcpSocket: Socket;
  private readonly options: NodeMediaStreamOptions;
  private core: MediaSession | undefined;
  private config: MediaSessionConfig | undefined;
  private readonly playQueue: Playback[] = [];
  private readonly written = new QueuedSource();
  private silence = new Int16Array(160);
  private readonly streams = new Set<FrameStream>();
  private readonly recorders = new Set<WavRecorder>();
  private readonly eventListeners = new Set<(e: MediaEvent) => void>();
  private readonly audioListeners = new Set<(samples: Int16Array, sampleRate: number) => void>();
  /** Next 20 ms send instant, ms on `performance.now()`. */
  nextSendMs = 0;
  /** When the driver should tick this stream next. */
  deadlineMs = Number.POSITIVE_INFINITY;
  /** Send errors reported by the sockets. */
  sendErrors = 0;
  /** The last socket error, if any. */
  lastError: Error | undefined;
  private closed = false;
  /** The sockets are the driver's, shared with other streams: it delivers datagrams and closes them. */
  private readonly shared: boolean;
  private lastRemote: TransportAddress | undefined;
  private lastRemoteRtcp: TransportAddress | undefined;

  /**
   * @param shared true when the sockets are shared with other streams: the host then delivers the
   *   stream's datagrams ({@link deliver}) and owns the sockets.
   */
  constructor(
    host: StreamHost,
    localAddress: string,
    ports: PortPair,
    rtpSocket: Socket,
    rtcpSocket: Socket,
    options: NodeMediaStreamOptions,
    shared = false,
  ) {
    this.host = host;
    this.localAddress = localAddress;
    this.ports = ports;
    this.rtpSocket = rtpSocket;
    this.rtcpSocket = rtcpSocket;
    this.options = options;
    this.shared = shared;
    if (shared) return;
    const target: InboundTarget<MediaChannel> = (msg, from, channel, nowMs) =>
      this.deliver(msg, from, channel, nowMs);
    const onMessage = (channel: MediaChannel) =>
      host.receive === undefined
        ? (msg: Uint8Array, rinfo: RemoteInfo) => this.deliver(msg, rinfo, channel)
        : (msg: Uint8Array, rinfo: RemoteInfo) => host.receive?.(target, msg, rinfo, channel);
    rtpSocket.on('message', onMessage('rtp'));
    if (rtcpSocket !== rtpSocket) rtcpSocket.on('message', onMessage('rtcp'));
    const onError = (e: Error) => {
      this.sendErrors++;
      this.lastError = e;
    };
    rtpSocket.on('error', onError);
    if (rtcpSocket !== rtpSocket) rtcpSocket.on('error', onError);
  }

  /** The core, once started. */
  get session(): MediaSession | undefined {
    return this.core;
  }

  /** Starts media with the negotiated configuration. */
  start(config: MediaSessionConfig): void {
    if (this.closed) throw new MediaStateError('start', 'the stream is closed');
    if (this.core !== undefined) throw new MediaStateError('start', 'already started: use update()');
    const now = performance.now();
    this.config = config;
    this.core = new MediaSession(config, { wallClockOffsetMs: Date.now() - now, ...this.options }, now);
    this.silence = new Int16Array(this.core.sendCodec.frameSize);
    this.nextSendMs = this.host.alignMs(now);
    this.deadlineMs = this.nextSendMs;
    this.flush();
    this.noteRemote(this.core);
    this.host.schedule(this);
  }

  /** Our SSRC: chosen at open in shared-port mode (to announce with `a=ssrc`), else once started. */
  get ssrc(): number | undefined {
    return this.core?.ssrc ?? this.options.ssrc;
  }

  /** The remote SSRC announced by the negotiated configuration, if any. */
  get remoteSsrc(): number | undefined {
    return this.config?.remoteSsrc;
  }

  /** Where RTCP goes now (signalled or latched). */
  get remoteRtcp(): TransportAddress | undefined {
    return this.core?.remoteRtcp;
  }

  /** Tells the host when the remote addresses changed (start, update, latching): cheap identity checks. */
  private noteRemote(core: MediaSession): void {
    const remote = core.remote;
    const rtcp = core.remoteRtcp;
    if (remote === this.lastRemote && rtcp === this.lastRemoteRtcp) return;
    this.lastRemote = remote;
    this.lastRemoteRtcp = rtcp;
    this.host.remoteChanged?.(this);
  }

  private started(command: string): MediaSession {
    if (this.core === undefined || this.closed)
      throw new MediaStateError(command, 'the stream is not running');
    return this.core;
  }

  /** Applies a re-negotiated configuration (codec, address, direction, keys). */
  update(config: MediaSessionConfig): void {
    const core = this.started('update');
    core.update(config, performance.now());
    this.config = config;
    this.silence = new Int16Array(core.sendCodec.frameSize);
    this.lastRemote = undefined;
    this.noteRemote(core);
    this.flush();
  }

  /** Sends DTMF digits as RFC 4733 events. */
  sendDtmf(digits: string): void {
    this.started('sendDtmf').sendDtmf(digits, performance.now());
    this.flush();
    this.host.schedule(this);
  }

  /** Sets the direction (hold: `sendonly`/`inactive`, resume: `sendrecv`). */
  setDirection(direction: MediaDirection): void {
    this.started('setDirection').setDirection(direction);
  }

  /** Mutes or unmutes what we send. */
  setMuted(muted: boolean): void {
    this.started('setMuted').setMuted(muted);
  }

  /** Statistics of the stream. */
  statistics(): MediaStatistics {
    return this.started('statistics').statistics();
  }

  /** Where RTP goes now (signalled or latched). */
  get remote(): TransportAddress | undefined {
    return this.core?.remote;
  }

  /** Listens to events; returns the function that unsubscribes. */
  onEvent(listener: (e: MediaEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Listens to received audio frames (the samples are reused after the call); returns unsubscribe. */
  onAudio(listener: (samples: Int16Array, sampleRate: number) => void): () => void {
    this.audioListeners.add(listener);
    return () => this.audioListeners.delete(listener);
  }

  /**
   * Plays a WAV file (path), a buffer, or an (async) iterable of 20 ms PCM frames at `sampleRate`
   * (default the codec's), after what is already queued. Resolves when it has been sent.
   */
  async play(
    source: string | Int16Array | AsyncIterable<Int16Array> | Iterable<Int16Array>,
    options: { sampleRate?: number } = {},
  ): Promise<void> {
    const rate = options.sampleRate ?? this.started('play').sendCodec.sampleRate;
    let frames: FrameSource;
    if (typeof source === 'string') frames = await wavFileSource(source);
    else if (source instanceof Int16Array) frames = bufferSource(source, rate);
    else {
      const queue = new QueuedSource();
      queue.pump(source, rate).catch((e: unknown) => {
        this.lastError = e instanceof Error ? e : new Error(String(e));
        queue.end();
      });
      frames = queue;
    }
    return this.enqueue(frames);
  }

  /** Plays a tone (see `@tsvoip/dsp` `dtmfToneSpec`/`callProgressTone`) for `durationMs` (default: its cadence). */
  playTone(spec: ToneSpec, durationMs?: number): Promise<void> {
    const codec = this.started('playTone').sendCodec;
    return this.enqueue(toneSource(spec, codec.sampleRate, durationMs));
  }

  /** Stops what is playing and empties the play queue. */
  stopPlayback(): void {
    for (const p of this.playQueue.splice(0)) {
      p.source.close();
      p.done();
    }
  }

  private enqueue(source: FrameSource): Promise<void> {
    return new Promise((resolve) => {
      this.playQueue.push({ source, done: resolve });
    });
  }

  /**
   * Queues a frame to send (sent at the 20 ms pace, after any playback). Returns false when
   * enough frames wait: await {@link drained} before writing more.
   */
  write(samples: Int16Array, sampleRate?: number): boolean {
    return this.written.write({
      samples,
      sampleRate: sampleRate ?? this.started('write').sendCodec.sampleRate,
    });
  }

  /** Resolves when {@link write} can take more frames. */
  drained(): Promise<void> {
    return this.written.drained();
  }

  /** Received audio as an async iterable of copied frames, ending when the stream stops. */
  frames(): AsyncIterable<AudioFrame> {
    const stream = new FrameStream();
    this.streams.add(stream);
    return stream;
  }

  /** Records received audio to a mono WAV file; call `stop()` on the result (or stop the stream). */
  record(path: string, sampleRate?: number): WavRecorder {
    const recorder = new WavRecorder(path, sampleRate);
    this.recorders.add(recorder);
    return recorder;
  }

  /** Called by the driver's clock: sends the frames due, runs the core's timers. */
  tick(now: number): void {
    const core = this.core;
    if (core === undefined || this.closed) return;
    while (this.nextSendMs <= now) {
      const frame = this.nextFrame();
      if (frame !== undefined) core.sendAudio(frame.samples, now, frame.sampleRate);
      this.nextSendMs += 20;
    }
    const t = core.nextTimeoutMs();
    if (t !== undefined && t <= now) core.handleTimeout(now);
    this.flush();
    const next = core.nextTimeoutMs() ?? Number.POSITIVE_INFINITY;
    this.deadlineMs = Math.min(next, this.nextSendMs);
  }

  private nextFrame(): AudioFrame | undefined {
    for (;;) {
      const playing = this.playQueue[0];
      if (playing === undefined) break;
      const frame = playing.source.next();
      if (frame === null) {
        this.playQueue.shift();
        playing.done();
        continue;
      }
      if (frame !== undefined) return frame;
      break;
    }
    const written = this.written.next();
    if (written) return written;
    if (this.options.sendSilence === false || this.core === undefined) return undefined;
    return { samples: this.silence, sampleRate: this.core.sendCodec.sampleRate };
  }

  /**
   * @internal A datagram for this stream (from its own socket, or routed by the driver from a
   * shared one), read at `nowMs` (default: now).
   */
  deliver(msg: Uint8Array, from: TransportAddress, channel: MediaChannel, nowMs = performance.now()): void {
    const core = this.core;
    if (core === undefined || this.closed) return;
    core.handleDatagram(msg, from, channel, nowMs);
    if (core.remote !== this.lastRemote || core.remoteRtcp !== this.lastRemoteRtcp) this.noteRemote(core);
    this.flush();
  }

  private flush(): void {
    const core = this.core;
    if (core === undefined) return;
    const host = this.host;
    for (let o = core.pollOutput(); o; o = core.pollOutput()) {
      if (o.type === 'transmit') {
        const socket = o.channel === 'rtcp' ? this.rtcpSocket : this.rtpSocket;
        if (host.send !== undefined) host.send(socket, o.bytes, o.port, o.address);
        else socket.send(o.bytes, o.port, o.address);
      } else if (o.type === 'audio') {
        for (const l of this.audioListeners) l(o.samples, o.sampleRate);
        for (const s of this.streams) s.push(o.samples, o.sampleRate);
        for (const r of this.recorders) r.push(o.samples, o.sampleRate);
      } else {
        for (const l of this.eventListeners) l(o.event);
      }
    }
  }

  /** Stops media: RTCP BYE, sockets closed, ports released, recordings written, iterators ended. */
  async stop(): Promise<void> {
    if (this.closed) return;
    this.stopPlayback();
    this.written.close();
    if (this.core !== undefined) {
      this.core.stop(performance.now());
      this.flush();
    }
    this.closed = true;
    this.deadlineMs = Number.POSITIVE_INFINITY;
    for (const s of this.streams) s.close();
    await Promise.all([...this.recorders].map((r) => r.stop()));
    // dgram resolves the destination on the next tick: let the BYE leave before closing.
    await new Promise((resolve) => setImmediate(resolve));
    if (!this.shared) {
      await closeSocket(this.rtpSocket);
      if (this.rtcpSocket !== this.rtpSocket) await closeSocket(this.rtcpSocket);
    }
    this.host.release(this);
  }
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}
