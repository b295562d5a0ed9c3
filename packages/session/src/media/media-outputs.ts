/**
 * The output queue of a media session: datagrams, audio frames and events, in order, with the
 * records of datagrams and frames pooled so that steady-state operation does not allocate.
 * RTP packets are built in place in a datagram record ({@link MediaOutputs.reserve}): the bytes
 * the encoder writes are the bytes that leave, and a session's records share one small buffer,
 * so a packet touches few cache lines.
 * @module
 */
import { RTP_HEADER_SIZE, type SrtpContext, type TransportAddress } from '@tsvoip/rtp';
import { Fifo } from './fifo.js';
import type { AudioOutput, MediaChannel, MediaEvent, MediaOutput, TransmitOutput } from './media-types.js';
import type { PlayoutFrame } from './rtp-receiver.js';

interface TransmitRecord extends TransmitOutput {
  storage: Uint8Array;
  /** `storage` from the RTP payload offset on, for encoding in place. */
  payload: Uint8Array;
}

interface AudioRecord extends AudioOutput {
  storage: Int16Array;
}

/**
 * Datagram records are recycled first-in first-out from a pool of at least this many, so a
 * datagram's bytes are rewritten only after this many newer datagrams (time for a socket to send).
 */
export const TRANSMIT_POOL = 16;
/**
 * Octets of each pooled record in the session's shared buffer: a 20 ms G.711 packet (172) fits; a
 * larger datagram gets a buffer of its own.
 */
const RECORD_SIZE = 256;

/** Ordered outputs with pooled records; what {@link poll} returns is valid until the next `poll`. */
export class MediaOutputs {
  private readonly queue = new Fifo<MediaOutput>(64);
  private readonly transmitPool = new Fifo<TransmitRecord>(TRANSMIT_POOL * 2);
  /** Reused most-recently-freed first: a steady stream cycles through one record that stays warm. */
  private readonly audioPool: AudioRecord[] = [];
  private lastReturned: MediaOutput | undefined;
  /** The record {@link reserve} handed out, until {@link commit} queues it. */
  private reserved: TransmitRecord | undefined;

  constructor() {
    const slab = new ArrayBuffer(TRANSMIT_POOL * RECORD_SIZE);
    for (let i = 0; i < TRANSMIT_POOL; i++)
      this.transmitPool.push(newTransmitRecord(new Uint8Array(slab, i * RECORD_SIZE, RECORD_SIZE)));
  }

  /** The next output, or `undefined`; recycles the record returned by the previous call. */
  poll(): MediaOutput | undefined {
    const last = this.lastReturned;
    if (last !== undefined) {
      if (last.type === 'transmit') this.transmitPool.push(last as TransmitRecord);
      else if (last.type === 'audio') this.audioPool.push(last as AudioRecord);
    }
    const next = this.queue.shift();
    this.lastReturned = next;
    return next;
  }

  /**
   * The record the next datagram goes in, its storage at least `capacity` octets long: write an
   * RTP packet into `storage` (its payload into `payload`), then {@link commit} it.
   */
  reserve(capacity: number): TransmitRecord {
    let record = this.reserved;
    if (record === undefined) {
      record = this.transmitPool.shift() ?? newTransmitRecord(new Uint8Array(RECORD_SIZE));
      this.reserved = record;
    }
    if (record.storage.length < capacity) {
      record.storage = new Uint8Array(capacity);
      record.payload = record.storage.subarray(RTP_HEADER_SIZE);
    }
    return record;
  }

  /** Queues the first `length` octets of the record last {@link reserve}d as a datagram to `to`. */
  commit(channel: MediaChannel, to: TransportAddress, length: number): void {
    const record = this.reserved;
    if (record === undefined) return;
    this.reserved = undefined;
    record.channel = channel;
    record.address = to.address;
    record.port = to.port;
    if (record.bytes.buffer !== record.storage.buffer || record.bytes.length !== length) {
      record.bytes = record.storage.subarray(0, length);
    }
    this.queue.push(record);
  }

  /** Queues an event. */
  event(event: MediaEvent): void {
    this.queue.push({ type: 'event', event });
  }

  /** Queues a datagram: a copy of `bytes`, or its SRTP/SRTCP protection when `srtp` is given. */
  transmit(
    channel: MediaChannel,
    to: TransportAddress,
    bytes: Uint8Array,
    srtp: SrtpContext | undefined,
  ): void {
    const record = this.transmitPool.shift() ?? newTransmitRecord(new Uint8Array(RECORD_SIZE));
    record.channel = channel;
    record.address = to.address;
    record.port = to.port;
    if (srtp !== undefined) {
      record.bytes = channel === 'rtp' ? srtp.protectRtp(bytes) : srtp.protectRtcp(bytes);
    } else {
      if (record.storage.length < bytes.length) {
        record.storage = new Uint8Array(bytes.length);
        record.payload = record.storage.subarray(RTP_HEADER_SIZE);
      }
      record.storage.set(bytes);
      if (record.bytes.buffer !== record.storage.buffer || record.bytes.length !== bytes.length) {
        record.bytes = record.storage.subarray(0, bytes.length);
      }
    }
    this.queue.push(record);
  }

  /** Queues a copy of a playout frame. */
  audio(frame: PlayoutFrame): void {
    const n = frame.samples.length;
    let record = this.audioPool.pop();
    if (record === undefined || record.storage.length < n) {
      const storage = new Int16Array(Math.max(n, 960));
      record = { type: 'audio', samples: storage, sampleRate: 0, concealed: false, storage };
    }
    record.storage.set(frame.samples);
    if (record.samples.buffer !== record.storage.buffer || record.samples.length !== n) {
      record.samples = record.storage.subarray(0, n);
    }
    record.sampleRate = frame.sampleRate;
    record.concealed = frame.concealed;
    this.queue.push(record);
  }
}

function newTransmitRecord(storage: Uint8Array): TransmitRecord {
  return {
    type: 'transmit',
    channel: 'rtp',
    address: '',
    port: 0,
    bytes: storage.subarray(0, 0),
    storage,
    payload: storage.subarray(RTP_HEADER_SIZE),
  };
}
