/** Byte-view helpers. */

/** Wraps any byte view as a Buffer without copying. */
export function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * True when the octets at `b[at, at + lower.length)` spell `lower` (lower-case ASCII) in any
 * letter case; the caller makes sure they are inside `b`.
 */
export function octetsEqualLower(b: Uint8Array, at: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    let c = b[at + i];
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}
