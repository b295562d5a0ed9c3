import { SdpParseError } from '../errors.js';
import { isToken } from '../tokens.js';

/** The obsolete `k=` line (RFC 8866 §5.12), kept so descriptions that carry it round-trip. */
export interface EncryptionKey {
  /** `clear`, `base64`, `uri` or `prompt`. */
  method: string;
  /** The key, when the method takes one. */
  key?: string;
}

/** Parses the value of a `k=` line. */
export function parseEncryptionKey(value: string): EncryptionKey {
  const colon = value.indexOf(':');
  const method = colon < 0 ? value : value.slice(0, colon);
  if (!isToken(method)) throw new SdpParseError(`k= method "${method}" is not a token`);
  return colon < 0 ? { method } : { method, key: value.slice(colon + 1) };
}

/** Formats an encryption key as the value of a `k=` line. */
export function formatEncryptionKey(k: EncryptionKey): string {
  return k.key === undefined ? k.method : `${k.method}:${k.key}`;
}
