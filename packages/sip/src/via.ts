/** The Via header (RFC 3261 §20.42, §18.2.1; RFC 3581 rport). */
import { SipParseError } from './errors.js';
import { equalsLowerBytes } from './header-names.js';
import { formatParams } from './name-addr.js';
import { ParamList } from './params.js';
import {
  bytesOf,
  decimalText,
  findElementEnd,
  NO_PARAMS,
  type Params,
  parseDecimal,
  parseParams,
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
    const e = findElementEnd(b, i, end);
    if (++n > maxElements) throw new SipParseError('too many Via elements', i, 'limit');
    out.push(parseViaRange(b, s, i, e, maxParams));
    if (e >= end) return;
    i = e + 1;
  }
}

/** Parses one via-parm filling the whole string. */
export function parseVia(s: string, maxParams = 64): Via {
  return parseViaRange(bytesOf(s), s, 0, s.length, maxParams);
}

/** Parses one via-parm filling `s[start, end)`; LWS around `/`, `:`, `;` and `=` is allowed. */
export function parseViaRange(b: Uint8Array, s: string, start: number, end: number, maxParams = 64): Via {
  let i = skipWs(b, start, end);
  const pn = scanToken(b, i, end);
  if (pn === i) throw new SipParseError('missing protocol name', i);
  const nameStart = i;
  i = expect(b, skipWs(b, pn, end), end, 47);
  const vs = skipWs(b, i, end);
  const ve = scanToken(b, vs, end);
  if (ve === vs) throw new SipParseError('missing protocol version', vs);
  i = expect(b, skipWs(b, ve, end), end, 47);
  const ts = skipWs(b, i, end);
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
  if (ps < end) {
    const kv: Array<string | null> = [];
    i = parseParams(b, s, ps, end, kv, maxParams);
    if (i !== end) throw new SipParseError('unexpected character', i);
    params = new ParamList(kv);
    branch = params.get('branch') ?? undefined;
    received = params.get('received') ?? undefined;
    if (params.has('rport')) {
      const r = params.get('rport');
      if (r == null) rport = true;
      else {
        const v = decimalText(r, 65535);
        if (v < 0) throw new SipParseError('bad rport', ps);
        rport = v;
      }
    }
  }
  const protocol =
    equalsLowerBytes(b, nameStart, pn, 'sip') &&
    ve - vs === 3 &&
    b[vs] === 50 &&
    b[vs + 1] === 46 &&
    b[vs + 2] === 48
      ? 'SIP/2.0'
      : `${s.slice(nameStart, pn).toUpperCase()}/${s.slice(vs, ve)}`;
  const transport = transportAt(b, s, ts, te);
  return { protocol, transport, host: s.slice(hs, he), port, branch, received, rport, params };
}

function expect(b: Uint8Array, i: number, end: number, c: number): number {
  if (i >= end || b[i] !== c) throw new SipParseError(`expected "${String.fromCharCode(c)}"`, i);
  return i + 1;
}

const TRANSPORTS = ['UDP', 'TCP', 'TLS', 'WS', 'WSS', 'SCTP'];
const TRANSPORTS_LOWER = TRANSPORTS.map((t) => t.toLowerCase());

/** Upper-cased transport of `s[start, end)`; known transports come back as shared constants. */
function transportAt(b: Uint8Array, s: string, start: number, end: number): string {
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
