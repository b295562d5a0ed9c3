import {
  getCryptos,
  getMaxptime,
  getMediaConnection,
  getMediaLine,
  getMid,
  getPtime,
  getRtcp,
  isRtcpMux,
} from '../accessors.js';
import type { CryptoAttribute } from '../attributes/crypto.js';
import { directionReceives, effectiveDirection, type MediaDirection } from '../attributes/direction.js';
import { OfferAnswerError } from '../errors.js';
import type { SessionDescription } from '../model.js';
import { isAuxiliaryEncoding, type PayloadFormat, payloadFormats } from './codecs.js';
import { describedDirection } from './direction.js';

/** A codec both sides agreed on. */
export interface NegotiatedCodec {
  /** Payload type (the offerer's; the answer reuses it, RFC 3264 §6.1). */
  payloadType: number;
  /** Encoding name. */
  name: string;
  /** Clock rate in Hz. */
  clockRate: number;
  /** Channels (1 when absent). */
  channels: number;
  /** fmtp of our own description for this payload type. */
  localFmtp?: string;
  /** fmtp of the remote description: how the remote wants to receive. */
  remoteFmtp?: string;
}

/** The outcome of offer/answer for one m-line. */
export interface NegotiatedMedia {
  /** Index of the m-line. */
  index: number;
  /** Media type. */
  media: string;
  /** Transport protocol. */
  proto: string;
  /** `a=mid`, when present. */
  mid?: string;
  /** False when either side has port 0 (rejected or disabled, RFC 3264 §6). */
  accepted: boolean;
  /** Common codecs in the answer's order (including telephone-event and CN). */
  codecs: NegotiatedCodec[];
  /** The first common codec that carries media (not telephone-event/CN/red/rtx/FEC). */
  primaryCodec?: NegotiatedCodec;
  /** The telephone-event format for the primary codec's clock rate (else the first one). */
  telephoneEvent?: NegotiatedCodec;
  /** What our own description says we do. */
  localDirection: MediaDirection;
  /** What the remote description says it does (legacy `c=0.0.0.0` removes receiving, RFC 3264 §8.4). */
  remoteDirection: MediaDirection;
  /** The remote description will not receive: sendonly, inactive, or `c=0.0.0.0` (hold, RFC 3264 §8.4). */
  remoteHold: boolean;
  /** Where to send RTP. */
  remoteAddress: string;
  /** Remote RTP port. */
  remotePort: number;
  /** Where to send RTCP (RFC 3605 `a=rtcp`, else the RTP address). */
  remoteRtcpAddress: string;
  /** Remote RTCP port: the RTP port with rtcp-mux, `a=rtcp`, else RTP port + 1. */
  remoteRtcpPort: number;
  /** Both sides agreed on `a=rtcp-mux` (RFC 5761 §5.1.1). */
  rtcpMux: boolean;
  /** Packet time the remote wants to receive (`a=ptime`). */
  remotePtime?: number;
  /** Maximum packet time the remote accepts (`a=maxptime`). */
  remoteMaxptime?: number;
  /** The SDES pair chosen (same tag in offer and answer, RFC 4568 §7.1.2), when SDES is used. */
  crypto?: { local: CryptoAttribute; remote: CryptoAttribute };
}

/** Result of {@link negotiate}. */
export interface NegotiatedSession {
  /** One entry per m-line, in order. */
  media: NegotiatedMedia[];
}

function toNegotiated(local: PayloadFormat | undefined, remote: PayloadFormat): NegotiatedCodec {
  const c: NegotiatedCodec = {
    payloadType: remote.payloadType,
    name: remote.name,
    clockRate: remote.clockRate,
    channels: remote.channels ?? 1,
  };
  if (local?.fmtp !== undefined) c.localFmtp = local.fmtp;
  if (remote.fmtp !== undefined) c.remoteFmtp = remote.fmtp;
  return c;
}

/**
 * Computes what an offer and its answer agreed on, seen from `side` (RFC 3264 §6, §7): per m-line the
 * common codecs, the remote address/ports, directions and hold state, rtcp-mux, ptime and the SDES pair.
 * The offerer calls it on receiving the answer; the answerer may call it on the answer it built.
 *
 * @throws OfferAnswerError when the answer does not have the offer's m-lines (§6), accepts an
 *   m-line the offer disabled, changes a media type, or accepts one with no common format.
 */
export function negotiate(
  offer: SessionDescription,
  answer: SessionDescription,
  side: 'offerer' | 'answerer',
): NegotiatedSession {
  if (offer.media.length !== answer.media.length) {
    throw new OfferAnswerError(`answer has ${answer.media.length} m-lines, offer has ${offer.media.length}`);
  }
  const local = side === 'offerer' ? offer : answer;
  const remote = side === 'offerer' ? answer : offer;
  const media = offer.media.map((om, index): NegotiatedMedia => {
    const am = answer.media[index];
    const oml = getMediaLine(om);
    const aml = getMediaLine(am);
    if (oml.media !== aml.media) {
      throw new OfferAnswerError(`answer m-line ${index} is ${aml.media}, offer is ${oml.media}`, index);
    }
    if (oml.port === 0 && aml.port !== 0) {
      throw new OfferAnswerError('answer accepts an m-line the offer disabled (RFC 3264 §6)', index);
    }
    const lm = side === 'offerer' ? om : am;
    const rm = side === 'offerer' ? am : om;
    const accepted = oml.port !== 0 && aml.port !== 0;
    const offered = payloadFormats(om);
    const codecs: NegotiatedCodec[] = [];
    if (accepted) {
      for (const af of payloadFormats(am)) {
        const of = offered.find((f) => f.payloadType === af.payloadType);
        if (!of) continue; // RFC 3264 §6.1: formats not in the offer are not usable for this exchange
        const lf = side === 'offerer' ? of : af;
        const rf = side === 'offerer' ? af : of;
        codecs.push(toNegotiated(lf, rf));
      }
      if (codecs.length === 0)
        throw new OfferAnswerError('accepted m-line shares no format with the offer', index);
    }
    const primaryCodec = codecs.find((c) => !isAuxiliaryEncoding(c.name));
    const events = codecs.filter((c) => c.name.toLowerCase() === 'telephone-event');
    const telephoneEvent = events.find((c) => c.clockRate === primaryCodec?.clockRate) ?? events[0];
    const remoteConn = getMediaConnection(remote, rm);
    const remoteDirection = describedDirection(remote, rm);
    const remotePort = side === 'offerer' ? aml.port : oml.port;
    const rtcpMux = accepted && isRtcpMux(om) && isRtcpMux(am);
    const rtcp = getRtcp(rm);
    const remoteAddress = remoteConn?.address ?? '';
    const n: NegotiatedMedia = {
      index,
      media: oml.media,
      proto: oml.proto,
      accepted,
      codecs,
      localDirection: effectiveDirection(local.session, lm.lines),
      remoteDirection,
      remoteHold: !directionReceives(remoteDirection),
      remoteAddress,
      remotePort,
      remoteRtcpAddress: rtcpMux ? remoteAddress : (rtcp?.address ?? remoteAddress),
      // RFC 3605 §2: a=rtcp gives the port; RFC 3550 §11: otherwise RTP port + 1.
      remoteRtcpPort: rtcpMux ? remotePort : (rtcp?.port ?? (remotePort === 0 ? 0 : remotePort + 1)),
      rtcpMux,
    };
    const mid = getMid(om);
    if (mid !== undefined) n.mid = mid;
    if (primaryCodec) n.primaryCodec = primaryCodec;
    if (telephoneEvent) n.telephoneEvent = telephoneEvent;
    const ptime = getPtime(rm);
    if (ptime !== undefined) n.remotePtime = ptime;
    const maxptime = getMaxptime(rm);
    if (maxptime !== undefined) n.remoteMaxptime = maxptime;
    if (accepted) {
      const answered = getCryptos(am)[0];
      const offeredSame = answered ? getCryptos(om).find((c) => c.tag === answered.tag) : undefined;
      if (answered && offeredSame) {
        n.crypto =
          side === 'offerer'
            ? { local: offeredSame, remote: answered }
            : { local: answered, remote: offeredSame };
      }
    }
    return n;
  });
  return { media };
}

/** The offerer's view: {@link negotiate} with side `offerer` (RFC 3264 §7). */
export function processAnswer(offer: SessionDescription, answer: SessionDescription): NegotiatedSession {
  return negotiate(offer, answer, 'offerer');
}
