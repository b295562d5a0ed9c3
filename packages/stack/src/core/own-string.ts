/** Copying strings that are kept long out of the message text they were read from. */

/**
 * `s` as a string of its own. V8 returns a substring of 13 or more characters as a slice that
 * keeps its whole parent alive: a transaction keeping its branch or a tag for Timer J/L (32 s)
 * would keep the request's whole header text. Concatenating and re-slicing flattens a copy.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}
