/**
 * Numeric IP address checks and comparison, by character scan (no regex, no `node:net`) so the
 * sans-IO parts of the package run anywhere.
 * @module
 */

/** True when `s` is a dotted-quad IPv4 address (`192.0.2.1`; each octet 0–255, no leading `+`). */
export function isIPv4(s: string): boolean {
  let parts = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || value > 255) return false;
      parts++;
      digits = 0;
      value = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (++digits > 3) return false;
      value = value * 10 + (c - 0x30);
    } else {
      return false;
    }
  }
  return parts === 4;
}

/** True when `s` is an IPv6 address without brackets (`::1`, `2001:db8::5`, `::ffff:192.0.2.1`). */
export function isIPv6(s: string): boolean {
  return expandIPv6(s) !== undefined;
}

/** True for a numeric address: IPv4, IPv6, or an IPv6 reference in brackets (`[::1]`). */
export function isNumericHost(host: string): boolean {
  return isIPv4(host) || isIPv6(stripBrackets(host));
}

/** Removes the brackets of an IPv6 reference (`[::1]` → `::1`); other strings are returned as they are. */
export function stripBrackets(host: string): string {
  return host.length > 1 && host.charCodeAt(0) === 0x5b && host.charCodeAt(host.length - 1) === 0x5d
    ? host.slice(1, -1)
    : host;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

/** Expands an IPv6 address to its 8 groups, or `undefined` when it is not one. */
export function expandIPv6(s: string): number[] | undefined {
  if (s.length < 2 || s.length > 45) return undefined;
  const groups: number[] = [];
  let gap = -1;
  let i = 0;
  if (s.charCodeAt(0) === 0x3a) {
    if (s.charCodeAt(1) !== 0x3a) return undefined;
    gap = 0;
    i = 2;
  }
  while (i < s.length) {
    // An embedded IPv4 address ends the string (RFC 4291 §2.2 form 3).
    const colon = s.indexOf(':', i);
    const rest = s.slice(i);
    if (colon < 0 && rest.includes('.')) {
      if (!isIPv4(rest)) return undefined;
      let v = 0;
      const b: number[] = [];
      for (let k = 0; k <= rest.length; k++) {
        const c = k < rest.length ? rest.charCodeAt(k) : 0x2e;
        if (c === 0x2e) {
          b.push(v);
          v = 0;
        } else v = v * 10 + (c - 0x30);
      }
      groups.push((b[0] << 8) | b[1], (b[2] << 8) | b[3]);
      i = s.length;
      break;
    }
    let v = 0;
    let n = 0;
    while (i < s.length && n < 5) {
      const h = hexValue(s.charCodeAt(i));
      if (h < 0) break;
      v = (v << 4) | h;
      n++;
      i++;
    }
    if (n === 0 || n > 4) return undefined;
    groups.push(v);
    if (i === s.length) break;
    if (s.charCodeAt(i) !== 0x3a) return undefined;
    i++;
    if (i < s.length && s.charCodeAt(i) === 0x3a) {
      if (gap >= 0) return undefined;
      gap = groups.length;
      i++;
    } else if (i === s.length) {
      return undefined;
    }
  }
  if (gap < 0) return groups.length === 8 ? groups : undefined;
  if (groups.length > 7) return undefined;
  const out = groups.slice(0, gap);
  for (let k = groups.length; k < 8; k++) out.push(0);
  for (let k = gap; k < groups.length; k++) out.push(groups[k]);
  return out;
}

/**
 * True when two hosts name the same numeric address (IPv6 compared by value, brackets ignored), or
 * when two names are equal ignoring case (RFC 3261 §19.1.4 compares hosts case-insensitively).
 */
export function sameHost(a: string, b: string): boolean {
  const sa = stripBrackets(a);
  const sb = stripBrackets(b);
  const ea = expandIPv6(sa);
  if (ea !== undefined) {
    const eb = expandIPv6(sb);
    return eb !== undefined && ea.every((g, k) => g === eb[k]);
  }
  return sa.toLowerCase() === sb.toLowerCase();
}
