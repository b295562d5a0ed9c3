/**
 * RTCP extended reports (RFC 3611): receiver reference time (§4.4), DLRR (§4.5), VoIP metrics
 * (§4.7); other block types are kept raw.
 * @module
 */
import { readU16, readU32, writeU16, writeU32 } from '../bytes.js';
import { RtcpParseError, RtpEncodeError } from '../errors.js';
import type { DlrrSubBlock, RtcpExtendedReport, XrBlock, XrVoipMetrics } from './types.js';

/** XR block type codes (RFC 3611 §4). */
export const XrBlockCode = { RRT: 4, DLRR: 5, VOIP_METRICS: 7 } as const;

/** RFC 3611 §4.7: the VoIP metrics block is 8 words after its header. */
const VOIP_METRICS_WORDS = 8;

function int8(b: number): number {
  return b >= 0x80 ? b - 0x100 : b;
}

function parseVoipMetrics(bytes: Uint8Array, at: number): XrVoipMetrics {
  return {
    blockType: 'voip-metrics',
    ssrc: readU32(bytes, at),
    lossRate: bytes[at + 4],
    discardRate: bytes[at + 5],
    burstDensity: bytes[at + 6],
    gapDensity: bytes[at + 7],
    burstDuration: readU16(bytes, at + 8),
    gapDuration: readU16(bytes, at + 10),
    roundTripDelay: readU16(bytes, at + 12),
    endSystemDelay: readU16(bytes, at + 14),
    signalLevel: int8(bytes[at + 16]),
    noiseLevel: int8(bytes[at + 17]),
    residualEchoReturnLoss: bytes[at + 18],
    gmin: bytes[at + 19],
    rFactor: bytes[at + 20],
    externalRFactor: bytes[at + 21],
    mosLq: bytes[at + 22],
    mosCq: bytes[at + 23],
    receiverConfiguration: bytes[at + 24],
    // at + 25: reserved
    jitterBufferNominal: readU16(bytes, at + 26),
    jitterBufferMaximum: readU16(bytes, at + 28),
    jitterBufferAbsoluteMaximum: readU16(bytes, at + 30),
  };
}

function writeVoipMetrics(m: XrVoipMetrics, out: Uint8Array, at: number): void {
  writeU32(out, at, m.ssrc);
  out[at + 4] = m.lossRate;
  out[at + 5] = m.discardRate;
  out[at + 6] = m.burstDensity;
  out[at + 7] = m.gapDensity;
  writeU16(out, at + 8, m.burstDuration);
  writeU16(out, at + 10, m.gapDuration);
  writeU16(out, at + 12, m.roundTripDelay);
  writeU16(out, at + 14, m.endSystemDelay);
  out[at + 16] = m.signalLevel & 0xff;
  out[at + 17] = m.noiseLevel & 0xff;
  out[at + 18] = m.residualEchoReturnLoss;
  out[at + 19] = m.gmin;
  out[at + 20] = m.rFactor;
  out[at + 21] = m.externalRFactor;
  out[at + 22] = m.mosLq;
  out[at + 23] = m.mosCq;
  out[at + 24] = m.receiverConfiguration;
  out[at + 25] = 0;
  writeU16(out, at + 26, m.jitterBufferNominal);
  writeU16(out, at + 28, m.jitterBufferMaximum);
  writeU16(out, at + 30, m.jitterBufferAbsoluteMaximum);
}

/** @internal Parses an XR body. */
export function parseExtendedReport(bytes: Uint8Array, start: number, end: number): RtcpExtendedReport {
  if (start + 4 > end) throw new RtcpParseError('bad-packet', start, 'XR shorter than its SSRC');
  const blocks: XrBlock[] = [];
  let at = start + 4;
  while (at < end) {
    // RFC 3611 §3: block header: BT, type-specific, length in words minus one (header included).
    if (at + 4 > end) throw new RtcpParseError('bad-packet', at, 'XR block header runs past the packet');
    const code = bytes[at];
    const typeSpecific = bytes[at + 1];
    const words = readU16(bytes, at + 2);
    const bodyStart = at + 4;
    const bodyEnd = bodyStart + words * 4;
    if (bodyEnd > end)
      throw new RtcpParseError('bad-packet', at, `XR block type ${code} runs past the packet`);
    if (code === XrBlockCode.RRT && words === 2) {
      blocks.push({
        blockType: 'rrt',
        ntpSeconds: readU32(bytes, bodyStart),
        ntpFraction: readU32(bytes, bodyStart + 4),
      });
    } else if (code === XrBlockCode.DLRR && words % 3 === 0) {
      const subBlocks: DlrrSubBlock[] = [];
      for (let s = bodyStart; s < bodyEnd; s += 12) {
        subBlocks.push({
          ssrc: readU32(bytes, s),
          lastReceiverReport: readU32(bytes, s + 4),
          delaySinceLastReceiverReport: readU32(bytes, s + 8),
        });
      }
      blocks.push({ blockType: 'dlrr', subBlocks });
    } else if (code === XrBlockCode.VOIP_METRICS && words === VOIP_METRICS_WORDS) {
      blocks.push(parseVoipMetrics(bytes, bodyStart));
    } else {
      blocks.push({ blockType: 'unknown', code, typeSpecific, data: bytes.subarray(bodyStart, bodyEnd) });
    }
    at = bodyEnd;
  }
  return { type: 'xr', ssrc: readU32(bytes, start), blocks };
}

function blockBodySize(block: XrBlock): number {
  switch (block.blockType) {
    case 'rrt':
      return 8;
    case 'dlrr':
      return block.subBlocks.length * 12;
    case 'voip-metrics':
      return VOIP_METRICS_WORDS * 4;
    case 'unknown':
      if (block.data.length % 4 !== 0)
        throw new RtpEncodeError('data', 'XR block data is not a multiple of 4 octets');
      return block.data.length;
  }
}

/** @internal XR body size. */
export function extendedReportBodySize(p: RtcpExtendedReport): number {
  let n = 4;
  for (const block of p.blocks) n += 4 + blockBodySize(block);
  return n;
}

/** @internal Writes an XR body. */
export function writeExtendedReportBody(p: RtcpExtendedReport, out: Uint8Array, at: number): void {
  writeU32(out, at, p.ssrc);
  at += 4;
  for (const block of p.blocks) {
    const size = blockBodySize(block);
    if (size / 4 > 0xffff) throw new RtpEncodeError('blocks', 'XR block too long');
    writeU16(out, at + 2, size / 4);
    const body = at + 4;
    switch (block.blockType) {
      case 'rrt':
        out[at] = XrBlockCode.RRT;
        out[at + 1] = 0;
        writeU32(out, body, block.ntpSeconds);
        writeU32(out, body + 4, block.ntpFraction);
        break;
      case 'dlrr':
        out[at] = XrBlockCode.DLRR;
        out[at + 1] = 0;
        for (let i = 0; i < block.subBlocks.length; i++) {
          const s = block.subBlocks[i];
          writeU32(out, body + i * 12, s.ssrc);
          writeU32(out, body + i * 12 + 4, s.lastReceiverReport);
          writeU32(out, body + i * 12 + 8, s.delaySinceLastReceiverReport);
        }
        break;
      case 'voip-metrics':
        out[at] = XrBlockCode.VOIP_METRICS;
        out[at + 1] = 0;
        writeVoipMetrics(block, out, body);
        break;
      case 'unknown':
        out[at] = block.code;
        out[at + 1] = block.typeSpecific;
        out.set(block.data, body);
        break;
    }
    at = body + size;
  }
}
