/**
 * The SDP side of `tsvoip uas`: answers offers with @tsvoip/sdp's `createAnswer` from a fixed
 * PCMU/PCMA/telephone-event capability (no media is sent), and offers the same when an INVITE
 * carries no offer. Answers are cached by offer text: a load generator sends the same offer on
 * every call, so the hot path is one Map lookup instead of an SDP parse and build.
 */
import {
  createAnswer,
  createOffer,
  getMediaLine,
  type LocalCapabilities,
  parseSdp,
  SdpParseError,
  serializeSdp,
} from '@tsvoip/sdp';

/** Where our (never used) media would be. */
export interface SdpAnswererOptions {
  /** Address for `c=` and `o=`. */
  readonly address: string;
  /** RTP port announced. */
  readonly port: number;
  /** `o=` session id (decimal). */
  readonly sessionId: string;
  /** Most distinct offers remembered (default 64); the cache is emptied when full. */
  readonly cacheSize?: number;
}

/** PCMU, PCMA and RFC 4733 telephone-event, 20 ms. */
export function uasCapabilities(o: SdpAnswererOptions): LocalCapabilities {
  return {
    origin: { username: 'tsvoip', sessionId: o.sessionId },
    address: o.address,
    media: [
      {
        media: 'audio',
        port: o.port,
        ptime: 20,
        codecs: [
          { name: 'PCMU', clockRate: 8000 },
          { name: 'PCMA', clockRate: 8000 },
          { name: 'telephone-event', clockRate: 8000, fmtp: '0-16' },
        ],
      },
    ],
  };
}

/** Answers SDP offers (RFC 3264 §6), with a cache. */
export class SdpAnswerer {
  readonly #caps: LocalCapabilities;
  readonly #cache = new Map<string, string | null>();
  readonly #max: number;
  #offer: string | undefined;
  #offerBytes: Uint8Array | undefined;
  #lastOffer: Buffer | undefined;
  #lastAnswer: Uint8Array | undefined;

  /** Creates an answerer for the given local address. */
  constructor(options: SdpAnswererOptions) {
    this.#caps = uasCapabilities(options);
    this.#max = options.cacheSize ?? 64;
  }

  /** Cached answers. */
  get cacheEntries(): number {
    return this.#cache.size;
  }

  /**
   * The answer to `offer`, or undefined when it cannot be parsed or no stream can be accepted
   * (RFC 3261 §13.3.1.3: answer the INVITE 488).
   */
  answer(offer: string): string | undefined {
    const hit = this.#cache.get(offer);
    if (hit !== undefined) return hit ?? undefined;
    const answer = this.#build(offer);
    if (this.#cache.size >= this.#max) this.#cache.clear();
    this.#cache.set(offer, answer ?? null);
    return answer;
  }

  /**
   * The answer as bytes, for the hot path: when `offer` is byte-for-byte the previous offer the
   * previous answer is returned without decoding anything (a load generator repeats its offer).
   */
  answerBytes(offer: Uint8Array): Uint8Array | undefined {
    const last = this.#lastOffer;
    if (last !== undefined && last.length === offer.length && last.equals(offer)) return this.#lastAnswer;
    const text = this.answer(Buffer.from(offer.buffer, offer.byteOffset, offer.length).toString('latin1'));
    this.#lastOffer = Buffer.from(offer);
    this.#lastAnswer = text === undefined ? undefined : Buffer.from(text, 'latin1');
    return this.#lastAnswer;
  }

  /** {@link offer} as bytes. */
  offerBytes(): Uint8Array {
    this.#offerBytes ??= Buffer.from(this.offer(), 'latin1');
    return this.#offerBytes;
  }

  /** Our offer, for an INVITE without one (RFC 3261 §13.3.1.1: the offer goes in the 2xx). */
  offer(): string {
    this.#offer ??= serializeSdp(createOffer(this.#caps));
    return this.#offer;
  }

  #build(offer: string): string | undefined {
    try {
      const answer = createAnswer(parseSdp(offer), this.#caps);
      // RFC 3264 §6: a rejected stream has port 0; with none accepted there is no session.
      if (!answer.media.some((m) => getMediaLine(m).port !== 0)) return undefined;
      return serializeSdp(answer);
    } catch (err) {
      if (err instanceof SdpParseError) return undefined;
      throw err;
    }
  }
}
