/**
 * The receiving half of a media session: RTP packets in (latched, counted, buffered), decoded PCM
 * out at each playout tick (codec PLC on gaps), RFC 4733 events out, once each.
 * @module
 */
import type { Codec } from '@tsvoip/codecs';
import { createResampler, type Resampler } from '@tsvoip/dsp';
import {
  JitterBuffer,
  type JitterBufferOptions,
  type JitterBufferStatistics,
  parseTelephoneEvent,
  type ReceivedTelephoneEvent,
  type RtpPacket,
  RtpReceiveStatistics,
  TelephoneEventReceiver,
} from '@tsvoip/rtp';
import { AudioJitter } from './audio-jitter.js';

/** RFC 3551 §6 / RFC 3389: the static payload type of comfort noise (8 kHz). */
const COMFORT_NOISE_PT = 13;

/** A received packet held by the jitter buffer: header fields and a copy of the payload. */
interface HeldPacket {
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
  payloadType: number;
  payload: Uint8Array;
  storage: Uint8Array;
}

function newHeldPacket(): HeldPacket {
  const storage = new Uint8Array(0); // grown on first use
  return { sequenceNumber: 0, timestamp: 0, marker: false, payloadType: 0, payload: storage, storage };
}

/**
 * Where every receiver decodes (and resamples) a playout frame: decoding and handing the frame on
 * are one synchronous step (the session copies it into its output queue at once), so one pair of
 * buffers serves all sessions and stays in cache, where a pair per receiver would be cold by its
 * next 20 ms tick. 5760 samples: 120 ms at 48 kHz, the longest Opus frame.
 */
const decodeScratch = new Int16Array(5760);
let resampleScratch = new Int16Array(5760);
const NO_SAMPLES = new Int16Array(0);

/** What a playout tick produces, reused: one frame of PCM. */
export interface PlayoutFrame {
  /** PCM samples (a view into a buffer shared by all receivers: valid until the next playout). */
  samples: Int16Array;
  /** Sample rate, Hz. */
  sampleRate: number;
  /** True when the frame was produced by loss concealment. */
  concealed: boolean;
}

/** Decoding state of the receiver for one remote source. */
export class RtpReceiver {
  private readonly jitterOptions: Omit<JitterBufferOptions, 'clockRate'>;
  /**
   * Held packets known to be out of the jitter buffer: those it played or refused. The most recently
   * freed is reused first, so a steady stream cycles through a few records whose memory stays in
   * cache (a ring over every slot the buffer could hold touched cold memory on each packet). Packets
   * the buffer drops silently (flushes, overwrites) are left to the garbage collector.
   */
  private readonly free: HeldPacket[] = [];
  private jitterBuffer: JitterBuffer<HeldPacket> | undefined;
  private jitterClockRate = 0;
  private readonly decoders = new Map<number, Codec>();
  /** The last payload type looked up and its codec: a stream's packets nearly all share one. */
  private lastPt = -1;
  private lastPtCodec: Codec | undefined;
  private lastCodec: Codec | undefined;
  private telephoneEventPt = -1;
  private telephoneEvents: TelephoneEventReceiver;
  private telephoneEventClockRate = 8000;
  /** Statistics of the current remote source (RFC 3550 §A.1): sequence and loss over every packet. */
  source: RtpReceiveStatistics | undefined;
  /** The clock rate `source` counts in. */
  private sourceClockRate = 8000;
  /** Interarrival jitter of the source's audio packets only (RFC 3550 §A.8). */
  readonly audioJitter = new AudioJitter();
  /** Counters summed over jitter buffers replaced on source or clock changes. */
  private readonly retired = { frames: 0, lost: 0, underruns: 0, late: 0, dropped: 0, duplicates: 0 };
  private readonly outputRate: number | undefined;
  private resampler: Resampler | undefined;
  private readonly frame: PlayoutFrame = { samples: new Int16Array(0), sampleRate: 8000, concealed: false };
  /** Packets whose payload type is neither a codec nor telephone-event. */
  unknownPayloadTypes = 0;
  /** Total packets and payload octets accepted. */
  packets = 0;
  octets = 0;

  constructor(jitterOptions: Omit<JitterBufferOptions, 'clockRate'>, outputSampleRate: number | undefined) {
    this.jitterOptions = jitterOptions;
    this.outputRate = outputSampleRate;
    this.telephoneEvents = new TelephoneEventReceiver();
  }

  /**
   * Sets the payload formats accepted (re-negotiation keeps earlier formats whose payload type is
   * not reused, so packets in flight under the old codec still decode).
   */
  setFormats(
    decoders: ReadonlyMap<number, Codec>,
    telephoneEvent: { payloadType: number; clockRate: number } | undefined,
  ): void {
    for (const [pt, codec] of decoders) {
      const old = this.decoders.get(pt);
      if (old !== undefined && old !== codec) old.destroy();
      this.decoders.set(pt, codec);
    }
    this.lastPt = -1;
    if (telephoneEvent === undefined) this.telephoneEventPt = -1;
    else {
      this.telephoneEventPt = telephoneEvent.payloadType;
      if (telephoneEvent.clockRate !== this.telephoneEventClockRate) {
        this.telephoneEventClockRate = telephoneEvent.clockRate;
        this.telephoneEvents = new TelephoneEventReceiver({ clockRate: telephoneEvent.clockRate });
      }
    }
  }

  private decoder(payloadType: number): Codec | undefined {
    if (payloadType !== this.lastPt) {
      this.lastPt = payloadType;
      this.lastPtCodec = this.decoders.get(payloadType);
    }
    return this.lastPtCodec;
  }

  /** The codecs this receiver can decode, by payload type. */
  get formats(): ReadonlyMap<number, Codec> {
    return this.decoders;
  }

  /** Starts a new remote source (RFC 3550 §8.2: a new SSRC is a new stream): fresh statistics and buffer. */
  newSource(ssrc: number, clockRate: number): void {
    this.source = new RtpReceiveStatistics({ ssrc, clockRate });
    this.sourceClockRate = clockRate;
    this.audioJitter.reset();
    this.retireJitterBuffer();
    for (const codec of this.decoders.values()) codec.reset();
  }

  private retireJitterBuffer(): void {
    const jb = this.jitterBuffer;
    if (jb === undefined) return;
    const s = jb.statistics;
    const r = this.retired;
    r.frames += s.frames;
    r.lost += s.lost;
    r.underruns += s.underruns;
    r.late += s.late;
    r.dropped += s.dropped;
    r.duplicates += s.duplicates;
    this.jitterBuffer = undefined;
  }

  /** The clock rate of a payload type, if it is one we receive (or comfort noise, counted but not played). */
  clockRateOf(payloadType: number): number | undefined {
    if (payloadType === this.telephoneEventPt) return this.telephoneEventClockRate;
    const rate = this.decoder(payloadType)?.clockRate;
    return rate === undefined && payloadType === COMFORT_NOISE_PT ? 8000 : rate;
  }

  /**
   * Accounts for a packet of the current source: every packet for the sequence and loss figures
   * (RFC 3550 §A.1), audio packets alone for the interarrival jitter (§A.8): telephone events
   * repeat their start timestamp over the event (RFC 4733 §2.5.1.2) and comfort noise is sent
   * at its own pace (RFC 3389 §4), so either would read as jitter.
   */
  account(packet: RtpPacket, nowMs: number): void {
    const source = this.source;
    if (source === undefined || !source.receive(packet.sequenceNumber, packet.timestamp, nowMs)) return;
    const codec = this.decoder(packet.payloadType);
    if (codec !== undefined && packet.payloadType !== this.telephoneEventPt)
      this.audioJitter.update(packet.timestamp, codec.clockRate, nowMs);
  }

  /** Interarrival jitter in the source's timestamp units, for RTCP report blocks (RFC 3550 §6.4.1). */
  get reportJitter(): number {
    return this.audioJitter.inUnits(this.sourceClockRate);
  }

  /** Accepts a parsed RTP packet (its payload is copied). */
  receive(packet: RtpPacket, nowMs: number): void {
    this.packets++;
    this.octets += packet.payload.length;
    const pt = packet.payloadType;
    if (pt === this.telephoneEventPt) {
      if (packet.payload.length >= 4) {
        this.telephoneEvents.receive(
          packet.timestamp,
          packet.marker,
          parseTelephoneEvent(packet.payload),
          nowMs,
        );
      }
      return;
    }
    const codec = this.decoder(pt);
    if (codec === undefined) {
      if (pt === COMFORT_NOISE_PT) return; // no CN decoder: the gap is concealed
      this.unknownPayloadTypes++;
      return;
    }
    if (this.jitterBuffer === undefined || this.jitterClockRate !== codec.clockRate) {
      this.retireJitterBuffer();
      this.jitterBuffer = new JitterBuffer<HeldPacket>({
        ...this.jitterOptions,
        clockRate: codec.clockRate,
        frameDurationMs: codec.frameDurationMs,
      });
      this.jitterClockRate = codec.clockRate;
    }
    const held = this.free.pop() ?? newHeldPacket();
    const length = packet.payload.length;
    if (held.storage.length < length)
      held.storage = new Uint8Array(Math.max(length, 64, held.storage.length * 2));
    held.storage.set(packet.payload);
    if (held.payload.buffer !== held.storage.buffer || held.payload.length !== length) {
      held.payload = held.storage.subarray(0, length);
    }
    held.sequenceNumber = packet.sequenceNumber;
    held.timestamp = packet.timestamp;
    held.marker = packet.marker;
    held.payloadType = pt;
    const result = this.jitterBuffer.push(held, nowMs);
    // Refused, so not referenced by the buffer: reusable at once.
    if (result === 'duplicate' || result === 'late') this.free.push(held);
  }

  /** The next RFC 4733 event that ended (or timed out) by `nowMs`. */
  pollTelephoneEvent(nowMs: number): ReceivedTelephoneEvent | undefined {
    return this.telephoneEvents.poll(nowMs);
  }

  /** When a telephone event in progress times out, if one is. */
  nextTelephoneEventTimeoutMs(): number | undefined {
    return this.telephoneEvents.nextTimeoutMs();
  }

  /**
   * The next playout frame due at `nowMs` (decoded, or concealed for a gap), or `undefined`.
   * The frame is reused by the next call, its samples by the next playout of any receiver. With `decode` false, gaps and frames are consumed
   * without decoding and `undefined`-free frames of zero length are returned.
   */
  playout(nowMs: number, decode: boolean): PlayoutFrame | undefined {
    const jb = this.jitterBuffer;
    if (jb === undefined) return undefined;
    const out = jb.pop(nowMs);
    if (out === undefined) return undefined;
    const frame = this.frame;
    if (out.kind === 'frame') {
      // Taken out of the buffer: free again (nothing takes a record before the decode below).
      const held = out.packet;
      this.free.push(held);
      const codec = this.decoder(held.payloadType);
      if (codec === undefined) return this.playout(nowMs, decode);
      this.lastCodec = codec;
      frame.concealed = false;
      if (!decode) return this.emptyFrame(codec.sampleRate);
      return this.output(codec.decode(held.payload, decodeScratch), codec.sampleRate);
    }
    const codec = this.lastCodec;
    frame.concealed = true;
    if (codec === undefined) return this.playout(nowMs, decode);
    if (!decode) return this.emptyFrame(codec.sampleRate);
    return this.output(codec.conceal(undefined, decodeScratch), codec.sampleRate);
  }

  private emptyFrame(rate: number): PlayoutFrame {
    this.frame.samples = NO_SAMPLES;
    this.frame.sampleRate = rate;
    return this.frame;
  }

  private output(pcm: Int16Array, rate: number): PlayoutFrame {
    const frame = this.frame;
    const target = this.outputRate;
    if (target === undefined || target === rate) {
      frame.samples = pcm;
      frame.sampleRate = rate;
      return frame;
    }
    if (this.resampler === undefined || this.resampler.inputRate !== rate) {
      this.resampler = createResampler(rate, target);
    }
    const need = this.resampler.outputLength(pcm.length);
    if (resampleScratch.length < need) resampleScratch = new Int16Array(need * 2);
    const n = this.resampler.process(pcm, resampleScratch);
    frame.samples = resampleScratch.subarray(0, n);
    frame.sampleRate = target;
    return frame;
  }

  /** Jitter-buffer counters, summed over the buffers this receiver used. */
  jitterStatistics(): JitterBufferStatistics {
    const r = this.retired;
    const s = this.jitterBuffer?.statistics;
    return {
      frames: r.frames + (s?.frames ?? 0),
      lost: r.lost + (s?.lost ?? 0),
      underruns: r.underruns + (s?.underruns ?? 0),
      late: r.late + (s?.late ?? 0),
      dropped: r.dropped + (s?.dropped ?? 0),
      duplicates: r.duplicates + (s?.duplicates ?? 0),
      targetDelayMs: s?.targetDelayMs ?? 0,
      currentDelayMs: s?.currentDelayMs ?? 0,
      jitterMs: s?.jitterMs ?? 0,
      buffered: s?.buffered ?? 0,
    };
  }

  /** Frees the decoders (Opus WASM memory). */
  destroy(): void {
    for (const codec of this.decoders.values()) codec.destroy();
    this.decoders.clear();
    this.lastPt = -1;
  }
}
