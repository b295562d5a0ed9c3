/** The re-INVITE glare back-off (RFC 3261 §14.1). */

/**
 * RFC 3261 §14.1: after a 491, the owner of the Call-ID (the UAC of the dialog-creating
 * request) retries after a random time in 2.1–4 s; the other side after 0–2 s, in units of
 * 10 ms. `random` returns a number in [0, 1).
 */
export function glareBackoff(ownsCallId: boolean, random: () => number): number {
  const r = Math.min(Math.max(random(), 0), 0.999999);
  if (ownsCallId) return 2100 + Math.floor(r * 191) * 10; // 2100 … 4000 ms
  return Math.floor(r * 201) * 10; // 0 … 2000 ms
}
