/**
 * Routing of datagrams that arrive on a UDP port shared by many streams (the driver's shared-port
 * mode) to the stream they belong to, by SSRC (RFC 3550 §8.2: the SSRC identifies a source within
 * the transport address it arrives on) and by the remote transport address each stream expects
 * media from. Pure bookkeeping: no sockets.
 * @module
 */
import type { TransportAddress } from '@tsvoip/rtp';
import type { MediaChannel } from './media-types.js';

/** What the demultiplexer knows of one stream. */
interface Entry {
  /** Key of the address RTP is expected from. */
  rtpKey: string | undefined;
  /** Key of the address RTCP is expected from (the RTP key with rtcp-mux). */
  rtcpKey: string | undefined;
  /** SSRC announced by signalling (RFC 5576 `a=ssrc`). */
  announced: number | undefined;
  /** SSRC learned from the first packet routed by address. */
  learned: number | undefined;
}

function keyOf(address: string, port: number): string {
  return `${port} ${address}`;
}

/** RTCP: from the RTCP port, or packet types 192-223 on a multiplexed port (RFC 5761 §4). */
function isRtcp(bytes: Uint8Array, channel: MediaChannel): boolean {
  return channel === 'rtcp' || (bytes.length > 1 && bytes[1] >= 192 && bytes[1] <= 223);
}

/**
 * The SSRC of the sender of a datagram: RTP header bytes 8-11 (RFC 3550 §5.1), or the first SSRC
 * of an RTCP packet, bytes 4-7 (§6.4); packet types 192-223 are RTCP on a multiplexed port (RFC
 * 5761 §4). `undefined` when the datagram is too short to carry one.
 */
export function senderSsrc(bytes: Uint8Array, channel: MediaChannel): number | undefined {
  const rtcp = isRtcp(bytes, channel);
  const at = rtcp ? 4 : 8;
  if (bytes.length < at + 4) return undefined;
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

/**
 * Finds the stream of each datagram arriving on one shared port (and its RTCP neighbour).
 *
 * A datagram goes to the stream that announced or learned its SSRC. Otherwise it goes to the
 * stream that expects media from its source address, if that is unambiguous: the only stream
 * expecting that address, or the only one of them with no SSRC yet; that stream then learns the
 * SSRC (an SSRC change of a source replaces what was learned). Anything else is unmatched and
 * dropped: several calls from one remote address (another shared-port peer, a media server) need
 * announced SSRCs, and media from an address nobody signalled (a NAT) is matched only by an
 * announced SSRC. Symmetric-RTP latching (RFC 4961) stays the stream's own decision: a known SSRC
 * from a new address is routed to its stream, whose latch accepts or rejects it.
 */
export class SharedPortDemux<T> {
  private readonly entries = new Map<T, Entry>();
  private readonly bySsrc = new Map<number, T>();
  private readonly byRtpAddress = new Map<string, T[]>();
  private readonly byRtcpAddress = new Map<string, T[]>();
  /** Datagrams no stream could be found for. */
  unmatched = 0;

  /** Streams registered. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Registers a stream, or updates where its media is expected from (`rtp`, `rtcp`: the signalled
   * or latched remote addresses; `undefined` before negotiation) and its announced remote SSRC.
   */
  set(
    stream: T,
    rtp: TransportAddress | undefined,
    rtcp: TransportAddress | undefined,
    announcedSsrc: number | undefined,
  ): void {
    let entry = this.entries.get(stream);
    if (entry === undefined) {
      entry = { rtpKey: undefined, rtcpKey: undefined, announced: undefined, learned: undefined };
      this.entries.set(stream, entry);
    }
    const rtpKey = rtp === undefined ? undefined : keyOf(rtp.address, rtp.port);
    const rtcpKey = rtcp === undefined ? undefined : keyOf(rtcp.address, rtcp.port);
    if (rtpKey !== entry.rtpKey) {
      removeFrom(this.byRtpAddress, entry.rtpKey, stream);
      addTo(this.byRtpAddress, rtpKey, stream);
      entry.rtpKey = rtpKey;
    }
    if (rtcpKey !== entry.rtcpKey) {
      removeFrom(this.byRtcpAddress, entry.rtcpKey, stream);
      addTo(this.byRtcpAddress, rtcpKey, stream);
      entry.rtcpKey = rtcpKey;
    }
    const announced = announcedSsrc === undefined ? undefined : announcedSsrc >>> 0;
    if (announced !== entry.announced) {
      this.unbind(entry.announced, stream);
      entry.announced = announced;
      if (announced !== undefined) this.bySsrc.set(announced, stream);
    }
  }

  /** Forgets a stream. */
  remove(stream: T): void {
    const entry = this.entries.get(stream);
    if (entry === undefined) return;
    removeFrom(this.byRtpAddress, entry.rtpKey, stream);
    removeFrom(this.byRtcpAddress, entry.rtcpKey, stream);
    this.unbind(entry.announced, stream);
    this.unbind(entry.learned, stream);
    this.entries.delete(stream);
  }

  /** The stream a datagram from `address`:`port` belongs to, or `undefined` (counted as unmatched). */
  route(bytes: Uint8Array, address: string, port: number, channel: MediaChannel): T | undefined {
    const ssrc = senderSsrc(bytes, channel);
    if (ssrc !== undefined) {
      const known = this.bySsrc.get(ssrc);
      if (known !== undefined) return known;
    }
    const rtcp = isRtcp(bytes, channel);
    const candidates = (rtcp ? this.byRtcpAddress : this.byRtpAddress).get(keyOf(address, port));
    let pick: T | undefined;
    if (candidates !== undefined) {
      if (candidates.length === 1) pick = candidates[0];
      else {
        for (const c of candidates) {
          const e = this.entries.get(c);
          if (e === undefined || e.announced !== undefined || e.learned !== undefined) continue;
          if (pick !== undefined) {
            pick = undefined; // ambiguous: two streams could own this source
            break;
          }
          pick = c;
        }
      }
    }
    if (pick === undefined) {
      this.unmatched++;
      return undefined;
    }
    if (ssrc !== undefined) this.learn(pick, ssrc);
    return pick;
  }

  private learn(stream: T, ssrc: number): void {
    const entry = this.entries.get(stream);
    if (entry === undefined) return;
    if (entry.learned !== entry.announced) this.unbind(entry.learned, stream);
    entry.learned = ssrc;
    this.bySsrc.set(ssrc, stream);
  }

  private unbind(ssrc: number | undefined, stream: T): void {
    if (ssrc !== undefined && this.bySsrc.get(ssrc) === stream) this.bySsrc.delete(ssrc);
  }
}

function addTo<T>(map: Map<string, T[]>, key: string | undefined, stream: T): void {
  if (key === undefined) return;
  const list = map.get(key);
  if (list === undefined) map.set(key, [stream]);
  else list.push(stream);
}

function removeFrom<T>(map: Map<string, T[]>, key: string | undefined, stream: T): void {
  if (key === undefined) return;
  const list = map.get(key);
  if (list === undefined) return;
  const i = list.indexOf(stream);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) map.delete(key);
}
