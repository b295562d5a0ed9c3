/**
 * Sender and receiver reports and their report blocks (RFC 3550 §6.4).
 * @module
 */
import { readU24, readU32, writeU24, writeU32 } from '../bytes.js';
import { RtcpParseError, RtpEncodeError } from '../errors.js';
import type { RtcpReceiverReport, RtcpReportBlock, RtcpSenderReport } from './types.js';

/** Size of one report block (RFC 3550 §6.4.1). */
export const REPORT_BLOCK_SIZE = 24;

function parseReportBlock(bytes: Uint8Array, at: number): RtcpReportBlock {
  const lost = readU24(bytes, at + 5);
  return {
    ssrc: readU32(bytes, at),
    fractionLost: bytes[at + 4],
    // RFC 3550 §6.4.1: cumulative number of packets lost is a signed 24-bit integer.
    cumulativeLost: lost >= 0x800000 ? lost - 0x1000000 : lost,
    highestSequence: readU32(bytes, at + 8),
    jitter: readU32(bytes, at + 12),
    lastSenderReport: readU32(bytes, at + 16),
    delaySinceLastSenderReport: readU32(bytes, at + 20),
  };
}

function writeReportBlock(block: RtcpReportBlock, out: Uint8Array, at: number): void {
  writeU32(out, at, block.ssrc);
  out[at + 4] = block.fractionLost;
  writeU24(out, at + 5, block.cumulativeLost & 0xffffff);
  writeU32(out, at + 8, block.highestSequence);
  writeU32(out, at + 12, block.jitter);
  writeU32(out, at + 16, block.lastSenderReport);
  writeU32(out, at + 20, block.delaySinceLastSenderReport);
}

function parseBlocksAndExtension(
  bytes: Uint8Array,
  count: number,
  at: number,
  end: number,
  what: string,
): { reports: RtcpReportBlock[]; profileExtension?: Uint8Array } {
  if (at + count * REPORT_BLOCK_SIZE > end) {
    throw new RtcpParseError('bad-packet', at, `${what} announces ${count} report blocks that do not fit`);
  }
  const reports: RtcpReportBlock[] = [];
  for (let i = 0; i < count; i++, at += REPORT_BLOCK_SIZE) reports.push(parseReportBlock(bytes, at));
  if (at < end) return { reports, profileExtension: bytes.subarray(at, end) };
  return { reports };
}

/** @internal Parses an SR body (`start`..`end`, header excluded). */
export function parseSenderReport(
  bytes: Uint8Array,
  count: number,
  start: number,
  end: number,
): RtcpSenderReport {
  if (start + 24 > end) throw new RtcpParseError('bad-packet', start, 'SR shorter than its sender info');
  const { reports, profileExtension } = parseBlocksAndExtension(bytes, count, start + 24, end, 'SR');
  const sr: RtcpSenderReport = {
    type: 'sr',
    ssrc: readU32(bytes, start),
    ntpSeconds: readU32(bytes, start + 4),
    ntpFraction: readU32(bytes, start + 8),
    rtpTimestamp: readU32(bytes, start + 12),
    packetCount: readU32(bytes, start + 16),
    octetCount: readU32(bytes, start + 20),
    reports,
  };
  if (profileExtension !== undefined) sr.profileExtension = profileExtension;
  return sr;
}

/** @internal Parses an RR body. */
export function parseReceiverReport(
  bytes: Uint8Array,
  count: number,
  start: number,
  end: number,
): RtcpReceiverReport {
  if (start + 4 > end) throw new RtcpParseError('bad-packet', start, 'RR shorter than its SSRC');
  const { reports, profileExtension } = parseBlocksAndExtension(bytes, count, start + 4, end, 'RR');
  const rr: RtcpReceiverReport = { type: 'rr', ssrc: readU32(bytes, start), reports };
  if (profileExtension !== undefined) rr.profileExtension = profileExtension;
  return rr;
}

function checkReports(p: RtcpSenderReport | RtcpReceiverReport): void {
  if (p.reports.length > 31)
    throw new RtpEncodeError('reports', `${p.reports.length} report blocks, at most 31`);
  if (p.profileExtension !== undefined && p.profileExtension.length % 4 !== 0) {
    throw new RtpEncodeError('profileExtension', 'length is not a multiple of 4');
  }
}

/** @internal Body size of an SR or RR. */
export function reportBodySize(p: RtcpSenderReport | RtcpReceiverReport): number {
  checkReports(p);
  return (
    (p.type === 'sr' ? 24 : 4) + p.reports.length * REPORT_BLOCK_SIZE + (p.profileExtension?.length ?? 0)
  );
}

/** @internal Writes an SR or RR body at `at`. */
export function writeReportBody(p: RtcpSenderReport | RtcpReceiverReport, out: Uint8Array, at: number): void {
  writeU32(out, at, p.ssrc);
  at += 4;
  if (p.type === 'sr') {
    writeU32(out, at, p.ntpSeconds);
    writeU32(out, at + 4, p.ntpFraction);
    writeU32(out, at + 8, p.rtpTimestamp);
    writeU32(out, at + 12, p.packetCount);
    writeU32(out, at + 16, p.octetCount);
    at += 20;
  }
  for (const block of p.reports) {
    writeReportBlock(block, out, at);
    at += REPORT_BLOCK_SIZE;
  }
  if (p.profileExtension !== undefined) out.set(p.profileExtension, at);
}
