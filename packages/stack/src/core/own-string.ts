/** Copying strings that are kept long out of the message text they were read from. */

/** Where {@link ownString} copies through (strings from SIP messages are latin1). */
const scratch = Buffer.allocUnsafeSlow(1024);
const NOT_LATIN1 = /[^\u0000-\u00ff]/;

/**
 * `s` as a string of its own. V8 returns a substring of 13 or more characters as a slice that
 * keeps its whole parent alive: a transaction keeping its branch or a tag for Timer J/L (32 s)
 * would keep the request's whole header text. A latin1 string is copied through a scratch buffer
 * into one flat string; anything else is flattened by concatenating and re-slicing (a copy of the
 * text plus a small slice of it).
 */
export function ownString(s: string): string {
  const n = s.length;
  if (n < 13) return s;
  if (n > scratch.length || NOT_LATIN1.test(s)) return ` ${s}`.slice(1);
  scratch.write(s, 0, n, 'latin1');
  return scratch.toString('latin1', 0, n);
}
