/**
 * The sending half of a media session: PCM frames in, RTP packets out (resampled, accumulated into
 * ptime frames, encoded in place into the buffer the output provides), RFC 4733 DTMF, and the
 * sender's counters.
 * @module
 */
import { type Codec, createCodec, opusOptionsFromFmtp, parseOpusFmtp } from '@tsvoip/codecs';
import { createResampler, type Resampler } from '@tsvoip/dsp';
import {
  RTP_HEADER_SIZE,
  RtpSendStatistics,
  type TelephoneEventPacket,
  telephoneEventPackets,
  writeTelephoneEvent,
} from '@tsvoip/rtp';
import type { MediaCodecConfig, TelephoneEventConfig } from './media-config.js';

/**
 * Where the sender builds its packets: it reserves a buffer, writes the RTP header and encodes the
 * payload in place (no copy between the encoder and the datagram that leaves), then commits.
 */
export interface RtpPacketOut {
  /**
   * A buffer for the next packet: `storage` of at least `capacity` octets, and `payload`, the view
   * of `storage` from {@link RTP_HEADER_SIZE} on. Valid until {@link commit}.
   */
  reserve(capacity: number): { readonly storage: Uint8Array; readonly payload: Uint8Array };
  /** The first `length` octets of the buffer last reserved are a packet: send it. */
  commit(length: number): void;
}

/** Largest RTP packet we build for a codec of unbounded payload (Opus at 60 ms fits). */
const PACKET_CAPACITY = 1500;
/** Capacity needed for a telephone event (RFC 4733 §2.3: a 4-octet payload). */
const EVENT_CAPACITY = RTP_HEADER_SIZE + 4;

/**
 * The largest packet a codec's frame can make: G.711 and G.722 code a frame in at most one octet
 * per sample (RFC 3551 §4.5.2, §4.5.14); Opus packets are bounded by the datagram.
 */
function packetCapacity(codec: Codec): number {
  return codec.name === 'opus' ? PACKET_CAPACITY : RTP_HEADER_SIZE + codec.frameSize * codec.channels;
}

/** Creates the codec of a negotiated format (Opus takes the remote's receive preferences, RFC 7587 §6.1). */
export function codecFor(config: MediaCodecConfig, ptime: number): Codec {
  if (config.name === 'opus') {
    const remote =
      config.remoteFmtp !== undefined ? opusOptionsFromFmtp(parseOpusFmtp(config.remoteFmtp)) : {};
    return createCodec('opus', { ...remote, channels: 1, ptime });
  }
  return createCodec(config.name, { ptime });
}

interface PendingDigit {
  digit: string;
  startMs: number;
}

/** One direction's RTP sender. */
export class RtpSender {
  /** Our SSRC. */
  readonly ssrc: number;
  /** Packet and octet counters (RFC 3550 §6.4.1). */
  readonly statistics: RtpSendStatistics;
  private codec!: Codec;
  private payloadType = 0;
  private frameTs = 160;
  private frameMs = 20;
  private sequence: number;
  /** RTP timestamp of the next audio frame. */
  private timestamp: number;
  private marker = true;
  private lastFrameMs: number | undefined;
  /** Media clock anchor for telephone events sent while no audio frame has been sent yet. */
  private dtmfAnchor: { ms: number; timestamp: number } | undefined;
  /** RTP timestamp where the last telephone event sent ends. */
  private lastEventEndTimestamp: number | undefined;
  private pcm = new Int16Array(0);
  private pcmLength = 0;
  private resampler: Resampler | undefined;
  private resampleOut = new Int16Array(0);
  private capacity = PACKET_CAPACITY;
  private telephoneEvent: TelephoneEventConfig | undefined;
  private readonly digits: PendingDigit[] = [];
  private eventPackets: TelephoneEventPacket[] = [];
  private eventIndex = 0;
  private eventStartMs = 0;
  private readonly dtmfDurationMs: number;
  private readonly dtmfPauseMs: number;
  private readonly dtmfIntervalMs: number;
  /** Last RTP timestamp sent and when, for sender reports. */
  private lastSentTimestamp = 0;
  private lastSentMs = 0;
  /** True once a packet was sent since the last RTCP report (RFC 3550 §6.3: we_sent). */
  sentSinceReport = false;

  constructor(
    ssrc: number,
    random: () => number,
    dtmf: { durationMs: number; pauseMs: number; intervalMs: number },
  ) {
    this.ssrc = ssrc >>> 0;
    this.statistics = new RtpSendStatistics(this.ssrc);
    // RFC 3550 §5.1: the initial sequence number and timestamp are random.
    this.sequence = Math.floor(random() * 0x10000);
    this.timestamp = Math.floor(random() * 0x100000000) >>> 0;
    this.dtmfDurationMs = dtmf.durationMs;
    this.dtmfPauseMs = dtmf.pauseMs;
    this.dtmfIntervalMs = dtmf.intervalMs;
  }

  /** The codec used to send. */
  get currentCodec(): Codec {
    return this.codec;
  }

  /** RTP timestamp of the media instant `now` (for sender reports, RFC 3550 §6.4.1). */
  rtpTimestampAt(nowMs: number): number {
    const clock = this.codec.clockRate;
    return (this.lastSentTimestamp + Math.round(((nowMs - this.lastSentMs) * clock) / 1000)) >>> 0;
  }

  /**
   * Switches to a new codec (re-negotiation): sequence numbers continue, the timestamp continues
   * when the clock rate is the same, the next packet carries the marker bit.
   */
  setCodec(codec: Codec, payloadType: number, telephoneEvent: TelephoneEventConfig | undefined): void {
    const previous = this.codec as Codec | undefined;
    if (previous !== undefined && previous.clockRate !== codec.clockRate) {
      this.timestamp = Math.round((this.timestamp * codec.clockRate) / previous.clockRate) >>> 0;
    }
    this.codec = codec;
    this.capacity = packetCapacity(codec);
    this.payloadType = payloadType;
    this.telephoneEvent = telephoneEvent;
    this.frameTs = codec.frameTimestampUnits;
    this.frameMs = codec.frameDurationMs;
    this.marker = true;
    this.pcmLength = 0;
    this.resampler = undefined;
    if (this.pcm.length < codec.frameSize * codec.channels * 4)
      this.pcm = new Int16Array(codec.frameSize * 4);
  }

  /**
   * Takes PCM at `sampleRate` (any length), resamples it to the codec rate and sends one packet per
   * complete frame. `send` false (hold, recvonly) advances the media clock without sending.
   */
  pushAudio(
    samples: Int16Array,
    sampleRate: number,
    nowMs: number,
    muted: boolean,
    send: boolean,
    out: RtpPacketOut,
  ): void {
    const codec = this.codec;
    let input = samples;
    if (sampleRate !== codec.sampleRate) {
      if (this.resampler === undefined || this.resampler.inputRate !== sampleRate) {
        this.resampler = createResampler(sampleRate, codec.sampleRate);
      }
      const need = this.resampler.outputLength(samples.length);
      if (this.resampleOut.length < need) this.resampleOut = new Int16Array(need * 2);
      const n = this.resampler.process(samples, this.resampleOut);
      input = this.resampleOut.subarray(0, n);
    }
    // The usual call: exactly one frame at the codec rate and nothing pending; encode in place.
    if (this.pcmLength === 0 && input.length === codec.frameSize && !muted) {
      this.sendFrame(input, nowMs, send, out);
      return;
    }
    if (this.pcmLength + input.length > this.pcm.length) {
      const grown = new Int16Array((this.pcmLength + input.length) * 2);
      grown.set(this.pcm.subarray(0, this.pcmLength));
      this.pcm = grown;
    }
    this.pcm.set(input, this.pcmLength);
    this.pcmLength += input.length;
    const frameSize = codec.frameSize;
    let offset = 0;
    while (this.pcmLength - offset >= frameSize) {
      const frame = this.pcm.subarray(offset, offset + frameSize);
      if (muted) frame.fill(0);
      this.sendFrame(frame, nowMs, send, out);
      offset += frameSize;
    }
    if (offset > 0) {
      this.pcm.copyWithin(0, offset, this.pcmLength);
      this.pcmLength -= offset;
    }
  }

  private sendFrame(frame: Int16Array, nowMs: number, send: boolean, out: RtpPacketOut): void {
    // After a pause in the stream (hold, no audio), the timestamp follows the elapsed time and the
    // marker bit flags a new talkspurt (RFC 3551 §4.1).
    if (this.lastFrameMs !== undefined && nowMs - this.lastFrameMs > 3 * this.frameMs) {
      const elapsed = Math.round(((nowMs - this.lastFrameMs - this.frameMs) * this.codec.clockRate) / 1000);
      this.timestamp = (this.timestamp + elapsed) >>> 0;
      this.marker = true;
    }
    this.lastFrameMs = nowMs;
    const timestamp = this.timestamp;
    this.timestamp = (this.timestamp + this.frameTs) >>> 0;
    // RFC 4733 §2.6: the audio of the instants carried by a telephone event is not sent.
    if (!send || this.eventPackets.length > 0) {
      this.marker = true;
      return;
    }
    const packet = out.reserve(this.capacity);
    const payload = this.codec.encode(frame, packet.payload);
    this.emit(packet.storage, this.payloadType, this.marker, timestamp, payload.length, nowMs, out);
    this.marker = false;
  }

  private emit(
    buf: Uint8Array,
    payloadType: number,
    marker: boolean,
    timestamp: number,
    payloadLength: number,
    nowMs: number,
    out: RtpPacketOut,
  ): void {
    // RFC 3550 §5.1: V=2, no padding, no extension, no CSRC.
    const seq = this.sequence;
    this.sequence = (seq + 1) & 0xffff;
    buf[0] = 0x80;
    buf[1] = (marker ? 0x80 : 0) | payloadType;
    buf[2] = seq >>> 8;
    buf[3] = seq & 0xff;
    buf[4] = timestamp >>> 24;
    buf[5] = (timestamp >>> 16) & 0xff;
    buf[6] = (timestamp >>> 8) & 0xff;
    buf[7] = timestamp & 0xff;
    const ssrc = this.ssrc;
    buf[8] = ssrc >>> 24;
    buf[9] = (ssrc >>> 16) & 0xff;
    buf[10] = (ssrc >>> 8) & 0xff;
    buf[11] = ssrc & 0xff;
    this.statistics.sent(payloadLength);
    this.sentSinceReport = true;
    if (payloadType === this.payloadType) {
      this.lastSentTimestamp = timestamp;
      this.lastSentMs = nowMs;
    }
    out.commit(RTP_HEADER_SIZE + payloadLength);
  }

  /** Queues DTMF digits, sent one after the other as RFC 4733 events. */
  queueDigits(digits: string, nowMs: number): void {
    let start = Math.max(nowMs, this.queueEndMs());
    for (const digit of digits) {
      this.digits.push({ digit, startMs: start });
      start += this.dtmfDurationMs + this.dtmfPauseMs;
    }
  }

  private queueEndMs(): number {
    const last = this.digits[this.digits.length - 1];
    if (last !== undefined) return last.startMs + this.dtmfDurationMs + this.dtmfPauseMs;
    if (this.eventPackets.length > 0) return this.eventStartMs + this.dtmfDurationMs + this.dtmfPauseMs;
    return 0;
  }

  /** True when telephone events are negotiated. */
  get canSendDtmf(): boolean {
    return this.telephoneEvent !== undefined;
  }

  /** When the next DTMF packet is due, if any. */
  nextDtmfMs(): number | undefined {
    if (this.eventIndex < this.eventPackets.length) return this.eventPackets[this.eventIndex].sendTimeMs;
    return this.digits[0]?.startMs;
  }

  /** Sends the DTMF packets due at `nowMs`. */
  pollDtmf(nowMs: number, send: boolean, out: RtpPacketOut): void {
    const te = this.telephoneEvent;
    for (;;) {
      if (this.eventIndex >= this.eventPackets.length) {
        this.eventPackets = [];
        this.eventIndex = 0;
        const next = this.digits[0];
        if (next === undefined || next.startMs > nowMs || te === undefined) return;
        this.digits.shift();
        this.eventStartMs = next.startMs;
        // RFC 4733 §2.5.1.1: the event's timestamp is the media instant it starts, on the audio
        // frame clock whether or not frames were sent (audio is not sent during an event, §2.6).
        // Without audio the clock still runs: successive digits get timestamps as far apart as
        // their start instants, so a receiver sees each as a new event.
        let startTimestamp: number;
        if (this.lastFrameMs !== undefined) {
          const sinceFrame = Math.round(((next.startMs - this.lastFrameMs) * te.clockRate) / 1000);
          startTimestamp = (this.timestamp - this.frameTs + sinceFrame) >>> 0;
        } else {
          this.dtmfAnchor ??= { ms: next.startMs, timestamp: this.timestamp };
          const elapsed = Math.round(((next.startMs - this.dtmfAnchor.ms) * te.clockRate) / 1000);
          startTimestamp = (this.dtmfAnchor.timestamp + elapsed) >>> 0;
        }
        // A receiver takes an older timestamp for a late packet of an earlier event (§2.5.2.1), so
        // an event never starts before the previous one ended (audio may start between two digits).
        const afterPrevious = this.lastEventEndTimestamp;
        if (afterPrevious !== undefined && ((startTimestamp - afterPrevious) | 0) <= 0) {
          startTimestamp = (afterPrevious + Math.round((this.dtmfPauseMs * te.clockRate) / 1000)) >>> 0;
        }
        this.lastEventEndTimestamp =
          (startTimestamp + Math.round((this.dtmfDurationMs * te.clockRate) / 1000)) >>> 0;
        this.eventPackets = telephoneEventPackets({
          event: next.digit,
          startTimestamp,
          startTimeMs: next.startMs,
          durationMs: this.dtmfDurationMs,
          packetIntervalMs: this.dtmfIntervalMs,
          clockRate: te.clockRate,
        });
      }
      const p = this.eventPackets[this.eventIndex];
      if (p.sendTimeMs > nowMs) return;
      this.eventIndex++;
      if (!send || te === undefined) continue;
      const buf = out.reserve(EVENT_CAPACITY).storage;
      const n = writeTelephoneEvent(p.payload, buf, RTP_HEADER_SIZE);
      this.emit(buf, te.payloadType, p.marker, p.timestamp, n, nowMs, out);
    }
  }
}
