/**
 * The default random token source of the proxy: 16 hex digits of `crypto.randomBytes`, drawn from a
 * pooled buffer refilled 4 KiB at a time (one system call per 512 tokens instead of one per
 * token: branches and tags are made on every forwarded request). RFC 3261 §19.3: tags are
 * cryptographically random with more than 32 bits; §8.1.1.7: branches unique in space and time.
 */
import { randomFillSync } from 'node:crypto';
import type { RandomToken } from '@tsvoip/sip';

const HEX = '0123456789abcdef';

/** A new pooled token source (one pool per source: no module-level state). */
export function pooledRandomToken(poolBytes = 4096): RandomToken {
  const pool = Buffer.allocUnsafe(poolBytes);
  let pos = poolBytes;
  return () => {
    if (pos + 8 > poolBytes) {
      randomFillSync(pool);
      pos = 0;
    }
    let s = '';
    for (let i = 0; i < 8; i++) {
      const b = pool[pos++];
      s += HEX[b >> 4] + HEX[b & 15];
    }
    return s;
  };
}
