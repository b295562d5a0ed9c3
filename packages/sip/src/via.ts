/** The Via header (RFC 3261 §20.42, §18.2.1; RFC 3581 rport). */
import { SipParseError } from './errors.js';
import { equalsLowerBytes } from './header-names.js';
import { formatParams } from './name-addr.js';
import { LazyParams, ParamList } from './params.js';
import {
  bytesOf,
  checkParams,
  fillParams,
  NO_PARAMS,
  PARAM_HITS,
  type Params,
  parseDecimal,
  scanToken,
  skipWs,
} from './scan.js';
import { scanHost } from './uri.js';

/** One Via element (via-parm). */
export interface Via {
  /** protocol-name "/" protocol-version, e.g. `SIP/2.0` (LWS removed). */
  readonly protocol: string;
  /** Transport, upper-cased: `UDP`, `TCP`, `TLS`, `SCTP`, `WS`, `WSS`, or an extension. */
  readonly transport: string;
  /** sent-by host as written (IPv6 references keep their brackets). */
  readonly host: string;
  /** sent-by port, if present. */
  readonly port?: number;
  /** The branch parameter (RFC 3261 §8.1.1.7; `z9hG4bK` magic cookie for RFC 3261 elements). */
  readonly branch?: string;
  /** The received parameter (RFC 3261 §18.2.1), if present. */
  readonly received?: string;
  /** The rport parameter (RFC 3581): `true` when present without a value. */
  readonly rport?: number | true;
  /** All parameters: lower-cased names, raw values. */
  readonly params: Params;
}

/** Parses every Via element of `s[start, end)` (comma-separated; `b` its character codes); throws {@link SipParseError}. */
export function parseViaList(
  b: Uint8Array,
  s: string,
  start: number,
  end: number,
  out: Via[],
  maxParams = 64,
  maxElements = 128,
): void {
  let i = start;
  let n = 0;
  for (;;) {
    if (++n > maxElements) throw new SipParseError('too many Via elements', i, 'limit');
    // One pass: the element parser stops at the comma ending its element (no comma can occur
    // at top level inside a via-parm but inside a quoted parameter value).
    out.push(parseViaElement(b, s, i, end, maxParams, true));
    const e = elementStop;
    if (e >= end) return;
    i = e + 1;
  }
}

/** Where the last {@link parseViaElement} in list mode stopped (its comma, or the end). */
let elementStop = 0;

/** Parses one via-parm filling the whole string. */
export function parseVia(s: string, maxParams = 64): Via {
  return parseViaRange(bytesOf(s), s, 0, s.length, maxParams);
}

/** Parses one via-parm filling `s[start, end)`; LWS around `/`, `:`, `;` and `=` is allowed. */
export function parseViaRange(b: Uint8Array, s: string, start: number, end: number, maxParams = 64): Via {
  return parseViaElement(b, s, start, end, maxParams, false);
}

/**
 * Parses one via-parm from `start`; with `list`, a top-level comma after the element ends it
 * (its index is left in `elementStop`), otherwise the element must fill `s[start, end)`.
 */
function parseViaElement(
  b: Uint8Array,
  s: string,
  start: number,
  end: number,
  maxParams: number,
  list: boolean,
): Via {
  let i = skipWs(b, start, end);
  let protocol: string;
  let ts: number;
  if (
    i + 8 < end &&
    (b[i] | 0x20) === 115 &&
    (b[i + 1] | 0x20) === 105 &&
    (b[i + 2] | 0x20) === 112 &&
    b[i + 3] === 47 &&
    b[i + 4] === 50 &&
    b[i + 5] === 46 &&
    b[i + 6] === 48 &&
    b[i + 7] === 47
  ) {
    // The usual `SIP/2.0/` written without LWS (RFC 3261 §20.42 sent-protocol).
    protocol = 'SIP/2.0';
    ts = skipWs(b, i + 8, end);
  } else {
    const pn = scanToken(b, i, end);
    if (pn === i) throw new SipParseError('missing protocol name', i);
    const nameStart = i;
    i = expect(b, skipWs(b, pn, end), end, 47);
    const vs = skipWs(b, i, end);
    const ve = scanToken(b, vs, end);
    if (ve === vs) throw new SipParseError('missing protocol version', vs);
    i = expect(b, skipWs(b, ve, end), end, 47);
    ts = skipWs(b, i, end);
    protocol =
      equalsLowerBytes(b, nameStart, pn, 'sip') &&
      ve - vs === 3 &&
      b[vs] === 50 &&
      b[vs + 1] === 46 &&
      b[vs + 2] === 48
        ? 'SIP/2.0'
        : `${s.slice(nameStart, pn).toUpperCase()}/${s.slice(vs, ve)}`;
  }
  const te = scanToken(b, ts, end);
  if (te === ts) throw new SipParseError('missing transport', ts);
  const hs = skipWs(b, te, end);
  if (hs === te) throw new SipParseError('missing whitespace before sent-by', te);
  const he = scanHost(b, hs, end);
  i = skipWs(b, he, end);
  let port: number | undefined;
  if (i < end && b[i] === 58) {
    const ps = skipWs(b, i + 1, end);
    let pe = ps;
    while (pe < end && b[pe] >= 48 && b[pe] <= 57) pe++;
    const p = parseDecimal(b, ps, pe, 65535);
    if (p < 0) throw new SipParseError('bad port', ps);
    port = p;
    i = pe;
  }
  let params: Params = NO_PARAMS;
  let branch: string | undefined;
  let received: string | undefined;
  let rport: number | true | undefined;
  const ps = skipWs(b, i, end);
  let stop = ps;
  if (ps < end && !(list && b[ps] === 44)) {
    i = checkParams(b, ps, end, maxParams, VIA_WANT);
    stop = i;
    const h = PARAM_HITS;
    params = new LazyParams(b, s, ps, i, h[0], fillParams);
    if (h[1] >= 0 && h[2] > h[1]) branch = s.slice(h[1], h[2]);
    if (h[3] >= 0 && h[4] > h[3]) received = s.slice(h[3], h[4]);
    if (h[5] >= 0) {
      if (h[6] === h[5]) rport = true;
      else {
        const v = parseDecimal(b, h[5], h[6], 65535);
        if (v < 0) throw new SipParseError('bad rport', ps);
        rport = v;
      }
    }
  }
  if (stop !== end && !(list && b[stop] === 44)) throw new SipParseError('unexpected character', stop);
  if (list) elementStop = stop;
  const transport = transportAt(b, s, ts, te);
  return { protocol, transport, host: s.slice(hs, he), port, branch, received, rport, params };
}

function expect(b: Uint8Array, i: number, end: number, c: number): number {
  if (i >= end || b[i] !== c) throw new SipParseError(`expected "${String.fromCharCode(c)}"`, i);
  return i + 1;
}

const VIA_WANT = ['branch', 'received', 'rport'];

const TRANSPORTS = ['UDP', 'TCP', 'TLS', 'WS', 'WSS', 'SCTP'];
const TRANSPORTS_LOWER = TRANSPORTS.map((t) => t.toLowerCase());

/** Upper-cased transport of `s[start, end)`; known transports come back as shared constants. */
function transportAt(b: Uint8Array, s: string, start: number, end: number): string {
  if (end - start === 3) {
    const c0 = b[start] | 0x20;
    const c1 = b[start + 1] | 0x20;
    const c2 = b[start + 2] | 0x20;
    if (c0 === 117 && c1 === 100 && c2 === 112) return 'UDP';
    if (c0 === 116 && c1 === 99 && c2 === 112) return 'TCP';
  }
  for (let k = 0; k < TRANSPORTS.length; k++) {
    if (equalsLowerBytes(b, start, end, TRANSPORTS_LOWER[k])) return TRANSPORTS[k];
  }
  return s.slice(start, end).toUpperCase();
}

/** Formats a Via element: `SIP/2.0/UDP host:port;params` (branch/received/rport from params). */
export function formatVia(v: Via): string {
  let out = `${v.protocol}/${v.transport} ${v.host}`;
  if (v.port !== undefined) out += `:${v.port}`;
  let params = v.params;
  if (
    (v.branch !== undefined && !params.has('branch')) ||
    (v.received !== undefined && !params.has('received')) ||
    (v.rport !== undefined && !params.has('rport'))
  ) {
    const kv: Array<string | null> = [];
    for (const [k, val] of params) kv.push(k, val);
    if (v.branch !== undefined && !params.has('branch')) kv.push('branch', v.branch);
    if (v.received !== undefined && !params.has('received')) kv.push('received', v.received);
    if (v.rport !== undefined && !params.has('rport'))
      kv.push('rport', v.rport === true ? null : String(v.rport));
    params = new ParamList(kv);
  }
  return out + formatParams(params);
}
