/**
 * fast-check arbitraries for every RTCP packet type. Test support only.
 * @module
 */
import fc from 'fast-check';
import type {
  NackItem,
  RtcpApplicationDefined,
  RtcpExtendedReport,
  RtcpFeedback,
  RtcpGenericNack,
  RtcpGoodbye,
  RtcpPacket,
  RtcpPictureLossIndication,
  RtcpReceiverReport,
  RtcpReportBlock,
  RtcpSenderReport,
  RtcpSourceDescription,
  RtcpUnknownPacket,
  SdesChunk,
  SdesItem,
  XrBlock,
} from '../rtcp/types.js';
import { record, u8, u16, u32, words } from './arbitraries.js';

/** Any Unicode text (no lone surrogates), so that UTF-8 round-trips. */
const text = (maxLength: number) =>
  fc
    .array(
      fc.oneof(
        fc.integer({ min: 0x20, max: 0x7e }),
        fc.integer({ min: 0x80, max: 0xd7ff }),
        fc.integer({ min: 0xe000, max: 0x10ffff }),
      ),
      { maxLength },
    )
    .map((codePoints) => String.fromCodePoint(...codePoints));

/** A report block (cumulative loss is signed 24-bit). */
export const reportBlock = (): fc.Arbitrary<RtcpReportBlock> =>
  record<RtcpReportBlock>({
    ssrc: u32(),
    fractionLost: u8(),
    cumulativeLost: fc.integer({ min: -0x800000, max: 0x7fffff }),
    highestSequence: u32(),
    jitter: u32(),
    lastSenderReport: u32(),
    delaySinceLastSenderReport: u32(),
  });

const nonEmptyWords = () => words(4).filter((w) => w.length > 0);

/** A sender report. */
export const senderReport = (): fc.Arbitrary<RtcpSenderReport> =>
  record<RtcpSenderReport>(
    {
      type: fc.constant('sr' as const),
      ssrc: u32(),
      ntpSeconds: u32(),
      ntpFraction: u32(),
      rtpTimestamp: u32(),
      packetCount: u32(),
      octetCount: u32(),
      reports: fc.array(reportBlock(), { maxLength: 31 }),
      profileExtension: nonEmptyWords(),
    },
    ['type', 'ssrc', 'ntpSeconds', 'ntpFraction', 'rtpTimestamp', 'packetCount', 'octetCount', 'reports'],
  );

/** A receiver report. */
export const receiverReport = (): fc.Arbitrary<RtcpReceiverReport> =>
  record<RtcpReceiverReport>(
    {
      type: fc.constant('rr' as const),
      ssrc: u32(),
      reports: fc.array(reportBlock(), { maxLength: 31 }),
      profileExtension: nonEmptyWords(),
    },
    ['type', 'ssrc', 'reports'],
  );

const sdesItem = (): fc.Arbitrary<SdesItem> =>
  fc.oneof(
    record<SdesItem>({ type: fc.integer({ min: 1, max: 255 }).filter((t) => t !== 8), text: text(40) }, [
      'type',
      'text',
    ]),
    record<SdesItem>({ type: fc.constant(8), prefix: text(20), text: text(40) }),
  );

/** A source description. */
export const sourceDescription = (): fc.Arbitrary<RtcpSourceDescription> =>
  record<RtcpSourceDescription>({
    type: fc.constant('sdes' as const),
    chunks: fc.array(record<SdesChunk>({ ssrc: u32(), items: fc.array(sdesItem(), { maxLength: 4 }) }), {
      maxLength: 5,
    }),
  });

/** A goodbye. */
export const goodbye = (): fc.Arbitrary<RtcpGoodbye> =>
  record<RtcpGoodbye>(
    { type: fc.constant('bye' as const), ssrcs: fc.array(u32(), { maxLength: 31 }), reason: text(60) },
    ['type', 'ssrcs'],
  );

/** An APP packet. */
export const applicationDefined = (): fc.Arbitrary<RtcpApplicationDefined> =>
  record<RtcpApplicationDefined>({
    type: fc.constant('app' as const),
    subtype: fc.integer({ min: 0, max: 31 }),
    ssrc: u32(),
    name: fc
      .array(fc.integer({ min: 0, max: 127 }), { minLength: 4, maxLength: 4 })
      .map((c) => String.fromCharCode(...c)),
    data: words(),
  });

/** A generic NACK. */
export const genericNack = (): fc.Arbitrary<RtcpGenericNack> =>
  record<RtcpGenericNack>({
    type: fc.constant('nack' as const),
    senderSsrc: u32(),
    mediaSsrc: u32(),
    items: fc.array(record<NackItem>({ pid: u16(), blp: u16() }), { minLength: 1, maxLength: 10 }),
  });

/** A PLI. */
export const pictureLossIndication = (): fc.Arbitrary<RtcpPictureLossIndication> =>
  record<RtcpPictureLossIndication>({
    type: fc.constant('pli' as const),
    senderSsrc: u32(),
    mediaSsrc: u32(),
  });

/** A feedback message other than NACK and PLI. */
export const otherFeedback = (): fc.Arbitrary<RtcpFeedback> =>
  record<RtcpFeedback>({
    type: fc.constantFrom('rtpfb' as const, 'psfb' as const),
    format: fc.integer({ min: 2, max: 31 }),
    senderSsrc: u32(),
    mediaSsrc: u32(),
    fci: words(),
  });

const xrBlock = (): fc.Arbitrary<XrBlock> =>
  fc.oneof(
    record<XrBlock>({ blockType: fc.constant('rrt' as const), ntpSeconds: u32(), ntpFraction: u32() }),
    record<XrBlock>({
      blockType: fc.constant('dlrr' as const),
      subBlocks: fc.array(
        record({ ssrc: u32(), lastReceiverReport: u32(), delaySinceLastReceiverReport: u32() }),
        {
          maxLength: 4,
        },
      ),
    }),
    record<XrBlock>({
      blockType: fc.constant('voip-metrics' as const),
      ssrc: u32(),
      lossRate: u8(),
      discardRate: u8(),
      burstDensity: u8(),
      gapDensity: u8(),
      burstDuration: u16(),
      gapDuration: u16(),
      roundTripDelay: u16(),
      endSystemDelay: u16(),
      signalLevel: fc.integer({ min: -128, max: 127 }),
      noiseLevel: fc.integer({ min: -128, max: 127 }),
      residualEchoReturnLoss: u8(),
      gmin: u8(),
      rFactor: u8(),
      externalRFactor: u8(),
      mosLq: u8(),
      mosCq: u8(),
      receiverConfiguration: u8(),
      jitterBufferNominal: u16(),
      jitterBufferMaximum: u16(),
      jitterBufferAbsoluteMaximum: u16(),
    }),
    record<XrBlock>({
      blockType: fc.constant('unknown' as const),
      code: u8().filter((c) => c !== 4 && c !== 5 && c !== 7),
      typeSpecific: u8(),
      data: words(),
    }),
  );

/** An extended report. */
export const extendedReport = (): fc.Arbitrary<RtcpExtendedReport> =>
  record<RtcpExtendedReport>({
    type: fc.constant('xr' as const),
    ssrc: u32(),
    blocks: fc.array(xrBlock(), { maxLength: 5 }),
  });

/** A packet of an undecoded type. */
export const unknownPacket = (): fc.Arbitrary<RtcpUnknownPacket> =>
  record<RtcpUnknownPacket>({
    type: fc.constant('unknown' as const),
    packetType: fc.integer({ min: 192, max: 223 }).filter((t) => t < 200 || t > 207),
    count: fc.integer({ min: 0, max: 31 }),
    body: words(),
  });

/** Any RTCP packet. */
export const rtcpPacket = (): fc.Arbitrary<RtcpPacket> =>
  fc.oneof(
    senderReport(),
    receiverReport(),
    sourceDescription(),
    goodbye(),
    applicationDefined(),
    genericNack(),
    pictureLossIndication(),
    otherFeedback(),
    extendedReport(),
    unknownPacket(),
  );

/** A compound that passes RFC 3550 §A.2: SR or RR first, optional padding on the last packet. */
export const rtcpCompound = (): fc.Arbitrary<RtcpPacket[]> =>
  fc
    .tuple(
      fc.oneof(senderReport(), receiverReport()),
      fc.array(rtcpPacket(), { maxLength: 4 }),
      fc.option(
        fc.integer({ min: 1, max: 63 }).map((w) => w * 4),
        { nil: undefined },
      ),
    )
    .map(([first, rest, padding]) => {
      const packets = [first, ...rest];
      if (padding !== undefined)
        packets[packets.length - 1] = { ...packets[packets.length - 1], paddingLength: padding };
      return packets;
    });
