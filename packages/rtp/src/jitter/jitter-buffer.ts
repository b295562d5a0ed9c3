/**
 * Adaptive jitter buffer, sans-IO: `push(packet, arrivalTimeMs)` and `pop(nowMs)` on the caller's
 * clock. It reorders, drops duplicates, counts late packets, adapts its delay to the measured
 * jitter, signals gaps for loss concealment and resynchronises on talkspurts and stream restarts.
 * @module
 */
import { DelayEstimator } from './delay-estimator.js';

/** The fields the buffer needs from a packet (an {@link RtpPacket} has them). */
export interface JitterBufferPacket {
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
}

/** Options of {@link JitterBuffer}. */
export interface JitterBufferOptions {
  /** RTP clock rate, Hz. */
  clockRate: number;
  /** Packet duration assumed until measured from the stream, ms. Default 20. */
  frameDurationMs?: number;
  /** Lower bound of the target delay, ms. Default 20. */
  minDelayMs?: number;
  /** Upper bound of the target delay, ms. Default 400. */
  maxDelayMs?: number;
  /** Target delay before any jitter was measured, ms. Default 60. */
  initialDelayMs?: number;
  /** k in target = clamp(k * jitter, min, max). Default 3. */
  jitterFactor?: number;
  /** Fraction of excess target delay removed per packet. Default 1/256. */
  shrinkRate?: number;
  /** An underrun longer than this (ms) makes the buffer idle; the next packet re-anchors. Default 200. */
  maxUnderrunMs?: number;
  /** A sequence jump larger than this, confirmed by the next packet, restarts the stream. Default 100. */
  maxSequenceJump?: number;
}

/** Why a gap is signalled. */
export type JitterBufferGapReason =
  /** The packet of this slot is missing while later ones are present: conceal it. */
  | 'loss'
  /** The buffer ran dry while a frame was due: conceal; the playout point slips by one frame. */
  | 'underrun'
  /** The target delay grew: one concealment frame is inserted before the next packet. */
  | 'expand';

/** A packet due for playout. */
export interface JitterBufferFrame<T> {
  kind: 'frame';
  packet: T;
  /** Scheduled playout time, ms (on the caller's clock). */
  playoutTimeMs: number;
}

/** A slot to fill by loss concealment. */
export interface JitterBufferGap {
  kind: 'gap';
  reason: JitterBufferGapReason;
  /** Sequence number of the missing packet ('loss'), or of the next packet to play. */
  sequenceNumber: number;
  /** RTP timestamp of the slot. */
  timestamp: number;
  /** Length of the slot in timestamp units. */
  durationTs: number;
  /** Scheduled playout time, ms. */
  playoutTimeMs: number;
}

/**
 * What {@link JitterBuffer.pop} returns. The object is owned by the buffer and overwritten by the
 * next `pop`: copy what you keep.
 */
export type JitterBufferOutput<T> = JitterBufferFrame<T> | JitterBufferGap;

/** What happened to a pushed packet. */
export type JitterBufferPushResult =
  | 'buffered'
  | 'duplicate'
  /** Arrived after its slot was played out (or concealed); discarded. */
  | 'late'
  /** A large sequence jump, held until the next packet confirms a restart. */
  | 'held'
  /** Confirmed restart: the buffer was flushed and re-anchored. */
  | 'resynchronized';

/** Counters of a {@link JitterBuffer}. */
export interface JitterBufferStatistics {
  /** Frames returned. */
  frames: number;
  /** 'loss' gaps returned. */
  lost: number;
  /** Underrun episodes (the buffer ran dry while playing). */
  underruns: number;
  /** Packets discarded because they arrived after their slot. */
  late: number;
  /** Packets discarded to shrink the delay, flushed at a restart, or unconfirmed jumps. */
  dropped: number;
  /** Duplicate packets discarded. */
  duplicates: number;
  /** Current target buffering delay, ms. */
  targetDelayMs: number;
  /** Current buffering delay of the playout point above the fastest recent packet, ms. */
  currentDelayMs: number;
  /** Smoothed interarrival jitter, ms. */
  jitterMs: number;
  /** Packets currently held. */
  buffered: number;
}

type State = 'empty' | 'playing' | 'idle';

/** Fields of a slot in `slotData` (a power of two: 32 octets, two slots to a cache line). */
const SLOT_FIELDS = 4;
const SEQ = 0;
const TS = 1;
const DONE = 2;

/** Adaptive jitter buffer for one RTP source. */
export class JitterBuffer<T extends JitterBufferPacket> {
  private readonly msPerTs: number;
  private readonly maxUnderrunMs: number;
  private readonly maxSequenceJump: number;
  private readonly mask: number;
  private readonly slots: (T | undefined)[];
  /**
   * Per slot, side by side so that one slot's fields share a cache line: its extended sequence
   * number, extended timestamp, and 1 when the slot's packet was played (or dropped), to tell a
   * late duplicate from a late packet.
   */
  private readonly slotData: Float64Array;
  private readonly estimator: DelayEstimator;
  private state: State = 'empty';
  private count = 0;
  /** Extended sequence number of the next slot to play. */
  private nextSeq = 0;
  /** Extended timestamp of the next slot to play. */
  private nextTs = 0;
  /** Timestamp units per packet. */
  private frameTs: number;
  /** Reference for timestamp unwrapping: raw and extended. */
  private refTs = 0;
  private refTsExt = 0;
  /** Playout offset: playout time = extended timestamp in ms + offset. */
  private offsetMs = 0;
  private lastPushedSeq = -1;
  private lastPushedTs = 0;
  private underrunStartMs: number | undefined;
  private anchoredSeq = -1;
  private held: T | undefined;
  private heldArrivalMs = 0;
  private readonly frameOut: JitterBufferFrame<T>;
  private readonly gapOut: JitterBufferGap;
  private readonly counters = { frames: 0, lost: 0, underruns: 0, late: 0, dropped: 0, duplicates: 0 };

  constructor(options: JitterBufferOptions) {
    this.msPerTs = 1000 / options.clockRate;
    this.frameTs = Math.max(1, Math.round((options.frameDurationMs ?? 20) / this.msPerTs));
    this.maxUnderrunMs = options.maxUnderrunMs ?? 200;
    this.maxSequenceJump = options.maxSequenceJump ?? 100;
    let capacity = 64;
    // Slots behind nextSeq (for duplicate detection) and ahead of it must not collide.
    while (capacity <= 2 * this.maxSequenceJump) capacity *= 2;
    this.mask = capacity - 1;
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
    this.slotData = new Float64Array(capacity * SLOT_FIELDS);
    this.estimator = new DelayEstimator({
      minDelayMs: options.minDelayMs ?? 20,
      maxDelayMs: options.maxDelayMs ?? 400,
      initialDelayMs: options.initialDelayMs ?? 60,
      jitterFactor: options.jitterFactor ?? 3,
      shrinkRate: options.shrinkRate ?? 1 / 256,
      baselineWindow: 128,
    });
    this.frameOut = { kind: 'frame', packet: undefined as unknown as T, playoutTimeMs: 0 };
    this.gapOut = {
      kind: 'gap',
      reason: 'loss',
      sequenceNumber: 0,
      timestamp: 0,
      durationTs: 0,
      playoutTimeMs: 0,
    };
  }

  /** Current counters and delays. */
  get statistics(): JitterBufferStatistics {
    return {
      ...this.counters,
      targetDelayMs: this.estimator.targetMs,
      currentDelayMs: this.state === 'playing' ? this.offsetMs - this.estimator.baselineMs : 0,
      jitterMs: this.estimator.jitterMs,
      buffered: this.count,
    };
  }

  private unwrapTs(ts: number): number {
    const ext = this.refTsExt + ((ts - this.refTs) | 0);
    this.refTs = ts >>> 0;
    this.refTsExt = ext;
    return ext;
  }

  private desiredOffsetMs(): number {
    return this.estimator.baselineMs + this.estimator.targetMs;
  }

  private flush(): void {
    for (let i = 0; i <= this.mask; i++) {
      if (this.slots[i] !== undefined) {
        this.slots[i] = undefined;
        this.counters.dropped++;
      }
      this.slotData[i * SLOT_FIELDS + DONE] = 0;
    }
    this.count = 0;
  }

  /** Anchors the stream on `packet`: its timestamp becomes extended 0, its sequence number `nextSeq`. */
  private start(packet: T, arrivalTimeMs: number): void {
    this.flush();
    this.state = 'playing';
    this.nextSeq = packet.sequenceNumber & 0xffff;
    this.refTs = packet.timestamp >>> 0;
    this.refTsExt = 0;
    this.nextTs = 0;
    this.lastPushedSeq = -1;
    this.underrunStartMs = undefined;
    this.anchoredSeq = this.nextSeq;
    this.estimator.resetBaseline();
    // Play the first packet at arrival + current target (its timestamp is extended 0).
    this.offsetMs = arrivalTimeMs + this.estimator.targetMs;
    this.store(packet, this.nextSeq, arrivalTimeMs);
  }

  private store(packet: T, ext: number, arrivalTimeMs: number): void {
    const tsExt = this.unwrapTs(packet.timestamp);
    const slot = ext & this.mask;
    this.slots[slot] = packet;
    this.slotData[slot * SLOT_FIELDS + SEQ] = ext;
    this.slotData[slot * SLOT_FIELDS + TS] = tsExt;
    this.slotData[slot * SLOT_FIELDS + DONE] = 0;
    this.count++;
    this.estimator.update(arrivalTimeMs - tsExt * this.msPerTs);
    // Packet duration from consecutive packets; a marker starts a talkspurt after silence, skip it.
    if (ext === this.lastPushedSeq + 1 && !packet.marker) {
      const delta = tsExt - this.lastPushedTs;
      if (delta > 0 && delta * this.msPerTs <= 200) this.frameTs = delta;
    }
    this.lastPushedSeq = ext;
    this.lastPushedTs = tsExt;
  }

  /** Adds a packet received at `arrivalTimeMs`. */
  push(packet: T, arrivalTimeMs: number): JitterBufferPushResult {
    const seq = packet.sequenceNumber & 0xffff;
    const ext = this.nextSeq + (((seq - this.nextSeq) << 16) >> 16);
    const diff = ext - this.nextSeq;
    // Idle (or new): any packet anchors the stream, except a straggler of what was already played.
    if (this.state === 'empty' || (this.state === 'idle' && (diff >= 0 || diff < -this.maxSequenceJump))) {
      this.start(packet, arrivalTimeMs);
      return 'buffered';
    }
    if (diff < -this.maxSequenceJump || diff > this.maxSequenceJump) {
      // Like RFC 3550 §A.1: a large jump restarts the stream only when the next packet follows it.
      const held = this.held;
      if (held !== undefined && seq === ((held.sequenceNumber + 1) & 0xffff)) {
        this.held = undefined;
        this.start(held, this.heldArrivalMs);
        this.push(packet, arrivalTimeMs);
        return 'resynchronized';
      }
      if (held !== undefined) this.counters.dropped++;
      this.held = packet;
      this.heldArrivalMs = arrivalTimeMs;
      return 'held';
    }
    if (this.held !== undefined) {
      this.held = undefined;
      this.counters.dropped++;
    }
    const slot = ext & this.mask;
    if (diff < 0) {
      if (this.slotData[slot * SLOT_FIELDS + DONE] === 1 && this.slotData[slot * SLOT_FIELDS + SEQ] === ext) {
        this.counters.duplicates++;
        return 'duplicate';
      }
      // Its slot was concealed already; its delay still teaches the estimator.
      this.estimator.update(arrivalTimeMs - this.unwrapTs(packet.timestamp) * this.msPerTs);
      this.counters.late++;
      return 'late';
    }
    if (this.slots[slot] !== undefined && this.slotData[slot * SLOT_FIELDS + SEQ] === ext) {
      this.counters.duplicates++;
      return 'duplicate';
    }
    this.store(packet, ext, arrivalTimeMs);
    return 'buffered';
  }

  private gap(
    reason: JitterBufferGapReason,
    seq: number,
    tsExt: number,
    playoutTimeMs: number,
  ): JitterBufferGap {
    const g = this.gapOut;
    g.reason = reason;
    g.sequenceNumber = seq & 0xffff;
    g.timestamp = (this.refTs + (tsExt - this.refTsExt)) >>> 0;
    g.durationTs = this.frameTs;
    g.playoutTimeMs = playoutTimeMs;
    return g;
  }

  private take(slot: number): T {
    const packet = this.slots[slot] as T;
    this.slots[slot] = undefined;
    this.slotData[slot * SLOT_FIELDS + DONE] = 1;
    this.count--;
    this.nextSeq++;
    this.nextTs = this.slotData[slot * SLOT_FIELDS + TS] + this.frameTs;
    return packet;
  }

  /**
   * Returns the next output due at `nowMs`: a frame, a gap to conceal, or `undefined` when nothing
   * is due yet. Call it until it returns `undefined` at each playout tick.
   */
  pop(nowMs: number): JitterBufferOutput<T> | undefined {
    if (this.state !== 'playing') return undefined;
    const frameMs = this.frameTs * this.msPerTs;
    for (;;) {
      const slot = this.nextSeq & this.mask;
      const head = this.slots[slot];
      if (head !== undefined && this.slotData[slot * SLOT_FIELDS + SEQ] === this.nextSeq) {
        const headTs = this.slotData[slot * SLOT_FIELDS + TS];
        const desired = this.desiredOffsetMs();
        if (head.marker && this.anchoredSeq !== this.nextSeq) {
          // Talkspurt start: re-anchor the playout point on the target delay, in silence, but never
          // so early that it overlaps the slot already played.
          this.anchoredSeq = this.nextSeq;
          const earliest = this.nextTs * this.msPerTs + this.offsetMs - headTs * this.msPerTs;
          this.offsetMs = Math.max(desired, earliest);
        }
        const playout = headTs * this.msPerTs + this.offsetMs;
        if (playout > nowMs) return undefined;
        this.underrunStartMs = undefined;
        const nextSlot = (this.nextSeq + 1) & this.mask;
        const nextPresent =
          this.slots[nextSlot] !== undefined &&
          this.slotData[nextSlot * SLOT_FIELDS + SEQ] === this.nextSeq + 1;
        if (this.offsetMs - desired >= 2 * frameMs && nextPresent) {
          // Delay well above target: drop one frame to shrink it (the next frame takes this slot).
          this.take(slot);
          this.counters.dropped++;
          this.offsetMs -= frameMs;
          continue;
        }
        if (desired - this.offsetMs >= frameMs) {
          // Target grew: insert one concealment frame, which delays the rest by one frame.
          this.offsetMs += frameMs;
          return this.gap('expand', this.nextSeq, headTs, playout);
        }
        this.take(slot);
        this.counters.frames++;
        this.frameOut.packet = head;
        this.frameOut.playoutTimeMs = playout;
        return this.frameOut;
      }
      const slotTime = this.nextTs * this.msPerTs + this.offsetMs;
      if (slotTime > nowMs) return undefined;
      if (this.count > 0) {
        // A later packet is here: the one for this slot is lost (or late).
        const seq = this.nextSeq;
        const ts = this.nextTs;
        this.nextSeq++;
        this.nextTs += this.frameTs;
        this.counters.lost++;
        return this.gap('loss', seq, ts, slotTime);
      }
      if (this.underrunStartMs === undefined) {
        this.underrunStartMs = slotTime;
        this.counters.underruns++;
      } else if (slotTime - this.underrunStartMs >= this.maxUnderrunMs) {
        // Silence (DTX) or a stalled source: stop concealing; the next packet re-anchors.
        this.state = 'idle';
        return undefined;
      }
      // Nothing to play: conceal and let the playout point slip by one frame.
      this.offsetMs += frameMs;
      return this.gap('underrun', this.nextSeq, this.nextTs, slotTime);
    }
  }
}
