/**
 * The output queue of a media session: datagrams, audio frames and events, in order, with the
 * records of datagrams and frames pooled so that steady-state operation does not allocate.
 * @module
 */
import type { SrtpContext, TransportAddress } from '@tsvoip/rtp';
import { Fifo } from './fifo.js';
import type { AudioOutput, MediaChannel, MediaEvent, MediaOutput, TransmitOutput } from './media-types.js';
import type { PlayoutFrame } from './rtp-receiver.js';

interface TransmitRecord extends TransmitOutput {
  storage: Uint8Array;
}

interface AudioRecord extends AudioOutput {
  storage: Int16Array;
}

/**
 * Datagram records are recycled first-in first-out from a pool of at least this many, so a
 * datagram's bytes are rewritten only after this many newer datagrams (time for a socket to send).
 */
export const TRANSMIT_POOL = 16;

/** Ordered outputs with pooled records; what {@link poll} returns is valid until the next `poll`. */
export class MediaOutputs {
  private readonly queue = new Fifo<MediaOutput>(64);
  private readonly transmitPool = new Fifo<TransmitRecord>(TRANSMIT_POOL * 2);
  private readonly audioPool = new Fifo<AudioRecord>(8);
  private lastReturned: MediaOutput | undefined;

  constructor() {
    for (let i = 0; i < TRANSMIT_POOL; i++) this.transmitPool.push(newTransmitRecord());
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
    const record = this.transmitPool.shift() ?? newTransmitRecord();
    record.channel = channel;
    record.address = to.address;
    record.port = to.port;
    if (srtp !== undefined) {
      record.bytes = channel === 'rtp' ? srtp.protectRtp(bytes) : srtp.protectRtcp(bytes);
    } else {
      if (record.storage.length < bytes.length) record.storage = new Uint8Array(bytes.length);
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
    let record = this.audioPool.shift();
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

function newTransmitRecord(): TransmitRecord {
  const storage = new Uint8Array(1500);
  return { type: 'transmit', channel: 'rtp', address: '', port: 0, bytes: storage.subarray(0, 0), storage };
}
