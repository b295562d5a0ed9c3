/**
 * The sans-IO media session of one call: datagrams, PCM frames, commands and timer ticks in;
 * datagrams to send, decoded PCM, events and statistics out. No sockets, no clock: `now` is a
 * parameter (ms, monotonic) and randomness is injected.
 * @module
 */
import type { Codec } from '@tsvoip/codecs';
import {
  createRtpPacket,
  createSrtpContext,
  dtmfEventCode,
  isRtcpPacket,
  parseRtcp,
  parseRtpPacket,
  RTP_HEADER_SIZE,
  RtcpParseError,
  RtpEncodeError,
  RtpLatch,
  type RtpPacket,
  RtpParseError,
  type SrtpContext,
  SrtpError,
  type TransportAddress,
} from '@tsvoip/rtp';
import type { MediaDirection } from '@tsvoip/sdp';
import { MediaConfigError, MediaStateError } from './errors.js';
import type { MediaSessionConfig, MediaSessionOptions, SrtpKeyConfig } from './media-config.js';
import { MediaOutputs } from './media-outputs.js';
import { mediaStatistics } from './media-statistics.js';
import type { MediaChannel, MediaEvent, MediaOutput, MediaStatistics } from './media-types.js';
import { RtcpReporter } from './rtcp-reporter.js';
import { RtpReceiver } from './rtp-receiver.js';
import { codecFor, type RtpPacketOut, RtpSender } from './rtp-sender.js';

/**
 * Where RTP packets are built before SRTP protection copies them out: one buffer for every
 * session, as building and protecting a packet is one synchronous step.
 */
let scratch = { storage: new Uint8Array(1500), payload: new Uint8Array(0) };
scratch.payload = scratch.storage.subarray(RTP_HEADER_SIZE);

function srtpScratch(capacity: number): { storage: Uint8Array; payload: Uint8Array } {
  if (scratch.storage.length < capacity) {
    const storage = new Uint8Array(capacity);
    scratch = { storage, payload: storage.subarray(RTP_HEADER_SIZE) };
  }
  return scratch;
}

function sends(d: MediaDirection): boolean {
  return d === 'sendrecv' || d === 'sendonly';
}

function receives(d: MediaDirection): boolean {
  return d === 'sendrecv' || d === 'recvonly';
}

function srtpContext(key: SrtpKeyConfig): SrtpContext {
  return createSrtpContext({
    profile: key.profile,
    masterKey: key.masterKey,
    masterSalt: key.masterSalt,
    encryptRtcp: key.encryptRtcp ?? true,
  });
}

/** One call's audio stream: RTP/RTCP (optionally SRTP), jitter buffer, codecs, DTMF, statistics. */
export class MediaSession {
  private config: MediaSessionConfig;
  private readonly options: MediaSessionOptions;
  private readonly random: () => number;
  private readonly sender: RtpSender;
  private readonly receiver: RtpReceiver;
  private readonly rtcp: RtcpReporter;
  private latch: RtpLatch | undefined;
  private srtpOut: SrtpContext | undefined;
  private srtpIn: SrtpContext | undefined;
  private rtpDestination: TransportAddress;
  private rtcpDestination: TransportAddress;
  private rtcpLatched = false;
  private direction: MediaDirection;
  private muted = false;
  private stopped = false;
  private nextPlayoutMs: number;
  private playoutMs = 20;
  private readonly parsed: RtpPacket = createRtpPacket();
  private readonly outputs = new MediaOutputs();
  private readonly counters = { malformed: 0, srtpErrors: 0, rejected: 0 };
  /**
   * Where the sender builds RTP packets: in place in the next datagram record, or (SRTP) in a
   * scratch buffer that is protected into the record.
   */
  private readonly sendRtp: RtpPacketOut = {
    reserve: (capacity) =>
      this.srtpOut === undefined ? this.outputs.reserve(capacity) : srtpScratch(capacity),
    commit: (length) => {
      const srtp = this.srtpOut;
      if (srtp === undefined) this.outputs.commit('rtp', this.rtpDestination, length);
      else this.outputs.transmit('rtp', this.rtpDestination, scratch.storage.subarray(0, length), srtp);
    },
  };

  constructor(config: MediaSessionConfig, options: MediaSessionOptions, nowMs: number) {
    this.options = options;
    this.random = options.random ?? Math.random;
    const ssrc = options.ssrc ?? Math.floor(this.random() * 0x100000000);
    this.sender = new RtpSender(ssrc, this.random, {
      durationMs: options.dtmfDurationMs ?? 100,
      pauseMs: options.dtmfPauseMs ?? 100,
      intervalMs: options.dtmfPacketIntervalMs ?? 50,
    });
    this.receiver = new RtpReceiver(options.jitterBuffer ?? {}, options.outputSampleRate);
    this.config = config;
    this.direction = config.direction;
    this.rtpDestination = { address: config.remoteAddress, port: config.remotePort };
    this.rtcpDestination = this.signalledRtcpDestination(config);
    this.applyFormats(config, undefined);
    this.applySrtp(config);
    this.latch = this.newLatch(config);
    // RFC 3550 §6.2: RTCP gets 5% of the session bandwidth; estimate it from the send codec.
    const codec = this.sender.currentCodec;
    const packetsPerSecond = 1000 / codec.frameDurationMs;
    const bitsPerSecond = 64_000 + packetsPerSecond * 40 * 8;
    this.rtcp = new RtcpReporter(
      {
        rtcpBandwidth: (bitsPerSecond * 0.05) / 8,
        minIntervalMs: options.rtcpMinIntervalMs ?? 5000,
        cname: options.cname ?? `tsvoip-${this.sender.ssrc.toString(16)}`,
        wallClockOffsetMs: options.wallClockOffsetMs ?? 0,
        random: this.random,
      },
      nowMs,
    );
    this.nextPlayoutMs = nowMs + this.playoutMs;
  }

  private signalledRtcpDestination(config: MediaSessionConfig): TransportAddress {
    return {
      address: config.remoteRtcpAddress ?? config.remoteAddress,
      port: config.remoteRtcpPort ?? (config.rtcpMux ? config.remotePort : config.remotePort + 1),
    };
  }

  private newLatch(config: MediaSessionConfig): RtpLatch | undefined {
    if (this.options.latching === false) return undefined;
    const payloadTypes = config.codecs.map((c) => c.payloadType);
    if (config.telephoneEvent !== undefined) payloadTypes.push(config.telephoneEvent.payloadType);
    for (const pt of this.receiver.formats.keys()) if (!payloadTypes.includes(pt)) payloadTypes.push(pt);
    return new RtpLatch({ ...this.options.latching, payloadTypes });
  }

  private applyFormats(config: MediaSessionConfig, previous: MediaSessionConfig | undefined): void {
    const first = config.codecs[0];
    if (first === undefined) throw new MediaConfigError('codecs', 'at least one codec is needed');
    const ptime = config.ptime ?? 20;
    const prevFirst = previous?.codecs[0];
    if (
      prevFirst === undefined ||
      prevFirst.payloadType !== first.payloadType ||
      prevFirst.name !== first.name ||
      (previous?.ptime ?? 20) !== ptime
    ) {
      const old = prevFirst === undefined ? undefined : this.sender.currentCodec;
      this.sender.setCodec(codecFor(first, ptime), first.payloadType, config.telephoneEvent);
      old?.destroy();
    } else {
      this.sender.setCodec(this.sender.currentCodec, first.payloadType, config.telephoneEvent);
    }
    const decoders = new Map<number, Codec>();
    for (const c of config.codecs) {
      const existing = this.receiver.formats.get(c.payloadType);
      decoders.set(
        c.payloadType,
        existing !== undefined && existing.name === c.name ? existing : codecFor(c, ptime),
      );
    }
    this.receiver.setFormats(decoders, config.telephoneEvent);
    this.playoutMs = ptime;
  }

  private applySrtp(config: MediaSessionConfig): void {
    const srtp = config.srtp;
    this.srtpOut = srtp === undefined ? undefined : srtpContext(srtp.local);
    this.srtpIn = srtp === undefined ? undefined : srtpContext(srtp.remote);
  }

  /** Our SSRC. */
  get ssrc(): number {
    return this.sender.ssrc;
  }

  /** Where RTP goes now (the signalled address, or the latched one). */
  get remote(): TransportAddress {
    return this.rtpDestination;
  }

  /** Where RTCP goes now (signalled, or latched: RFC 4961). */
  get remoteRtcp(): TransportAddress {
    return this.rtcpDestination;
  }

  /** The current direction. */
  get currentDirection(): MediaDirection {
    return this.direction;
  }

  /** True after {@link stop}. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** The codec used to send. */
  get sendCodec(): Codec {
    return this.sender.currentCodec;
  }

  // --- inputs ---------------------------------------------------------------------------------

  /** Handles a datagram received on the RTP or RTCP socket from `source` at `nowMs`. */
  handleDatagram(bytes: Uint8Array, source: TransportAddress, channel: MediaChannel, nowMs: number): void {
    if (this.stopped) return;
    // RFC 5761 §4: on a multiplexed port, packet types 192..223 are RTCP.
    if (channel === 'rtcp' || (this.config.rtcpMux && isRtcpPacket(bytes)))
      this.handleRtcp(bytes, source, nowMs);
    else this.handleRtp(bytes, source, nowMs);
  }

  private handleRtp(bytes: Uint8Array, source: TransportAddress, nowMs: number): void {
    let data = bytes;
    if (this.srtpIn !== undefined) {
      try {
        data = this.srtpIn.unprotectRtp(bytes);
      } catch (e) {
        if (!(e instanceof SrtpError)) throw e;
        this.counters.srtpErrors++;
        return;
      }
    }
    const packet = this.parsed;
    try {
      parseRtpPacket(data, packet);
    } catch (e) {
      if (!(e instanceof RtpParseError)) throw e;
      this.counters.malformed++;
      return;
    }
    const latch = this.latch;
    if (latch !== undefined) {
      const decision = latch.decide(
        source.address,
        source.port,
        packet.ssrc,
        packet.payloadType,
        packet.sequenceNumber,
        nowMs,
      );
      if (decision === 'rejected') {
        this.counters.rejected++;
        return;
      }
      if (decision !== 'accepted') this.latchTo(source);
    }
    if (!receives(this.direction)) return;
    const clockRate = this.receiver.clockRateOf(packet.payloadType);
    if (clockRate === undefined) {
      this.receiver.unknownPayloadTypes++;
      return;
    }
    const current = this.receiver.source;
    if (current === undefined || current.ssrc !== packet.ssrc) {
      const audioRate = this.receiver.formats.get(packet.payloadType)?.clockRate ?? clockRate;
      this.receiver.newSource(packet.ssrc, audioRate);
      if (current !== undefined)
        this.emit({ type: 'ssrc-changed', ssrc: packet.ssrc, previous: current.ssrc });
    }
    this.receiver.account(packet, nowMs);
    this.rtcp.noteRemoteSender();
    this.receiver.receive(packet, nowMs);
    this.drainTelephoneEvents(nowMs);
  }

  // RFC 4961 §4: send to the address media arrives from.
  private latchTo(source: TransportAddress): void {
    const previous = this.rtpDestination;
    if (previous.address === source.address && previous.port === source.port) return;
    this.rtpDestination = { address: source.address, port: source.port };
    if (this.config.rtcpMux) this.rtcpDestination = this.rtpDestination;
    else if (!this.rtcpLatched) this.rtcpDestination = { address: source.address, port: source.port + 1 };
    this.emit({ type: 'latched', address: source.address, port: source.port, previous });
  }

  private handleRtcp(bytes: Uint8Array, source: TransportAddress, nowMs: number): void {
    let data = bytes;
    if (this.srtpIn !== undefined) {
      try {
        data = this.srtpIn.unprotectRtcp(bytes);
      } catch (e) {
        if (!(e instanceof SrtpError)) throw e;
        this.counters.srtpErrors++;
        return;
      }
    }
    let packets: ReturnType<typeof parseRtcp>;
    try {
      packets = parseRtcp(data);
    } catch (e) {
      if (!(e instanceof RtcpParseError)) throw e;
      this.counters.malformed++;
      return;
    }
    // Symmetric RTCP (RFC 4961): reports go back where the peer's reports come from.
    if (this.latch !== undefined && !this.config.rtcpMux) {
      const d = this.rtcpDestination;
      if (d.address !== source.address || d.port !== source.port) {
        this.rtcpDestination = { address: source.address, port: source.port };
      }
      this.rtcpLatched = true;
    }
    const report = this.rtcp.handleCompound(
      packets,
      this.sender.ssrc,
      this.receiver.source,
      this.sender.currentCodec.clockRate,
      nowMs,
      data.length,
    );
    if (report !== undefined) this.emit({ type: 'rtcp-report', report });
    for (const p of packets) {
      if (p.type === 'bye') {
        for (const s of p.ssrcs) {
          if (s === this.receiver.source?.ssrc) this.emit({ type: 'bye', ssrc: s, reason: p.reason });
        }
      }
    }
  }

  /**
   * Sends audio: `samples` (mono, any length) at `sampleRate` (default: the send codec's rate) are
   * resampled and packetized in ptime frames. Call it every 20 ms with 20 ms of audio.
   * @throws {MediaStateError} after {@link stop}.
   */
  sendAudio(samples: Int16Array, nowMs: number, sampleRate?: number): void {
    if (this.stopped) throw new MediaStateError('sendAudio', 'the session is stopped');
    const rate = sampleRate ?? this.sender.currentCodec.sampleRate;
    this.sender.pushAudio(samples, rate, nowMs, this.muted, sends(this.direction), this.sendRtp);
  }

  /**
   * Sends DTMF digits (0-9, *, #, A-D) as RFC 4733 telephone events, one after the other.
   * @throws {MediaStateError} when telephone-event was not negotiated, a digit is invalid, or after stop.
   */
  sendDtmf(digits: string, nowMs: number): void {
    if (this.stopped) throw new MediaStateError('sendDtmf', 'the session is stopped');
    if (!this.sender.canSendDtmf) throw new MediaStateError('sendDtmf', 'telephone-event was not negotiated');
    for (const d of digits) {
      try {
        dtmfEventCode(d);
      } catch (e) {
        if (e instanceof RtpEncodeError) throw new MediaStateError('sendDtmf', `"${d}" is not a DTMF digit`);
        throw e;
      }
    }
    this.sender.queueDigits(digits, nowMs);
    this.sender.pollDtmf(nowMs, sends(this.direction), this.sendRtp);
  }

  /** Changes the direction (hold: `sendonly` or `inactive`; resume: `sendrecv`). RTCP continues. */
  setDirection(direction: MediaDirection): void {
    this.direction = direction;
  }

  /** Mutes (silence is sent in place of the audio: the stream, its timing and NAT bindings continue). */
  setMuted(muted: boolean): void {
    this.muted = muted;
  }

  /**
   * Applies a re-negotiated configuration (re-INVITE): a new send codec takes over from the next
   * frame; received packets of both the old and new formats keep decoding; a new remote address
   * resets latching; new keys replace the SRTP contexts.
   */
  update(config: MediaSessionConfig, nowMs: number): void {
    if (this.stopped) throw new MediaStateError('update', 'the session is stopped');
    void nowMs;
    const previous = this.config;
    this.applyFormats(config, previous);
    if (previous.remoteAddress !== config.remoteAddress || previous.remotePort !== config.remotePort) {
      this.rtpDestination = { address: config.remoteAddress, port: config.remotePort };
      this.rtcpDestination = this.signalledRtcpDestination(config);
      this.rtcpLatched = false;
      this.latch = this.newLatch(config);
    } else if (this.latch !== undefined) {
      // Keep the latched address; accept the new payload types from it.
      const remote = this.latch.remote;
      this.latch = this.newLatch(config);
      if (remote !== undefined) this.rtpDestination = remote;
    }
    if (JSON.stringify(previous.srtp) !== JSON.stringify(config.srtp)) this.applySrtp(config);
    this.direction = config.direction;
    this.config = config;
  }

  /** Ends the stream: an RTCP BYE goes out (RFC 3550 §6.6); later inputs are ignored. */
  stop(nowMs: number): void {
    if (this.stopped) return;
    this.sendReport(nowMs, true);
    this.stopped = true;
    this.receiver.destroy();
    this.sender.currentCodec.destroy();
  }

  /** Runs the timers due at `nowMs`: DTMF packets, playout, telephone-event timeouts, RTCP. */
  handleTimeout(nowMs: number): void {
    if (this.stopped) return;
    this.sender.pollDtmf(nowMs, sends(this.direction), this.sendRtp);
    if (nowMs >= this.nextPlayoutMs) {
      this.playout(nowMs);
      while (this.nextPlayoutMs <= nowMs) this.nextPlayoutMs += this.playoutMs;
    }
    this.drainTelephoneEvents(nowMs);
    if (nowMs >= this.rtcp.nextReportMs) this.sendReport(nowMs, false);
  }

  /** The earliest time {@link handleTimeout} has work, ms; `undefined` once stopped. */
  nextTimeoutMs(): number | undefined {
    if (this.stopped) return undefined;
    let t = Math.min(this.nextPlayoutMs, this.rtcp.nextReportMs);
    const dtmf = this.sender.nextDtmfMs();
    if (dtmf !== undefined && dtmf < t) t = dtmf;
    const te = this.receiver.nextTelephoneEventTimeoutMs();
    if (te !== undefined && te < t) t = te;
    return t;
  }

  // --- outputs --------------------------------------------------------------------------------

  /** The next output, or `undefined`. What it returns is valid until the next call. */
  pollOutput(): MediaOutput | undefined {
    return this.outputs.poll();
  }

  private emit(event: MediaEvent): void {
    this.outputs.event(event);
  }

  private transmit(channel: MediaChannel, to: TransportAddress, bytes: Uint8Array): void {
    this.outputs.transmit(channel, to, bytes, this.srtpOut);
  }

  private playout(nowMs: number): void {
    const decode = this.options.decodeAudio ?? true;
    for (
      let frame = this.receiver.playout(nowMs, decode);
      frame;
      frame = this.receiver.playout(nowMs, decode)
    ) {
      if (decode) this.outputs.audio(frame);
    }
  }

  private drainTelephoneEvents(nowMs: number): void {
    for (let e = this.receiver.pollTelephoneEvent(nowMs); e; e = this.receiver.pollTelephoneEvent(nowMs)) {
      if (e.digit === undefined) continue;
      this.emit({
        type: 'dtmf',
        digit: e.digit,
        event: e.event,
        durationMs: e.durationMs,
        endedBy: e.endedBy,
      });
    }
  }

  private sendReport(nowMs: number, bye: boolean): void {
    const weSent = this.sender.sentSinceReport;
    this.sender.sentSinceReport = false;
    const bytes = this.rtcp.buildReport(
      nowMs,
      this.sender.statistics,
      weSent,
      this.sender.rtpTimestampAt(nowMs),
      this.receiver.source,
      this.receiver.reportJitter,
      bye,
    );
    this.transmit('rtcp', this.rtcpDestination, bytes);
  }

  // --- statistics -----------------------------------------------------------------------------

  /** Current statistics, with the E-model estimate of the received audio. */
  statistics(): MediaStatistics {
    return mediaStatistics(this.sender, this.receiver, this.rtcp, this.counters);
  }
}
