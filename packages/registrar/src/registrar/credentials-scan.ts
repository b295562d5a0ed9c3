/** What {@link scanCredentials} reads of a Digest credentials value: enough to fetch the HA1. */
export interface ScannedCredentials {
  /** The `username` parameter, unquoted. */
  readonly username: string;
  /** The `realm` parameter, unquoted. */
  readonly realm: string;
  /** The `algorithm` parameter as written, `undefined` when absent (MD5, RFC 7616 §3.4). */
  readonly algorithmName: string | undefined;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** Whether `v[from, to)` is `lower` (ASCII letters, any case). */
function nameIs(v: string, from: number, to: number, lower: string): boolean {
  if (to - from !== lower.length) return false;
  for (let k = 0; k < lower.length; k++) {
    if ((v.charCodeAt(from + k) | 0x20) !== lower.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * A quick read of `username`, `realm` and `algorithm` from an `Authorization` value (RFC 7616 §3.4
 * `Digest` auth-params), so the registrar can fetch the HA1 before the verifier parses the value in
 * full. Answers `null` whenever the value is not plain (another scheme, `username*`, a quoted-pair,
 * `userhash`, an unterminated quote, a parameter without `=`, no username or realm): the caller then
 * uses the full parser. The verifier still checks the credentials it parses against the HA1 query.
 */
export function scanCredentials(v: string): ScannedCredentials | null {
  const n = v.length;
  if (n < 7 || !nameIs(v, 0, 6, 'digest') || !isSpace(v.charCodeAt(6))) return null;
  let username: string | undefined;
  let realm: string | undefined;
  let algorithmName: string | undefined;
  let i = 7;
  while (i < n) {
    let c = v.charCodeAt(i);
    if (isSpace(c) || c === 44) {
      i++;
      continue;
    }
    const eq = v.indexOf('=', i);
    if (eq < 0) return null;
    let end = eq;
    while (end > i && isSpace(v.charCodeAt(end - 1))) end--;
    const nameStart = i;
    for (let k = i; k < end; k++) {
      c = v.charCodeAt(k);
      if (c === 42 || c === 44 || c === 34) return null; // '*' (username*), ',' or '"': not plain
    }
    if (end === nameStart) return null;
    i = eq + 1;
    while (i < n && isSpace(v.charCodeAt(i))) i++;
    let value: string;
    if (v.charCodeAt(i) === 34) {
      const close = v.indexOf('"', i + 1);
      if (close < 0) return null;
      value = v.slice(i + 1, close);
      if (value.includes('\\')) return null;
      i = close + 1;
    } else {
      let stop = i;
      while (stop < n) {
        c = v.charCodeAt(stop);
        if (c === 44 || c === 34 || isSpace(c)) break;
        stop++;
      }
      value = v.slice(i, stop);
      i = stop;
    }
    if (nameIs(v, nameStart, end, 'username')) username = value;
    else if (nameIs(v, nameStart, end, 'realm')) realm = value;
    else if (nameIs(v, nameStart, end, 'algorithm')) algorithmName = value;
    else if (nameIs(v, nameStart, end, 'userhash')) return null;
    while (i < n && isSpace(v.charCodeAt(i))) i++;
    if (i < n && v.charCodeAt(i) !== 44) return null;
  }
  if (username === undefined || realm === undefined) return null;
  return { username, realm, algorithmName };
}
