import type { CryptoAttribute } from '../attributes/crypto.js';
import type { MediaDirection } from '../attributes/direction.js';
import type { SdpLine } from '../model.js';

/** A codec we can send and receive. */
export interface CodecCapability {
  /** Encoding name (`PCMU`, `opus`, `telephone-event`); matched case-insensitively (RFC 4855 §3). */
  name: string;
  /** Clock rate in Hz. */
  clockRate: number;
  /** Audio channels; absent = 1 (RFC 8866 §6.6). Written in rtpmap only when given. */
  channels?: number;
  /**
   * Payload type to offer with: a static type (RFC 3551 §6) or a preferred dynamic one (96–127).
   * Absent: the static type when the codec has one, else the first free dynamic type.
   * In answers the offerer's payload type is always used (RFC 3264 §6.1).
   */
  payloadType?: number;
  /**
   * Format parameters we announce (`a=fmtp`). For `telephone-event` these are the supported events
   * (`0-16`); in an answer they are intersected with the offered events (RFC 4733 §2.5.1.2).
   */
  fmtp?: string;
  /** RTCP feedback types (`nack`, `nack pli`, `transport-cc`), written as `a=rtcp-fb:<pt> <type>`. */
  rtcpFeedback?: string[];
}

/** What we can do for one media stream (one m-line). */
export interface MediaCapability {
  /** `audio`, `video`, … */
  media: string;
  /** Local RTP port. */
  port: number;
  /** Media-level address (written as a media `c=` line); absent = the session address. */
  address?: string;
  /** Transport protocol to offer; default `RTP/AVP`. */
  proto?: string;
  /** Protocols accepted in an offer (RFC 3264 §6: the answer keeps the offered one); default `[proto]`. */
  acceptProtos?: string[];
  /** Codecs in our order of preference (include `telephone-event` here for RFC 4733 DTMF). */
  codecs: CodecCapability[];
  /** `a=ptime` in ms (RFC 8866 §6.4). */
  ptime?: number;
  /** `a=maxptime` in ms (RFC 8866 §6.5). */
  maxptime?: number;
  /**
   * What we want to do; default `sendrecv`. Hold is `sendonly` (or `inactive` when we also stop
   * receiving), resume is `sendrecv` (RFC 3264 §8.4).
   */
  direction?: MediaDirection;
  /** Offer, or accept, `a=rtcp-mux` (RFC 5761 §5.1.1). */
  rtcpMux?: boolean;
  /** `a=rtcp:<port>` (RFC 3605), when RTCP is not on port+1. */
  rtcpPort?: number;
  /**
   * SDES keys (RFC 4568), in preference order. In an offer each becomes an `a=crypto` line (tags
   * renumbered 1, 2, …). In an answer the first offered suite we list is chosen, and answered with
   * the offered tag and our key.
   */
  crypto?: CryptoAttribute[];
  /** `a=mid` for an offer (RFC 5888); an answer echoes the offered mid. */
  mid?: string;
  /**
   * Attribute lines copied verbatim into this m-section: ICE (`ice-ufrag`, `ice-pwd`, `candidate`,
   * `end-of-candidates`), DTLS (`fingerprint`, `setup`), `extmap`, `msid`, `ssrc`, …
   */
  attributes?: SdpLine[];
}

/** Everything `createOffer`/`createAnswer` need to describe the local side. */
export interface LocalCapabilities {
  /** Origin fields; `sessionId` comes from the caller (injectable randomness). */
  origin: {
    /** `o=` username; default `-`. */
    username?: string;
    /** Numeric session id (decimal string). */
    sessionId: string;
    /** Initial session version; default `0`. Re-offers derive the version from the previous description. */
    sessionVersion?: string;
    /** `o=` address; default {@link LocalCapabilities.address}. */
    address?: string;
  };
  /** `s=` text; default `-`. */
  sessionName?: string;
  /** Session connection address (`c=`). */
  address: string;
  /** Media streams, in m-line order for offers; matched by media type for answers. */
  media: MediaCapability[];
  /** Session-level attribute lines copied verbatim (`ice-lite`, `fingerprint`, `ice-options`, …). */
  sessionAttributes?: SdpLine[];
  /** Offer `a=group:BUNDLE` over the mids, or accept an offered BUNDLE group (RFC 9143). */
  bundle?: boolean;
}
