/**
 * The methods of the RFCs as shared string constants: a parsed request's method is one of these
 * when it matches (RFC 3261 §7.1: methods are case-sensitive, so octet for octet), not a new
 * string per message. Saves an allocation per request, and what keeps a method for long (a
 * transaction, 32 s) keeps the one constant.
 * @module
 */

/** The methods of RFC 3261 and the common extensions (3262, 3265/6665, 3903, 6086, 3515, 3428, 3311). */
export const SIP_METHODS = [
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'OPTIONS',
  'REGISTER',
  'PRACK',
  'SUBSCRIBE',
  'NOTIFY',
  'PUBLISH',
  'INFO',
  'REFER',
  'MESSAGE',
  'UPDATE',
] as const;

/** Methods by length: `BY_LENGTH[n]` holds those of n characters. */
const BY_LENGTH: string[][] = [];
for (const m of SIP_METHODS) {
  BY_LENGTH[m.length] ??= [];
  BY_LENGTH[m.length].push(m);
}

/** The constant for the method in `src[0, end)`, or undefined when it is not a known one. */
export function knownMethod(src: Uint8Array, end: number): string | undefined {
  const candidates = BY_LENGTH[end];
  if (candidates === undefined) return undefined;
  next: for (let c = 0; c < candidates.length; c++) {
    const m = candidates[c];
    for (let i = 0; i < end; i++) if (src[i] !== m.charCodeAt(i)) continue next;
    return m;
  }
  return undefined;
}
