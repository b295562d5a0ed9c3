/** Copying bytes that are kept long out of Node's shared Buffer pool. */

/**
 * `bytes` in a buffer of its own. A small Node Buffer is a slice of a shared 8 KiB pool slab, and
 * a slice kept for seconds keeps the whole slab (and the short-lived messages in it) alive; so does
 * a view of `@tsvoip/sip`'s serializer slab (32 KiB).
 */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  const own = Buffer.allocUnsafeSlow(bytes.byteLength);
  own.set(bytes);
  return own;
}
