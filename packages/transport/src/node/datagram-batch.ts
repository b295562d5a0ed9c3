/**
 * Datagrams gathered per event-loop turn: the datagrams read in one poll phase are handed on
 * together right after it, and the datagrams that work produces leave together at its end.
 *
 * Why: every `recvmsg`/`sendmsg` enters the kernel, and on hosts that isolate kernel page tables
 * (PTI) or run under a hypervisor, the code that runs right after a system call starts with cold
 * TLBs and caches. Interleaving each datagram's work (a SIP transaction, a media stream's jitter
 * buffer and codec) with a system call made that work cost several times what it costs in a loop;
 * run back to back, the work stays warm, and so do the sends.
 * @module
 */
import type { RemoteInfo, Socket } from 'node:dgram';

/** Octets of each send slab; a datagram larger than this gets a buffer of its own. */
const SLAB_SIZE = 64 * 1024;

/**
 * Outgoing datagrams copied into a slab and sent at {@link flush}. A datagram's bytes are copied
 * when added, so the caller may reuse its buffer at once; slabs are never rewritten (a send that
 * the kernel defers still holds its bytes), a full one is replaced by a new one.
 */
export class SendBatch {
  private readonly sockets: Socket[] = [];
  private readonly datagrams: Uint8Array[] = [];
  private readonly ports: number[] = [];
  private readonly addresses: string[] = [];
  private slab = new Uint8Array(SLAB_SIZE);
  private offset = 0;

  /** Datagrams waiting. */
  get size(): number {
    return this.datagrams.length;
  }

  /** Queues a copy of `bytes` to `address`:`port` from `socket`. */
  add(socket: Socket, bytes: Uint8Array, port: number, address: string): void {
    const n = bytes.length;
    let copy: Uint8Array;
    if (n > SLAB_SIZE >>> 4) copy = bytes.slice();
    else {
      if (this.offset + n > SLAB_SIZE) {
        this.slab = new Uint8Array(SLAB_SIZE);
        this.offset = 0;
      }
      copy = this.slab.subarray(this.offset, this.offset + n);
      copy.set(bytes);
      // 8-octet alignment keeps each datagram's copy on its own words.
      this.offset += (n + 7) & ~7;
    }
    this.sockets.push(socket);
    this.datagrams.push(copy);
    this.ports.push(port);
    this.addresses.push(address);
  }

  /**
   * Sends every queued datagram, in the order added; returns how many. A send that throws (a
   * socket closed meanwhile) loses its datagram only; the first such error is thrown afterwards.
   */
  flush(): number {
    const n = this.datagrams.length;
    let failure: { error: unknown } | undefined;
    for (let i = 0; i < n; i++) {
      try {
        this.sockets[i].send(this.datagrams[i], this.ports[i], this.addresses[i]);
      } catch (error) {
        failure ??= { error };
      }
    }
    this.sockets.length = 0;
    this.datagrams.length = 0;
    this.ports.length = 0;
    this.addresses.length = 0;
    if (failure !== undefined) throw failure.error;
    return n;
  }
}

/**
 * Who a received datagram goes to, with the tag it was held with (e.g. which socket of a pair it
 * came from) and the time of the pass.
 */
export type InboundTarget<K> = (msg: Uint8Array, from: RemoteInfo, tag: K, nowMs: number) => void;

/**
 * Received datagrams held until the poll phase that read them is over (`setImmediate` runs right
 * after it), then handed on in arrival order with one timestamp: they were all read in that
 * phase, within a fraction of a millisecond.
 */
export class ReceiveBatch<K = undefined> {
  private readonly targets: InboundTarget<K>[] = [];
  private readonly messages: Uint8Array[] = [];
  private readonly sources: RemoteInfo[] = [];
  private readonly tags: K[] = [];
  private scheduled = false;
  private readonly run: () => void;

  /**
   * @param drain called once per event-loop turn that received something, with a function that
   *   hands every held datagram on (the driver wraps it in its send batch).
   * @param now the clock (ms) that stamps a pass (default: none, 0).
   */
  constructor(drain: (deliverAll: () => void) => void, now: () => number = () => 0) {
    const deliverAll = () => {
      const nowMs = now();
      let failure: { error: unknown } | undefined;
      // The length is re-read: a target may hold more datagrams while we deliver.
      for (let i = 0; i < this.messages.length; i++) {
        try {
          this.targets[i](this.messages[i], this.sources[i], this.tags[i], nowMs);
        } catch (error) {
          // A throwing target (a bug) loses its datagram only; the error surfaces after the pass.
          failure ??= { error };
        }
      }
      this.targets.length = 0;
      this.messages.length = 0;
      this.sources.length = 0;
      this.tags.length = 0;
      if (failure !== undefined) throw failure.error;
    };
    this.run = () => {
      this.scheduled = false;
      drain(deliverAll);
    };
  }

  /** Holds a datagram for `target`; the pass is scheduled with the first one of a turn. */
  add(target: InboundTarget<K>, msg: Uint8Array, from: RemoteInfo, tag: K): void {
    this.targets.push(target);
    this.messages.push(msg);
    this.sources.push(from);
    this.tags.push(tag);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.run);
    }
  }

  /** Datagrams held. */
  get size(): number {
    return this.messages.length;
  }
}
