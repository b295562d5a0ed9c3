/**
 * Output memory for the serializer: messages are written into a shared slab and handed out as
 * plain `Uint8Array` views of it. A Node `Buffer` (a Uint8Array subclass) costs several times
 * more to create than a plain view, and per-message allocation dominated small serializations.
 * Like Node's own Buffer pool, a view keeps its slab alive: a holder of long-lived bytes copies
 * them into memory of their own (as the stack's transactions do).
 */

/** Node's Buffer has `latin1Write` (undocumented in the typings, used by Buffer#write). */
export type Latin1Writable = Buffer & { latin1Write(s: string, offset: number, length: number): number };

/** Slab size; outputs larger than a quarter of it get memory of their own. */
const SLAB_SIZE = 32 * 1024;
const OWN_ABOVE = SLAB_SIZE >> 2;

let slab = Buffer.allocUnsafeSlow(SLAB_SIZE) as Latin1Writable;
let top = 0;
let at = 0;

/**
 * Reserves `n` octets and returns the buffer to write them into, at offset {@link reservedAt}.
 * Finish with {@link reservedView}.
 */
export function reserve(n: number): Latin1Writable {
  if (n > OWN_ABOVE) {
    at = 0;
    return Buffer.allocUnsafeSlow(n) as Latin1Writable;
  }
  if (top + n > SLAB_SIZE) {
    slab = Buffer.allocUnsafeSlow(SLAB_SIZE) as Latin1Writable;
    top = 0;
  }
  at = top;
  // 8-octet alignment, as Node's pool does.
  top = (top + n + 7) & ~7;
  return slab;
}

/** Offset of the last reservation in the buffer {@link reserve} returned. */
export function reservedAt(): number {
  return at;
}

/** The `n` octets reserved last in `buf`, as a plain view. */
export function reservedView(buf: Buffer, n: number): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset + at, n);
}
