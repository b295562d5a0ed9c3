/**
 * The received / rport rules applied by a server transport to the top Via of a request
 * (RFC 3261 §18.2.1, RFC 3581 §4), and the response address they lead to (RFC 3261 §18.2.2).
 * Pure string functions on a Via header value; no regex.
 * @module
 */
import { sameHost, stripBrackets } from '../ip.js';

/** Where a request came from. */
export interface PacketSource {
  /** Source IP address (IPv6 without brackets). */
  readonly address: string;
  /** Source port. */
  readonly port: number;
}

/** A parameter of the top Via: name as written, value or `null`, and its span in the value string. */
interface ViaParam {
  readonly name: string;
  readonly value: string | null;
  /** Index of the `;` that opens the parameter. */
  readonly start: number;
  /** Index just past the parameter name. */
  readonly nameEnd: number;
  /** Index just past the parameter (trailing LWS excluded). */
  readonly end: number;
}

/** The parts of the first via-parm of a Via value. */
interface TopVia {
  /** Transport token (`UDP`, `TCP`...). */
  readonly transport: string;
  /** sent-by host as written. */
  readonly host: string;
  /** sent-by port, if present. */
  readonly port?: number;
  /** End of the sent-by (start of the parameters). */
  readonly sentByEnd: number;
  /** End of the first via-parm (index of the `,` or of the trailing LWS before it, or the length). */
  readonly end: number;
  readonly params: ViaParam[];
}

const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

function isDelimiter(c: number): boolean {
  // Ends a token: LWS, ';', ',', '=', ':', '/'.
  return isWs(c) || c === 0x3b || c === 0x2c || c === 0x3d || c === 0x3a || c === 0x2f;
}

function scanToken(s: string, i: number): number {
  while (i < s.length && !isDelimiter(s.charCodeAt(i))) i++;
  return i;
}

/** Parses the first via-parm; `undefined` when it does not look like `SIP/2.0/T host[:port]`. */
function parseTopVia(s: string): TopVia | undefined {
  let i = skipWs(s, 0);
  // sent-protocol = protocol-name SLASH protocol-version SLASH transport (RFC 3261 §25.1).
  for (let part = 0; part < 2; part++) {
    const e = scanToken(s, i);
    if (e === i) return undefined;
    i = skipWs(s, e);
    if (s.charCodeAt(i) !== 0x2f) return undefined;
    i = skipWs(s, i + 1);
  }
  const te = scanToken(s, i);
  if (te === i) return undefined;
  const transport = s.slice(i, te);
  i = skipWs(s, te);
  // sent-by = host [ COLON port ]; an IPv6 reference is bracketed.
  const hs = i;
  if (s.charCodeAt(i) === 0x5b) {
    const close = s.indexOf(']', i);
    if (close < 0) return undefined;
    i = close + 1;
  } else {
    i = scanToken(s, i);
  }
  if (i === hs) return undefined;
  const host = s.slice(hs, i);
  let port: number | undefined;
  let j = skipWs(s, i);
  if (s.charCodeAt(j) === 0x3a) {
    j = skipWs(s, j + 1);
    let p = 0;
    const ps = j;
    while (j < s.length && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x39 && j - ps < 5) {
      p = p * 10 + (s.charCodeAt(j) - 0x30);
      j++;
    }
    if (j === ps || p > 65535) return undefined;
    port = p;
    i = j;
  }
  const sentByEnd = i;
  const params: ViaParam[] = [];
  for (;;) {
    const k = skipWs(s, i);
    if (k >= s.length || s.charCodeAt(k) !== 0x3b) break;
    const ns = skipWs(s, k + 1);
    const ne = scanToken(s, ns);
    if (ne === ns) return undefined;
    let value: string | null = null;
    let end = ne;
    const eq = skipWs(s, ne);
    if (s.charCodeAt(eq) === 0x3d) {
      const vs = skipWs(s, eq + 1);
      let ve = vs;
      if (s.charCodeAt(vs) === 0x22) {
        // quoted-string (RFC 3261 §25.1), with quoted-pair escapes.
        ve = vs + 1;
        while (ve < s.length && s.charCodeAt(ve) !== 0x22) ve += s.charCodeAt(ve) === 0x5c ? 2 : 1;
        if (ve >= s.length) return undefined;
        ve++;
      } else if (s.charCodeAt(vs) === 0x5b) {
        const close = s.indexOf(']', vs);
        if (close < 0) return undefined;
        ve = close + 1;
      } else {
        while (
          ve < s.length &&
          !isWs(s.charCodeAt(ve)) &&
          s.charCodeAt(ve) !== 0x3b &&
          s.charCodeAt(ve) !== 0x2c
        )
          ve++;
      }
      value = s.slice(vs, ve);
      end = ve;
    }
    params.push({ name: s.slice(ns, ne), value, start: k, nameEnd: ne, end });
    i = end;
  }
  const k = skipWs(s, i);
  if (k < s.length && s.charCodeAt(k) !== 0x2c) return undefined;
  return { transport, host, port, sentByEnd, end: i, params };
}

function findParam(v: TopVia, name: string): ViaParam | undefined {
  for (const p of v.params) if (p.name.toLowerCase() === name) return p;
  return undefined;
}

/**
 * Applies the server-transport rules to the top Via of a received request and returns the new Via
 * header value (the rest of the value, other via-parms included, is kept byte for byte):
 *
 * - RFC 3261 §18.2.1: when the sent-by host differs from the packet's source address (always when it
 *   is a domain name), add `received=<source address>` (IPv6 without brackets, RFC 5118 §4.5);
 * - RFC 3581 §4: when `rport` is present without a value, set it to the source port, and add
 *   `received` even when the host matches.
 *
 * An existing `received` is replaced. Returns `via` unchanged when no rule applies, and when the
 * value is not a well-formed via-parm (the parser upstream decides what to do with it).
 */
export function stampVia(via: string, source: PacketSource): string {
  const top = parseTopVia(via);
  if (top === undefined) return via;
  const rport = findParam(top, 'rport');
  const fillRport = rport !== undefined && rport.value === null;
  const needReceived = fillRport || !sameHost(top.host, source.address);
  if (!fillRport && !needReceived) return via;
  const address = stripBrackets(source.address);
  const received = findParam(top, 'received');
  // Rebuild the parameter section, editing in place, appending received when it was absent.
  let out = via.slice(0, top.sentByEnd);
  let cursor = top.sentByEnd;
  for (const p of top.params) {
    out += via.slice(cursor, p.start);
    if (p === rport && fillRport) out += `${via.slice(p.start, p.nameEnd)}=${source.port}`;
    else if (p === received && needReceived) out += `${via.slice(p.start, p.nameEnd)}=${address}`;
    else out += via.slice(p.start, p.end);
    cursor = p.end;
  }
  out += via.slice(cursor, top.end);
  if (needReceived && received === undefined) out += `;received=${address}`;
  return out + via.slice(top.end);
}

/** Where to send a response (RFC 3261 §18.2.2, RFC 3581 §4), read from the top Via. */
export interface ResponseTarget {
  /** The transport named in the Via. */
  readonly transport: string;
  /** Host or address to send to (IPv6 without brackets). */
  readonly host: string;
  /** Port to send to. */
  readonly port: number;
  /** Which rule chose it. */
  readonly rule: 'maddr' | 'received' | 'sent-by';
}

/**
 * The address a response goes to when it is not sent over the request's connection
 * (RFC 3261 §18.2.2): `maddr` if present (port from sent-by or 5060); else `received` with the
 * `rport` value (RFC 3581 §4) or the sent-by port; else the sent-by itself (to be located with
 * RFC 3263 §5). Default ports: 5060, 5061 for TLS. `undefined` for a malformed value.
 */
export function responseTarget(via: string): ResponseTarget | undefined {
  const top = parseTopVia(via);
  if (top === undefined) return undefined;
  const upper = top.transport.toUpperCase();
  const defaultPort = upper === 'TLS' || upper === 'WSS' ? 5061 : 5060;
  const port = top.port ?? defaultPort;
  const maddr = findParam(top, 'maddr');
  if (maddr?.value) return { transport: upper, host: stripBrackets(maddr.value), port, rule: 'maddr' };
  const received = findParam(top, 'received');
  if (received?.value) {
    const rport = findParam(top, 'rport');
    const rp = rport?.value ? Number.parseInt(rport.value, 10) : Number.NaN;
    return {
      transport: upper,
      host: stripBrackets(received.value),
      port: Number.isInteger(rp) && rp > 0 && rp < 65536 ? rp : port,
      rule: 'received',
    };
  }
  return { transport: upper, host: stripBrackets(top.host), port, rule: 'sent-by' };
}
