// The codec factory: one entry point for every codec the media path can use.
import type { Codec, CodecName, CodecOptions } from './codec-types.js';
import { CodecError } from './errors.js';
import { G711Codec } from './g711-codec.js';
import { G722Codec } from './g722-codec.js';
import { OpusCodec, type OpusOptions } from './opus-codec.js';

/** Options accepted by {@link createCodec}, per codec. */
export interface CodecOptionsByName {
  PCMU: CodecOptions;
  PCMA: CodecOptions;
  G722: CodecOptions;
  opus: OpusOptions;
}

const CANONICAL: Record<string, CodecName> = { pcmu: 'PCMU', pcma: 'PCMA', g722: 'G722', opus: 'opus' };

/** The canonical name for an SDP encoding name (case-insensitive), or `undefined` if unsupported. */
export function canonicalCodecName(encodingName: string): CodecName | undefined {
  return CANONICAL[encodingName.toLowerCase()];
}

/**
 * Creates a stateful codec by its SDP encoding name (`'PCMU'`, `'PCMA'`, `'G722'`, `'opus'`; any case).
 * Throws {@link CodecError} with code `'unknown-codec'` for other names.
 */
export function createCodec<N extends CodecName>(name: N, options?: CodecOptionsByName[N]): Codec;
export function createCodec(name: string, options?: OpusOptions): Codec;
export function createCodec(name: string, options: OpusOptions = {}): Codec {
  const canonical = canonicalCodecName(name);
  switch (canonical) {
    case 'PCMU':
    case 'PCMA':
      return new G711Codec(canonical, options);
    case 'G722':
      return new G722Codec(options);
    case 'opus':
      return new OpusCodec(options);
    default:
      throw new CodecError('unknown-codec', `no codec named ${JSON.stringify(name)}`, name);
  }
}
