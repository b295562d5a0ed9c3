import { SrtpPacketError } from './errors.js';

// Tiny readers for the RTP/RTCP header fields SRTP needs, on raw bytes (RFC 3550 §5.1, §6.4).

/** Big-endian unsigned 32-bit read. */
export function readUint32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

/** Big-endian 32-bit write (the value is taken modulo 2^32). */
export function writeUint32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24;
  b[off + 1] = (v >>> 16) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}

/**
 * Length of the RTP header in `packet[0..end)`: 12 bytes, the CSRC list and the header extension
 * (RFC 3550 §5.1, §5.3.1). SRTP leaves exactly this part in the clear (RFC 3711 §3.1).
 *
 * @throws SrtpPacketError when the version is not 2 or the header runs past `end`
 */
export function rtpHeaderLength(packet: Uint8Array, end: number): number {
  if (end < 12) throw new SrtpPacketError(`RTP packet too short (${end} bytes)`);
  const b0 = packet[0];
  if (b0 >>> 6 !== 2) throw new SrtpPacketError(`RTP version ${b0 >>> 6} is not 2`);
  let len = 12 + (b0 & 0x0f) * 4;
  if ((b0 & 0x10) !== 0) {
    if (len + 4 > end) throw new SrtpPacketError('RTP header extension runs past the packet');
    len += 4 + ((packet[len + 2] << 8) | packet[len + 3]) * 4;
  }
  if (len > end) throw new SrtpPacketError('RTP header runs past the packet');
  return len;
}

/**
 * Checks the fixed RTCP header (RFC 3550 §6.4): at least 8 bytes (header + sender SSRC), version 2.
 *
 * @throws SrtpPacketError otherwise
 */
export function checkRtcpHeader(packet: Uint8Array, end: number): void {
  if (end < 8) throw new SrtpPacketError(`RTCP packet too short (${end} bytes)`);
  if (packet[0] >>> 6 !== 2) throw new SrtpPacketError(`RTCP version ${packet[0] >>> 6} is not 2`);
}

/** Constant-time comparison of `a[aOff..aOff+len)` and `b[bOff..bOff+len)`. */
export function equalConstantTime(
  a: Uint8Array,
  aOff: number,
  b: Uint8Array,
  bOff: number,
  len: number,
): boolean {
  let diff = 0;
  for (let i = 0; i < len; i++) diff |= a[aOff + i] ^ b[bOff + i];
  return diff === 0;
}
