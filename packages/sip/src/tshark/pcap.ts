/**
 * A minimal pcap writer for tests: each payload becomes one IPv4/UDP datagram on loopback
 * (127.0.0.1:5060 → 127.0.0.2:5060) so Wireshark's SIP dissector reads it. LINKTYPE_RAW (101).
 */

const PCAP_HEADER = 24;
const RECORD_HEADER = 16;
const IP_HEADER = 20;
const UDP_HEADER = 8;

/** Largest payload one IPv4 datagram can carry. */
export const MAX_UDP_PAYLOAD = 65535 - IP_HEADER - UDP_HEADER;

/** Writes `payloads` as a pcap file (one UDP datagram each). Throws RangeError on an oversized one. */
export function udpPcap(payloads: readonly Uint8Array[], port = 5060): Buffer {
  let size = PCAP_HEADER;
  for (const p of payloads) {
    if (p.length > MAX_UDP_PAYLOAD) throw new RangeError(`payload of ${p.length} octets does not fit in UDP`);
    size += RECORD_HEADER + IP_HEADER + UDP_HEADER + p.length;
  }
  const out = Buffer.alloc(size);
  out.writeUInt32LE(0xa1b2c3d4, 0);
  out.writeUInt16LE(2, 4);
  out.writeUInt16LE(4, 6);
  out.writeUInt32LE(65535, 16); // snaplen
  out.writeUInt32LE(101, 20); // LINKTYPE_RAW: packets start with the IP header
  let o = PCAP_HEADER;
  payloads.forEach((p, i) => {
    const len = IP_HEADER + UDP_HEADER + p.length;
    out.writeUInt32LE(1_700_000_000 + i, o);
    out.writeUInt32LE(0, o + 4);
    out.writeUInt32LE(len, o + 8);
    out.writeUInt32LE(len, o + 12);
    o += RECORD_HEADER;
    writeIpv4Header(out, o, len, i);
    o += IP_HEADER;
    out.writeUInt16BE(port, o);
    out.writeUInt16BE(port, o + 2);
    out.writeUInt16BE(UDP_HEADER + p.length, o + 4);
    out.writeUInt16BE(0, o + 6); // RFC 768: checksum 0 = not computed (allowed over IPv4)
    o += UDP_HEADER;
    out.set(p, o);
    o += p.length;
  });
  return out;
}

function writeIpv4Header(out: Buffer, o: number, totalLength: number, id: number): void {
  out[o] = 0x45; // version 4, IHL 5
  out.writeUInt16BE(totalLength, o + 2);
  out.writeUInt16BE(id & 0xffff, o + 4);
  out[o + 8] = 64; // TTL
  out[o + 9] = 17; // UDP
  out.set([127, 0, 0, 1], o + 12);
  out.set([127, 0, 0, 2], o + 16);
  let sum = 0;
  for (let i = 0; i < IP_HEADER; i += 2) sum += out.readUInt16BE(o + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  out.writeUInt16BE(~sum & 0xffff, o + 10);
}
